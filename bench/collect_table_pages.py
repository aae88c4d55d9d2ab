"""Collect the SEALED real table pages (issue 27) described by ``bench/table_pages.toml``.

    PYTHONPATH=. python bench/collect_table_pages.py [--mirrors /work/.mirror] [--out DIR] [--check] [--manifest]

Each ``[[source]]`` of ``bench/table_pages.toml`` is one Distributed Proofreaders book (format
``dp``, as in ``bench/real_sets.toml``): its project text (``paths[0]``, every page under a
``-----File: NAME.png---`` separator) and its page scans (``paths[1]``), read from the fetched bare
git directory ``MIRRORS/<owner>+<name>/repo`` at ``commit``. Only TABLE pages are taken: a page
whose DP text has at least ``min_table_share`` (default 0.5) of its words in table lines (a line
holding DP's column rule ``|`` or made only of ``-=+|``, the rows of a ``/* */`` table DP laid out
in text columns) and at least ``min_words`` words. At most ``max_pages`` a book: the pages with the
largest table share (ties in page order), written in page order. ``drop_pages`` (name -> why)
leaves out a page whose truth does not describe its image (found by the pairing check).

Truth (``NAME.gt.txt``): the page's DP text with proofreaders' notes and the table's rules taken
out (``|`` made a space, lines of ``-=+|`` dropped, a ``+---+`` run inside a line made a space),
then made plain by ``collect_real_sets.dp_lines`` (markup out, ``--`` an em dash), and DP's
fractions written as printed: ``12-1/2`` -> ``12½`` and a fraction standing alone ``1/2`` -> ``½``
(halves, thirds, quarters, eighths). The image
(``NAME.png``) is the repository's scan as it is. Output: ``OUT/tables-real-sealed/<book>/``
with ``SOURCE.json`` (pages kept with their table share and words, candidates left out and why).

``--check``: the pairing check, raw CLI only (``tesseract IMAGE - -l eng|spa``, order-free word
error of ``digitize.evaluate`` against the truth, per page); written to ``SOURCE.json`` as
``raw_owe``. No digitize reading is made here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from collect_real_sets import _DP_SEPARATOR, Repo, _image_info, dp_lines  # noqa: E402

CONFIG = ROOT / "bench" / "table_pages.toml"
PART_DIR = "tables-real-sealed"
_NOTES = re.compile(r"\[\*\*[^\]]*\]")  # proofreaders' notes (dp_lines takes them out too)
_RULE = re.compile(r"^[\s=+\-|]+$")
_FRACTIONS = {"1/2": "\u00bd", "1/4": "\u00bc", "3/4": "\u00be", "1/3": "\u2153", "2/3": "\u2154",
              "1/8": "\u215b", "3/8": "\u215c", "5/8": "\u215d", "7/8": "\u215e"}
_INLINE_RULE = re.compile(r"[-=+]{3,}")  # a rule inside a header line (+-----+), not a dash
_MIXED = re.compile(r"(?<=\d)-(\d/\d)(?!\d)")
_ALONE = re.compile(r"(?<![\w/])(\d/\d)(?![\w/])")


def default_out() -> Path:
    return Path(os.environ.get("DIGITIZE_REAL_SETS", "/work/real-sets"))


def load_sources(path: Path = CONFIG) -> list[dict]:
    with open(path, "rb") as f:
        return tomllib.load(f).get("source", [])


def _words(line: str) -> int:
    return len(line.replace("|", " ").split()) if not _RULE.match(line) else 0


def table_share(chunk: str) -> tuple[float, int]:
    """(share of the page's words in table lines, the page's words), on the raw DP text."""
    total = table = 0
    for line in _NOTES.sub("", chunk.replace("\r", "")).split("\n"):
        if re.match(r"^\s*(?:/[*#$pxfrcil]|[*#$pxfrcil]/)\s*$", line) or line.startswith("[**"):
            continue
        n = _words(line)
        total += n
        if "|" in line:
            table += n
    return (table / total if total else 0.0), total


def table_truth(chunk: str) -> list[str]:
    """The page's DP text made plain, the table's rules out and the fractions as printed."""
    kept = []
    for line in _NOTES.sub("", chunk.replace("\r", "")).split("\n"):
        if line.strip() and _RULE.match(line) and re.search(r"[-=]{3}", line):
            continue  # a rule of the text-column table (+----+, ====, ---+---)
        line = _INLINE_RULE.sub(lambda m: " " if re.search(r"[+=]", m.group()) else m.group(), line)
        kept.append(line.replace("|", " "))
    out = []
    for line in dp_lines("\n".join(kept)):
        line = _MIXED.sub(lambda m: _FRACTIONS.get(m.group(1), "-" + m.group(1)), line)
        line = _ALONE.sub(lambda m: _FRACTIONS.get(m.group(1), m.group(1)), line)
        out.append(line)
    return out


def candidates(repo: Repo, entry: dict) -> list[dict]:
    text_path, image_dir = entry["paths"][:2]
    files = repo.files([text_path, image_dir])
    raw = repo.read(files[text_path][0]).decode(entry.get("encoding", "utf-8-sig"))
    marks = list(_DP_SEPARATOR.finditer(raw))
    pages = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        chunk = raw[m.end():nxt.start() if nxt else len(raw)]
        share, words = table_share(chunk)
        image = f"{image_dir.rstrip('/')}/{m.group(1)}"
        pages.append({"name": PurePosixPath(m.group(1)).stem, "image": image, "share": round(share, 3),
                      "words": words, "chunk": chunk, "blob": files.get(image, (None, None))[0]})
    return pages


def collect(entry: dict, git_dir: Path, out: Path) -> dict:
    repo = Repo(git_dir, entry["commit"])
    drop = entry.get("drop_pages", {})
    pages = candidates(repo, entry)
    left_out, table = {}, []
    for p in pages:
        if p["share"] < entry.get("min_table_share", 0.5):
            continue
        if p["words"] < entry.get("min_words", 30):
            left_out[p["name"]] = f"table page of {p['words']} words (< min_words)"
        elif p["blob"] is None or not repo.has(p["blob"]):
            left_out[p["name"]] = "image not in the snapshot"
        elif p["name"] in drop:
            left_out[p["name"]] = "dropped: " + drop[p["name"]]
        else:
            table.append(p)
    ranked = sorted(table, key=lambda p: (-p["share"], p["name"]))
    keep = sorted(ranked[:entry.get("max_pages", 20)], key=lambda p: p["name"])
    for p in ranked[entry.get("max_pages", 20):]:
        left_out[p["name"]] = f"table share {p['share']}: over max_pages"
    dest = out / PART_DIR / entry["name"]
    dest.mkdir(parents=True, exist_ok=True)
    kept = []
    for p in keep:
        lines = table_truth(p["chunk"])
        data = repo.read(p["blob"])
        (dest / f"{p['name']}.png").write_bytes(data)
        (dest / f"{p['name']}.gt.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        info = _image_info(data)
        kept.append({"name": p["name"], "image": p["image"], "table_share": p["share"],
                     "words": sum(len(x.split()) for x in lines),
                     "size": [info["width"], info["height"]], "dpi": info["dpi"]})
    info = {"name": entry["name"], "part": entry["part"], "repo": entry["repo"], "commit": entry["commit"],
            "paths": entry["paths"], "licence": entry["licence"], "lang": entry.get("lang", "eng"),
            "pages": kept, "left_out": left_out}
    (dest / "SOURCE.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return info


def check(info: dict, out: Path) -> None:
    """Pairing check: raw tesseract CLI against the truth, order-free word error per page."""
    from digitize.evaluate import score

    dest = out / PART_DIR / info["name"]
    for p in info["pages"]:
        img = dest / f"{p['name']}.png"
        raw = subprocess.run(["tesseract", str(img), "-", "-l", info["lang"]], capture_output=True, text=True,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
        s = score(p["name"], (dest / f"{p['name']}.gt.txt").read_text(encoding="utf-8"), raw)
        p["raw_owe"] = round(s.owe, 4)
        print(f"{info['name']:<22} {p['name']:<6} words {s.truth_words:>5}  raw OWE {s.owe:.4f}"
              + ("  (> 0.9: look at it)" if s.owe > 0.9 else ""), flush=True)
    (dest / "SOURCE.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _toml(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def append_manifest(infos: list[dict], entries: dict[str, dict], out: Path) -> None:
    """Append one [[source]] per book to OUT/MANIFEST.toml (append only: a book already listed
    there is left as it is)."""
    path = out / "MANIFEST.toml"
    have = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = []
    for info in infos:
        if f'name = "{info["name"]}"' in have:
            continue
        e = entries[info["name"]]
        rows = ",\n".join(
            f'  {{ name = {_toml(p["name"])}, image = {_toml(p["image"])}, size = {_toml(p["size"])}, '
            + (f'dpi = {_toml(p["dpi"])}, ' if p["dpi"] else "")
            + f'table_share = {p["table_share"]}, words = {p["words"]}'
            + (f', raw_owe = {p["raw_owe"]}' if "raw_owe" in p else "") + " }" for p in info["pages"])
        new.append(f"""
[[source]]
name = {_toml(info["name"])}
part = {_toml(info["part"])}
repo = {_toml(info["repo"])}
commit = {_toml(info["commit"])}
licence = {_toml(info["licence"])}
lang = {_toml(info["lang"])}
kinds = {_toml(e.get("kinds", []))}
location = {_toml("root:" + PART_DIR + "/" + info["name"])}
bench = "tables_real.py --part sealed"
page_count = {len(info["pages"])}
pages = [
{rows},
]
""")
    if new:
        with open(path, "a", encoding="utf-8") as f:
            if not have.endswith("\n\n"):
                f.write("\n")
            f.write("# Real TABLE pages, sealed (issue 27; branch rtab2): bench/collect_table_pages.py --manifest"
                    " from bench/table_pages.toml; read by bench/tables_real.py --part sealed\n")
            f.write("".join(new))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=default_out())
    ap.add_argument("--only", nargs="*", help="source names (default: every source)")
    ap.add_argument("--check", action="store_true", help="run the raw-CLI pairing check after collecting")
    ap.add_argument("--manifest", action="store_true", help="append the books to OUT/MANIFEST.toml (append only)")
    a = ap.parse_args(argv)
    total, infos, entries = 0, [], {}
    for entry in load_sources():
        if a.only and entry["name"] not in a.only:
            continue
        git_dir = a.mirrors / entry["repo"].replace("/", "+") / "repo"
        if not git_dir.is_dir():
            raise SystemExit(f"{entry['name']}: no bare git dir at {git_dir} (fetch {entry['repo']})")
        info = collect(entry, git_dir, a.out)
        total += len(info["pages"])
        print(f"{entry['name']}: {len(info['pages'])} table pages "
              f"({', '.join(p['name'] for p in info['pages'])}); left out {len(info['left_out'])}", flush=True)
        if a.check:
            check(info, a.out)
        infos.append(info)
        entries[entry["name"]] = entry
    if a.manifest:
        append_manifest(infos, entries, a.out)
    print(f"{PART_DIR}: {total} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
