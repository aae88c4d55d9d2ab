"""Dependencies point one way: model → stages → pipeline → batch / apply / review → commands.

Every module of ``digitize`` and ``authority`` is read with ``ast`` (imports inside functions
count too) and given a layer; a module may import a lower layer, or its own component (its own
package) in the same layer, never a higher layer or a sibling component (``batch`` does not
import ``authority``: the run command passes the authority build in). A new module must be given
a layer here, so the rule cannot be dodged by adding one.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("digitize", "authority")

# lowest first; each entry is a component (a module, or a package with everything under it)
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("digitize", "digitize.errors", "digitize.resources", "digitize.fsutil", "digitize.model",
              "digitize.db", "digitize.xmlsafe", "digitize.claimrefs", "digitize.labelling", "digitize.diacritics")),
    ("configuration models", ("digitize.config",)),  # the base of every profile section and job model
    ("profile sections", ("digitize.structure.config", "digitize.proofread.config", "digitize.emit.config",
                          "authority.section")),  # one model per section, beside its stage
    ("settings and stores", ("digitize.profiles", "digitize.job", "digitize.ledger", "digitize.proofread.queue",
                             "digitize.review.users", "digitize.memory")),
    ("job folder and schema checks", ("digitize.jobfolder", "digitize.validate")),
    ("stages", ("digitize.ingest", "digitize.preprocess", "digitize.ocr", "digitize.structure", "digitize.proofread",
                "digitize.emit", "digitize.evaluate", "digitize.synth", "digitize.teds", "digitize.synth_frontpages", "digitize.facsimile")),
    # steps over several stages: which reading of a page is kept (preprocess, ocr, the lexicon);
    # tables found by structure, their cells read by the engine
    ("steps over several stages", ("digitize.readings", "digitize.table_ocr")),
    ("pipeline", ("digitize.pipeline", "digitize.synth_es", "digitize.deps", "digitize.synth_tables")),  # synth_es: test sets built on synth
    ("batch, apply, review and the job's products", ("digitize.batch", "digitize.apply", "digitize.review",
                                                     "digitize.package", "digitize.report", "authority",
                                                     "digitize.hotfolder")),
    ("commands", ("digitize.commands", "digitize.demo")),
    ("the command line", ("digitize.cli",)),  # imports the commands; they raise digitize.errors, not its
    ("python -m digitize", ("digitize.__main__",)),
]


def modules(root: Path) -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for f in sorted((root / pkg).rglob("*.py")):
            parts = list(f.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = f
    return out


def component(module: str) -> tuple[int, str] | None:
    """(layer index, component) by the longest matching entry; None when unassigned."""
    best = None
    for i, (_, comps) in enumerate(LAYERS):
        for c in comps:
            if (module == c or module.startswith(c + ".")) and (best is None or len(c) > len(best[1])):
                best = (i, c)
    return best


def imports(module: str, path: Path, known: set[str]) -> list[tuple[int, str]]:
    """(line, imported project module) of every import statement in the file."""
    is_pkg = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] in PACKAGES]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_pkg else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] not in PACKAGES:
                continue
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
            out += [(node.lineno, s) for s in subs] or [(node.lineno, target)]
    return out


def violations(root: Path) -> list[str]:
    mods = modules(root)
    known = set(mods)
    problems = []
    for mod, path in mods.items():
        here = component(mod)
        if here is None:
            problems.append(f"{mod}: not given a layer in tests/test_layering.py")
            continue
        for line, target in imports(mod, path, known):
            there = component(target)
            if there is None:
                continue  # reported as its own module, or an attribute of an assigned package
            if there[0] > here[0]:
                problems.append(f"{path.relative_to(root)}:{line}: {mod} ({LAYERS[here[0]][0]}) imports "
                                f"{target} ({LAYERS[there[0]][0]}), a higher layer")
            elif there[0] == here[0] and there[1] != here[1]:
                problems.append(f"{path.relative_to(root)}:{line}: {mod} imports {target}, a sibling in the "
                                f"layer '{LAYERS[here[0]][0]}' ({here[1]} / {there[1]})")
    return problems


def test_dependencies_point_down():
    problems = violations(ROOT)
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_upward_import(tmp_path):
    """The same check on a copy of the tree with one upward and one sibling import added."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.html", "static",
                                                                                  "templates", "data"))
    assert violations(tmp_path) == []
    rules = tmp_path / "digitize" / "proofread" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n\ndef _up():\n    from ..pipeline import ocr_page\n",
                     encoding="utf-8")
    batch = tmp_path / "digitize" / "batch" / "__init__.py"
    batch.write_text(batch.read_text(encoding="utf-8") + "\nimport authority.build\n", encoding="utf-8")
    problems = violations(tmp_path)
    assert len(problems) == 2, problems
    assert "digitize.proofread.rules (stages) imports digitize.pipeline (pipeline), a higher layer" in problems[0] + problems[1]
    assert any("digitize.batch imports authority.build, a sibling" in p for p in problems), problems
