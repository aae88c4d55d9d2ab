"""The sealed Spanish page set for ``bench/spanish.py``: run only to report, never tuned on.

Different documents and different code from the tuning set: prose paragraphs of Debian's Spanish
manual pages of sections 7, 5 and 8 (``manpages-es``; the tuning part reads section 1), typeset justified in Liberation Serif at
10-12 pt with a running header and a page number, in one column or two, and degraded by a scanner
model of its own (rotation, a blur kernel, paper grain, a global threshold for office; a lower
resolution, a gamma curve and JPEG for poor).
"""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from common import man_paragraphs

SECTIONS = ("man7", "man5", "man8")  # the tuning part reads man1
SERIF = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
SERIF_BOLD = "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"


def _wrap(words: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[list[str]]:
    lines, cur = [], []
    for w in words:
        trial = " ".join(cur + [w])
        if cur and font.getlength(trial) > width:
            lines.append(cur)
            cur = [w]
        else:
            cur.append(w)
    if cur:
        lines.append(cur)
    return lines


def typeset(paras: list[str], rng: random.Random, number: int, dpi: int = 300) -> tuple[np.ndarray, str, list[str]]:
    """One A4 page; returns the image, its text, and the paragraphs that did not fit."""
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    pt = rng.choice((10, 11, 12))
    size = int(pt / 72 * dpi)
    font = ImageFont.truetype(SERIF, size)
    bold = ImageFont.truetype(SERIF_BOLD, int(size * 0.9))
    margin = int(rng.uniform(0.8, 1.2) * dpi)
    columns = rng.choice((1, 1, 2))
    gap = int(0.3 * dpi)
    col_w = (w - 2 * margin - (columns - 1) * gap) // columns
    lead = int(size * rng.uniform(1.25, 1.4))
    header = f"Memoria técnica — hoja {number}"
    draw.text((margin, int(0.5 * dpi)), header, font=bold, fill=0)
    texts = [header]
    left = list(paras)
    for col in range(columns):
        x0 = margin + col * (col_w + gap)
        y = margin + int(0.2 * dpi)
        while left:
            lines = _wrap(left[0].split(), font, col_w)
            if y + lead * len(lines) > h - margin:
                if y + lead * 3 > h - margin:
                    break
                fit = (h - margin - y) // lead
                rest = [wd for ln in lines[fit:] for wd in ln]
                lines = lines[:fit]
                left[0] = " ".join(rest)
            else:
                left.pop(0)
            for k, ln in enumerate(lines):
                _justify(draw, ln, font, x0, y, col_w, last=k == len(lines) - 1)
                y += lead
            texts.append(" ".join(" ".join(ln) for ln in lines))
            y += lead // 2
            if y > h - margin:
                break
    foot = str(number)
    draw.text((w // 2, h - int(0.6 * dpi)), foot, font=font, fill=0)
    texts.append(foot)
    return np.array(img), " ".join(texts), left


def _justify(draw: ImageDraw.ImageDraw, words: list[str], font, x0: int, y: int, width: int, last: bool) -> None:
    if last or len(words) < 2:
        draw.text((x0, y), " ".join(words), font=font, fill=0)
        return
    total = sum(font.getlength(wd) for wd in words)
    space = (width - total) / (len(words) - 1)
    x = float(x0)
    for wd in words:
        draw.text((int(round(x)), y), wd, font=font, fill=0)
        x += font.getlength(wd) + space


def scan(img: np.ndarray, level: str, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A scanner model of its own (see the module docstring)."""
    h, w = img.shape
    angle = float(rng.uniform(-1.2, 1.2)) if level == "office" else float(rng.uniform(-3.0, 3.0))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255).astype(np.float32)
    if level == "office":
        out = cv2.blur(out, (2, 2))
        out += rng.normal(0, 10, out.shape) + cv2.resize(rng.normal(0, 12, (h // 8, w // 8)), (w, h))
        thr = float(rng.uniform(135, 165))
        return np.where(out < thr, 0, 255).astype(np.uint8), 300
    dpi = int(rng.choice((150, 200)))
    out = cv2.resize(out, None, fx=dpi / 300, fy=dpi / 300, interpolation=cv2.INTER_AREA)
    out = cv2.GaussianBlur(out, (3, 3), 0.9)
    out = 255 * (np.clip(out, 0, 255) / 255) ** float(rng.uniform(0.7, 1.5))
    out = out * 0.8 + 35 + rng.normal(0, 9, out.shape)
    ok, buf = cv2.imencode(".jpg", np.clip(out, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 60])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE), dpi


def pages(n: int, level: str, seed: int = 20261207):
    """``n`` degraded pages ``(image, dpi, truth text)``; the same for a seed."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed + (0 if level == "office" else 1))
    paras = man_paragraphs(SECTIONS)
    rng.shuffle(paras)
    queue = list(paras)
    for number in range(1, n + 1):
        img, text, left = typeset(queue[:14], rng, number)
        queue = left + queue[14:]
        image, dpi = scan(img, level, nrng)
        yield image, dpi, text
