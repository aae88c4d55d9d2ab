"""Issue 27: a rendered example of a scanned table and the markup digitize emits for it.

    PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_example.py [--out build/tables-example]

A table of the tuning set (EP 3 351 249 A1, ``build/table-sources``, see ``bench/tables_bench.py``)
is typeset by ``digitize/synth_tables.py`` (``--ruling``: ``partly`` by default, rules over and
under the head and under the table only), degraded to office quality, written as a one-page TIFF
and run through the product as ``digitize run`` runs a document (``pipeline.ocr_range``, then
``finish_document`` with the schema checks of ``../shared/standards``). Written to ``--out``:

* ``example.png``: the table as scanned beside its ST.36 ``<tables>`` element, as emitted;
* ``tables.st36.xml``, ``table.st96.xml``: the table's elements cut out of the two documents;
* ``EXAMPLE.st36.xml``, ``EXAMPLE.st96.xml``: the whole documents, with what the checks said
  (``validation.txt``: ``validated`` of the document record, and each file checked again here).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from digitize import validate  # noqa: E402
from digitize.model import OcrPage  # noqa: E402
from digitize.pipeline import finish_document, ocr_range  # noqa: E402
from digitize.settings.profile import load  # noqa: E402
from digitize.synth import degrade, write_tiff  # noqa: E402
from digitize.synth_tables import read_tables, render_page  # noqa: E402

SHARED = ROOT.parent / "shared" / "standards"
SOURCE = ROOT / "build" / "table-sources" / "EP18151178NWA1.xml"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
ST96_COM = "http://www.wipo.int/standards/XMLSchema/ST96/Common"
XML_LINES = 70  # the picture shows this many lines of the XML (the files hold all of it)


def pretty(el: etree._Element) -> str:
    el = etree.fromstring(etree.tostring(el))
    etree.indent(el, space="  ")
    return etree.tostring(el, encoding="unicode")


def side_by_side(scan: Image.Image, xml: str, out: Path, height: int = 1400) -> Path:
    """The scan (scaled to ``height``) on the left, the XML's first lines on the right."""
    scale = height / scan.height
    left = scan.convert("RGB").resize((int(scan.width * scale), height))
    lines = xml.splitlines()
    shown = lines[:XML_LINES] + ([f"… ({len(lines) - XML_LINES} more lines in the file)"] if len(lines) > XML_LINES else [])
    size = max(9, height // (len(shown) + 4))
    try:
        f = ImageFont.truetype(MONO, size)
    except OSError:
        f = ImageFont.load_default()
    width = int(max(ImageDraw.Draw(left).textlength(s, font=f) for s in shown)) + 40
    img = Image.new("RGB", (left.width + width + 20, height), "white")
    img.paste(left, (0, 0))
    draw = ImageDraw.Draw(img)
    draw.line([(left.width + 8, 0), (left.width + 8, height)], fill=(160, 160, 160), width=2)
    for i, s in enumerate(shown):
        draw.text((left.width + 24, 10 + i * (size + 2)), s, font=f, fill=(20, 20, 90))
    img.save(out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "tables-example")
    ap.add_argument("--source", type=Path, default=SOURCE)
    ap.add_argument("--table", type=int, default=0, help="which table of the source (0-based)")
    ap.add_argument("--ruling", default="partly", choices=("ruled", "partly"))
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    truth = read_tables(a.source)[a.table]
    image, dpi = degrade(render_page(truth, ruling=a.ruling), "office", seed=27)
    profile = load("ep")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_tiff([image], tmp / "table.tif", dpi)
        work = tmp / "work"
        ocr_range(tmp / "table.tif", work, profile)
        result = finish_document(work, profile, source="table.tif", doc_id="EXAMPLE", schema_dir=SHARED)
        page = OcrPage.from_json((work / "pages" / "0001.json").read_text(encoding="utf-8"))
        st36 = etree.parse(str(work / "EXAMPLE.st36.xml"))
        st96 = etree.parse(str(work / "EXAMPLE.st96.xml"))
        for name in ("EXAMPLE.st36.xml", "EXAMPLE.st96.xml"):
            (a.out / name).write_bytes((work / name).read_bytes())
    tables36 = st36.find(".//tables")
    table96 = st96.find(f".//{{{ST96_COM}}}Table")
    if tables36 is None or table96 is None or not page.tables:
        print("no table found on the page: nothing to show", file=sys.stderr)
        return 1
    xml36 = pretty(tables36)
    (a.out / "tables.st36.xml").write_text(xml36 + "\n", encoding="utf-8")
    (a.out / "table.st96.xml").write_text(pretty(table96) + "\n", encoding="utf-8")
    t = page.tables[0]
    pad = 40
    x0, y0, x1, y1 = t.bbox
    scan = Image.fromarray(image).crop((max(0, x0 - pad), max(0, y0 - 4 * pad), x1 + pad, y1 + pad))
    side_by_side(scan, xml36, a.out / "example.png")
    checks = [f"document record: validated = {result.validated}"]
    for name in ("EXAMPLE.st36.xml", "EXAMPLE.st96.xml"):
        v = validate.validate_file(a.out / name, SHARED)
        checks.append(f"{name}: {v.kind} {v.status}" + "".join(f"\n  {e}" for e in v.errors[:5]))
    (a.out / "validation.txt").write_text("\n".join(checks) + "\n", encoding="utf-8")
    print(f"{truth.name} ({a.ruling}): found {t.ruling} {t.rows}x{t.cols}, head {t.header_rows}; "
          f"truth {len(truth.rows)}x{truth.cols}, head {truth.header_rows}")
    print("\n".join(checks))
    print(f"written: {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
