"""The sealed set's generator (issue 27): a table typeset as HTML and printed by headless Chromium,
code apart from the tuning generator (``digitize/synth_tables.py``, PIL), with another typeface
(Liberation Serif), the browser's own line breaking and cell sizing, and CSS borders.

    image = render_html(truth_table, ruling="ruled")     # 300-dpi grey A4 page (numpy)

``ruled``: every cell bordered (``border-collapse``), a missing rule where the CALS entry says
``rowsep="0"``; ``partly``: a rule over and under the head and under the table. Used by
``bench/tables_bench.py --part sealed`` only: never to tune.
"""

from __future__ import annotations

import html
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

CHROMIUM = "/usr/bin/chromium"
DPI = 300
A4_PX = (int(8.27 * 96), int(11.69 * 96))  # CSS pixels at 96 per inch


def _html(t, ruling: str) -> str:
    cell_border = "border: 1px solid #000;" if ruling == "ruled" else "border: none;"
    rows = []
    for r, row in enumerate(t.rows):
        cells = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            style = "border-bottom: none;" if ruling == "ruled" and not cell.rowsep and r + cell.rowspan < len(t.rows) else ""
            tag = "th" if r < t.header_rows else "td"
            cells.append(f'<{tag}{attrs} style="{style}">{html.escape(cell.text)}</{tag}>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(rows[: t.header_rows])
    body = "".join(rows[t.header_rows:])
    partly = "" if ruling in ("ruled", "unruled") else (
        "table { border-top: 1.2px solid #000; border-bottom: 1.2px solid #000; }"
        "thead tr:last-child th, thead tr:last-child td { border-bottom: 1px solid #000; }")
    total = sum(t.col_mm) if t.col_mm else 0
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in t.col_mm) if total and len(t.col_mm) == t.cols else ""
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; }}
.page {{ width: {A4_PX[0]}px; padding: 70px 80px; box-sizing: border-box; font-family: 'Liberation Serif', serif;
        font-size: 13px; line-height: 1.35; color: #000; }}
table {{ border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 12px; }}
th, td {{ {cell_border} padding: 3px 5px; vertical-align: top; text-align: left; font-weight: normal; }}
{partly}
</style></head><body><div class="page">
<p>{html.escape(t.intro or 'The results are given in the following table.')}</p>
<p>{html.escape(t.title)}</p>
<table>{cols}<thead>{head}</thead><tbody>{body}</tbody></table>
<p>The values above were measured at room temperature.</p>
</div></body></html>"""


def render_html(t, *, ruling: str = "ruled") -> np.ndarray:
    """A 300-dpi grey A4 page of ``t`` printed by Chromium."""
    scale = DPI / 96
    with tempfile.TemporaryDirectory() as d:
        page = Path(d) / "t.html"
        page.write_text(_html(t, ruling), encoding="utf-8")
        shot = Path(d) / "t.png"
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--force-device-scale-factor={scale:.4f}", f"--window-size={A4_PX[0]},{A4_PX[1]}",
                        f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
        img = Image.open(shot).convert("L")
    w, h = int(8.27 * DPI), int(11.69 * DPI)
    out = Image.new("L", (w, h), 255)
    out.paste(img.crop((0, 0, min(w, img.width), min(h, img.height))), (0, 0))
    return np.array(out)


def page_truth_text(t) -> str:
    cells = [c.text for row in t.rows for c in row]
    return "\n".join([t.intro or "The results are given in the following table.", t.title] + cells +
                     ["The values above were measured at room temperature."])
