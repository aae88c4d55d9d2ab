"""The front page's name and title lines read a second time, for the marks the profile's model
cannot see (issue 24; what is done with the reading: ``structure/marks.py``).

The English model has no Ó, É, Ç or Ñ; the Spanish one sees an acute, a tilde or a diaeresis
where one is printed. Each field is read as one block (page segmentation mode 6) on its box of the
stored page image (``pages/NNNN.tif``, whose pixels the words' boxes are in): one engine call a
field, on the front page only. A profile's engine languages stay as they are for the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from ..model import OcrPage, Word
from ..ocr import get_engine
from ..settings.engine import EngineSettings
from ..settings.profile import Profile
from ..tessdata import EngineError

LANGUAGES = "spa"  # the model that sees the names' marks (acute, tilde, diaeresis)
PAD = 12  # the crop's margin around the field's words, in pixels at 300 dpi


def field_reader(profile: Profile, image_of: Callable[[int], object]) -> Callable:
    """``read(page, bbox)``: the words of that box of ``page`` read again, in page pixels (none
    when the model is not installed: the fields are then left as read). ``image_of(number)``: the
    stored image of a page (a path, or pixels), None when there is none. The engine is made on the
    first call: a document without a front page costs nothing."""
    e = profile.engine
    settings = EngineSettings(languages=LANGUAGES, psm=6, oem=e.oem, backend=e.backend, variables=dict(e.variables),
                              tessdata=e.tessdata, timeout=e.timeout)
    pixels: dict[int, np.ndarray | None] = {}

    def read(page: OcrPage, bbox) -> list[Word]:
        try:
            engine = get_engine(settings)  # this thread's, kept for the next documents
        except EngineError:
            return []
        if page.number not in pixels:
            pixels[page.number] = _pixels(image_of(page.number))
        img = pixels[page.number]
        if img is None or img.shape[:2] != (page.height, page.width):
            return []
        x0, y0, x1, y1 = bbox
        pad = round(PAD * (page.dpi or 300) / 300)
        x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
        x1, y1 = min(img.shape[1], x1 + pad), min(img.shape[0], y1 + pad)
        if x1 - x0 < 8 or y1 - y0 < 8:
            return []
        try:
            blocks = engine.recognize_region(img[y0:y1, x0:x1], page.dpi, page.number, 6)
        except EngineError:  # a region the engine gave up on (a timeout): the field keeps its first reading
            return []
        return [Word(id=w.id, text=w.text, conf=w.conf, bbox=(w.bbox[0] + x0, w.bbox[1] + y0, w.bbox[2] + x0, w.bbox[3] + y0))
                for b in blocks for ln in b.lines for w in ln.words]

    return read


def _pixels(image) -> np.ndarray | None:
    """A stored page image as 8-bit grey pixels (a G4 TIFF's 0/1 as 0/255)."""
    if image is None:
        return None
    if isinstance(image, np.ndarray):
        return image
    from PIL import Image

    try:
        with Image.open(Path(image)) as im:
            return np.asarray(im.convert("L"))
    except OSError:
        return None
