"""Dependencies point one way: model → stages → pipeline → batch / apply / review → commands.

Three more rules keep the graph honest: no import hidden from this check (``importlib`` or
``__import__`` naming a project module), no ``_private`` name taken from another module (make it
public or move it), and no circle among modules (imports inside functions count too).

Every module of ``digitize`` and ``authority`` is read with ``ast`` (imports inside functions
count too) and given a layer; a module may import a lower layer, or its own component (its own
package) in the same layer, never a higher layer or a sibling component (``batch`` does not
import ``review``). A new module must be given a layer here, so the rule cannot be dodged by
adding one.
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
              "digitize.store.sqlite", "digitize.xmlsafe", "digitize.claimrefs", "digitize.labelling",
              "digitize.diacritics", "digitize.inid", "digitize.dates", "digitize.numbers", "digitize.formats")),
    ("the engine's data on this machine", ("digitize.tessdata",)),
    ("readers of patent XML", ("digitize.xmlread",)),  # ST.36, ST.96, pap files from outside, through xmlsafe
    ("configuration models", ("digitize.settings.base",)),  # the base of every profile section and job model
    ("profile sections", ("digitize.settings.engine", "digitize.settings.structure", "digitize.settings.proofread",
                          "digitize.settings.emit", "digitize.settings.authority")),  # one model per section
    ("settings", ("digitize.settings",)),  # the profile (every section) and the job file
    # what a reviewer's decision may be, and series of the same error: the rules the queue store applies
    ("decision rules", ("digitize.proofread.decisions",)),
    ("series", ("digitize.proofread.series",)),
    ("stores", ("digitize.store",)),  # ledger, queue, users, office memory (SQLite through store.sqlite)
    ("job folder and schema checks", ("digitize.jobfolder", "digitize.validate")),
    ("stages", ("digitize.ingest", "digitize.preprocess", "digitize.ocr", "digitize.structure", "digitize.proofread",
                "digitize.emit", "digitize.evaluate", "digitize.synth", "digitize.teds", "digitize.synth_frontpages")),
    # steps over several stages: which reading of a page is kept (preprocess, ocr, the lexicon);
    # tables found by structure, their cells read by the engine
    ("steps over several stages", ("digitize.readings", "digitize.table_ocr")),
    ("pipeline", ("digitize.pipeline", "digitize.synth_es", "digitize.deps", "digitize.synth_tables")),  # synth_es: test sets built on synth
    # what a job leaves besides its documents (authority file, report, delivery package), read from
    # the job folder; and the hot folder a service takes its inputs from: the batch writes and uses them
    ("the job's products and the hot folder", ("authority", "digitize.report", "digitize.package",
                                              "digitize.hotfolder")),
    ("batch, apply and review", ("digitize.batch", "digitize.apply", "digitize.review")),
    ("the library API", ("digitize.api",)),  # load, read, recognise, finish, render: the steps without a job folder
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
            if mod == PACKAGES[0] and target == FACE:
                continue
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


FACE = "digitize.api"  # the one module the package itself may import from above its layer: `import digitize` gives the API

# modules whose computed imports name third-party libraries only (never a project module)
THIRD_PARTY_ONLY = {"digitize.deps"}  # checks that the libraries a run needs are installed, by their names


def _project_names(node: ast.AST) -> str:
    """The project module a dynamic import names, or ''."""
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        text = node.args[0].value
    elif node.args and isinstance(node.args[0], ast.JoinedStr):
        text = "".join(v.value for v in node.args[0].values if isinstance(v, ast.Constant))
    else:
        return "<computed>"
    return text if text.split(".")[0] in PACKAGES else ""


def hidden_and_private(root: Path) -> list[str]:
    """Dynamic imports of project modules, and private names taken from another module."""
    mods = modules(root)
    known = set(mods)
    problems = []
    for mod, path in mods.items():
        where = path.relative_to(root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        resolved = [t for _, t in imports(mod, path, known)]
        module_names: set[str] = set()  # local names bound to project modules
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                if (name in ("import_module", "__import__") and (target := _project_names(node))
                        and not (target == "<computed>" and mod in THIRD_PARTY_ONLY)):
                    problems.append(f"{where}:{node.lineno}: {mod} imports {target} by name, hidden from the layering check")
            elif isinstance(node, ast.ImportFrom):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        problems.append(f"{where}:{node.lineno}: {mod} takes the private name {a.name} from another module")
                    if any(t.endswith("." + a.name) for t in resolved):
                        module_names.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in PACKAGES and a.asname:
                        module_names.add(a.asname)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in module_names
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                problems.append(f"{where}:{node.lineno}: {mod} uses the private name {node.value.id}.{node.attr}")
    return problems


def circles(root: Path) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), a package's own __init__ aside."""
    mods = modules(root)
    known = set(mods)
    graph = {m: {t for _, t in imports(m, p, known) if t in known and t != m and not m.startswith(t + ".")}
             for m, p in mods.items()}
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_hidden_or_private_imports():
    problems = hidden_and_private(ROOT)
    assert not problems, "\n".join(problems)


def test_no_circles():
    found = circles(ROOT)
    assert not found, "\n".join(" <-> ".join(g) for g in found)


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
    batch.write_text(batch.read_text(encoding="utf-8") + "\nimport digitize.review\n", encoding="utf-8")
    problems = violations(tmp_path)
    assert len(problems) == 2, problems
    assert "digitize.proofread.rules (stages) imports digitize.pipeline (pipeline), a higher layer" in problems[0] + problems[1]
    assert any("digitize.batch imports digitize.review, a sibling" in p for p in problems), problems


def test_the_checks_catch_hidden_private_and_circular_imports(tmp_path):
    """On a copy of the tree: an import by name, a private name taken, and a circle added."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.html", "static",
                                                                                  "templates", "data"))
    assert hidden_and_private(tmp_path) == [] and circles(tmp_path) == []
    rules = tmp_path / "digitize" / "proofread" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8")
                     + "\n\ndef _hidden():\n    import importlib\n    return importlib.import_module('digitize.pipeline')\n"
                     + "\n\ndef _private():\n    from .lexicon import _secret\n    return _secret\n", encoding="utf-8")
    lexicon = tmp_path / "digitize" / "proofread" / "lexicon.py"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n\ndef _back():\n    from . import rules\n", encoding="utf-8")
    problems = hidden_and_private(tmp_path)
    assert any("imports digitize.pipeline by name" in p for p in problems), problems
    assert any("takes the private name _secret" in p for p in problems), problems
    assert any({"digitize.proofread.lexicon", "digitize.proofread.rules"} <= set(g) for g in circles(tmp_path))
