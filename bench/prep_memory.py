"""Memory of preprocessing as the page grows: the peak RSS over the resident page, in a fresh
process per page size, and its growth per added pixel (issue 26 item 10: a 12,000 x 12,000 PNG of
137 KB, under ``max_pixels``, peaked ~1 GB over the page).

    python bench/prep_memory.py [--sides 3000,6000,12000] [--kinds uneven,bilevel,clean] [--json]

Each page is drawn in the child (text lines; ``uneven``: light falling off and scanner noise,
the whole chain with Sauvola; ``bilevel``: a thresholded scan; ``clean``: white paper, read
plain), the kernel's peak (``VmHWM``) is reset once the page is resident (``/proc/self/clear_refs``),
then ``preprocess`` runs in mode ``auto``. The figure is a ratio, bytes over the page per page
pixel, and the slope between the sizes (fixed costs of the libraries drop out), not a time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
import cv2
import numpy as np
from digitize import preprocess
from digitize.settings import profile as profiles
from digitize.model import PageImage

side, kind = int(sys.argv[1]), sys.argv[2]
cv2.setNumThreads(1)
img = np.full((side, side), 255, np.uint8)
for i in range(side // 300):
    cv2.putText(img, f"The quick brown fox jumps over the lazy dog {i}", (side // 20, side // 20 + i * 280),
                cv2.FONT_HERSHEY_SIMPLEX, 2.2, 0, 5)
if kind == "uneven":
    shade = np.tile(np.linspace(0, 60, side).astype(np.uint8), (side, 1))
    cv2.subtract(img, shade, dst=img)
    noise = np.empty_like(img)
    cv2.randu(noise, 0, 20)
    cv2.subtract(img, noise, dst=img)
    del shade, noise
elif kind == "bilevel":
    img[img < 255] = 0


def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(key))


with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # the peak (VmHWM) starts again from what is resident now: the page is there
before = status("VmRSS:")
prepared = preprocess.preprocess(PageImage(number=1, image=img, dpi=300), profiles.load("generic").preprocess)
print(status("VmHWM:") - before, img.size, " ".join(prepared.steps))
"""


def measure(side: int, kind: str) -> dict:
    """One page of ``side`` x ``side`` pixels in a fresh process: bytes grown, pixels, steps."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    r = subprocess.run([sys.executable, "-c", CHILD, str(side), kind], capture_output=True, text=True, env=env,
                       timeout=600, check=True)
    grown, pixels, steps = r.stdout.split(maxsplit=2)
    return {"side": side, "kind": kind, "grown": int(grown), "pixels": int(pixels), "steps": steps.split()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sides", default="3000,6000,12000")
    ap.add_argument("--kinds", default="uneven,bilevel,clean")
    ap.add_argument("--json", action="store_true", help="one JSON object per kind")
    args = ap.parse_args(argv)
    if not Path("/proc/self/clear_refs").exists():
        print("needs Linux /proc (clear_refs) to reset the peak", file=sys.stderr)
        return 2
    sides = [int(s) for s in args.sides.split(",")]
    for kind in args.kinds.split(","):
        runs = [measure(side, kind) for side in sides]
        first, last = runs[0], runs[-1]
        slope = (last["grown"] - first["grown"]) / max(1, last["pixels"] - first["pixels"])
        if args.json:
            print(json.dumps({"kind": kind, "slope": slope, "runs": runs}))
            continue
        sizes = ", ".join(f"{r['side']}² {r['grown'] / 2**20:.0f} MB ({r['grown'] / r['pixels']:.2f} B/px)"
                          for r in runs)
        print(f"prep memory [{kind}: {' '.join(runs[0]['steps'])}] over the page: {sizes}; "
              f"growth {slope:.2f} bytes per added pixel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
