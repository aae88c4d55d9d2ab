"""The OCR engine: Tesseract, kept alive for the life of a worker (a process, or a thread of a
thread-mode run).

Creating a Tesseract API loads the language models (~0.3 s); a worker keeps one per settings and
reuses it for every page. tesserocr runs Tesseract in process; pytesseract (the CLI) is the
fallback when tesserocr cannot be imported. The CLI's TSV (``parse_tsv``) and tesserocr's result
iterator (``read_blocks``, the same rows without the TSV) give the same `OcrPage` shape: words
with boxes and confidences, grouped in lines and paragraph blocks, in one engine call per page.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import subprocess
import threading

import numpy as np

from .model import Block, Line, OcrPage, Prepared, Word
from .settings.engine import EngineSettings
from .tessdata import EngineError, check_languages, find_tessdata

log = logging.getLogger(__name__)

# One OpenMP thread per engine: Tesseract's threads make a page ~8x slower on a loaded machine.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

def parse_tsv(tsv: str, number: int) -> list[Block]:
    """Tesseract TSV → blocks (Tesseract paragraphs) of lines of words."""
    blocks: dict[tuple[int, int], Block] = {}
    lines: dict[tuple[int, int, int], Line] = {}
    count = 0
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if len(row) < 12 or row[0] == "level":
            continue
        level = int(row[0])
        block_num, par_num, line_num = int(row[2]), int(row[3]), int(row[4])
        x, y, w, h = (int(v) for v in row[6:10])
        bbox = (x, y, x + w, y + h)
        if level == 3:
            blocks[(block_num, par_num)] = Block(bbox=bbox)
        elif level == 4:
            line = Line(bbox=bbox)
            lines[(block_num, par_num, line_num)] = line
            blocks.setdefault((block_num, par_num), Block(bbox=bbox)).lines.append(line)
        elif level == 5:
            text = row[11].strip()
            if not text:
                continue
            count += 1
            lines[(block_num, par_num, line_num)].words.append(_word(number, count, text, bbox, row[10]))
    return _with_words(list(blocks.values()))


def _word(number: int, count: int, text: str, bbox: tuple, conf: str) -> Word:
    """A word as both readers make it: the page's running id, the TSV's confidence (six
    decimals) to two, a negative one (no reading) as 0."""
    return Word(id=f"p{number:04d}_w{count:05d}", text=text, bbox=bbox, conf=round(max(float(conf), 0.0), 2))


def _with_words(blocks: list[Block]) -> list[Block]:
    """The blocks and lines that hold words (Tesseract also reports empty ones)."""
    for block in blocks:
        block.lines = [ln for ln in block.lines if ln.words]
    return [block for block in blocks if block.lines]


def read_blocks(api, number: int) -> list[Block]:
    """The recognised page as ``parse_tsv`` would give it from ``GetTSVText``, read from the
    engine's result iterator a word at a time. ``GetTSVText`` builds each word from its
    characters, one iterator step per character: 0.13-0.22 s on a dense page, against ~0.09 s
    here with the parsing included. Same blocks, lines, words, boxes and confidences (113 real
    and synthetic pages compared, none differed)."""
    from tesserocr import RIL

    blocks: list[Block] = []
    it = api.GetIterator()
    block = line = None
    count = 0
    while it is not None:
        if it.IsAtBeginningOf(RIL.PARA):
            block = Block(bbox=tuple(it.BoundingBox(RIL.PARA)))
            blocks.append(block)
        if it.IsAtBeginningOf(RIL.TEXTLINE):
            line = Line(bbox=tuple(it.BoundingBox(RIL.TEXTLINE)))
            if block is None:  # as parse_tsv: a line outside any paragraph makes its own block
                block = Block(bbox=line.bbox)
                blocks.append(block)
            block.lines.append(line)
        if not it.Empty(RIL.WORD):
            text = (it.GetUTF8Text(RIL.WORD) or "").strip()
            if text:
                count += 1
                line.words.append(_word(number, count, text, tuple(it.BoundingBox(RIL.WORD)),
                                        f"{it.Confidence(RIL.WORD):.6f}"))  # as the TSV writes it
        if not it.Next(RIL.WORD):
            break
    return _with_words(blocks)


class Engine:
    """One Tesseract configuration, reused for every page this process recognises."""

    def __init__(self, settings: EngineSettings):
        self.settings = settings
        self.tessdata = find_tessdata(settings.tessdata)
        check_languages(self.tessdata, settings.languages)
        backend = settings.backend
        if backend in ("auto", "tesserocr"):
            try:
                import tesserocr  # noqa: F401
            except ImportError:
                if backend == "tesserocr":
                    raise EngineError("tesserocr is not installed (pip install tesserocr)") from None
                backend = "pytesseract"
            else:
                backend = "tesserocr"
        if backend == "pytesseract" and not shutil.which("tesseract"):
            raise EngineError("neither tesserocr nor the tesseract program is available (apt-get install tesseract-ocr)")
        self.backend = backend
        self._api = None
        self._osd = None
        self.name = f"{backend} {self.version()} {settings.languages}"

    # -- engine calls ------------------------------------------------------------------------
    def version(self) -> str:
        if self.backend == "tesserocr":
            import tesserocr

            return tesserocr.tesseract_version().split()[1]
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
        return out.split()[1] if out else "?"

    def _tesserocr_api(self):
        if self._api is None:
            from tesserocr import PyTessBaseAPI

            self._api = PyTessBaseAPI(
                path=str(self.tessdata) + os.sep, lang=self.settings.languages,
                psm=int(self.settings.psm), oem=int(self.settings.oem),
            )
            for key, value in self.settings.variables.items():
                if not self._api.SetVariable(key, str(value)):
                    raise EngineError(f"Tesseract does not know the variable {key!r} ([engine] variables)")
        return self._api

    def recognize(self, prepared: Prepared, number: int) -> OcrPage:
        """Recognise one preprocessed page: one engine call yields words, lines and blocks."""
        image = np.ascontiguousarray(prepared.image, dtype=np.uint8)
        height, width = image.shape[:2]
        if self.backend == "tesserocr":
            api = self._tesserocr_api()
            api.SetImageBytes(image.tobytes(), width, height, 1, width)
            api.SetSourceResolution(int(prepared.engine_dpi or prepared.dpi))
            try:
                if not api.Recognize(timeout=int(self.settings.timeout * 1000)) and self.settings.timeout:
                    raise self._timed_out(number)
                blocks = read_blocks(api, number)
            finally:
                # The engine would keep the page (its copies of the image, every word's blobs and
                # outlines) until the next one: in a thread pool two such pages sat beside the
                # two being read (17-page PDF, 2 threads: 462-492 MB a process, 391-397 without).
                api.Clear()
        else:
            blocks = parse_tsv(self._pytesseract_tsv(image, prepared.engine_dpi or prepared.dpi, number), number)
        return OcrPage(
            number=number, width=width, height=height, dpi=int(prepared.dpi),
            blocks=blocks, rotation=prepared.rotation, skew=round(prepared.skew, 3),
            engine=self.name, ink_ratio=round(prepared.ink_ratio, 5),
        )

    def recognize_region(self, image: np.ndarray, dpi: int, number: int, psm: int) -> list[Block]:
        """Recognise a small image (a table cell's crop) with page segmentation mode ``psm``
        (7: one line, 6: a block of lines); the engine's own mode is restored after. Word ids
        restart at 1: the caller renumbers them into the page."""
        image = np.ascontiguousarray(image, dtype=np.uint8)
        height, width = image.shape[:2]
        if self.backend != "tesserocr":
            return parse_tsv(self._pytesseract_tsv(image, dpi, number, psm=psm), number)
        api = self._tesserocr_api()
        api.SetPageSegMode(int(psm))
        try:
            api.SetImageBytes(image.tobytes(), width, height, 1, width)
            api.SetSourceResolution(int(dpi))
            if not api.Recognize(timeout=int(self.settings.timeout * 1000)) and self.settings.timeout:
                raise self._timed_out(number)
            return read_blocks(api, number)
        finally:
            api.Clear()
            api.SetPageSegMode(int(self.settings.psm))

    def _pytesseract_tsv(self, image: np.ndarray, dpi: int, number: int, psm: int | None = None) -> str:
        import pytesseract
        from PIL import Image

        config = f"--psm {psm if psm is not None else self.settings.psm} --oem {self.settings.oem} --dpi {int(dpi)} --tessdata-dir {self.tessdata}"
        for key, value in self.settings.variables.items():
            config += f" -c {key}={value}"
        try:
            return pytesseract.image_to_data(Image.fromarray(image), lang=self.settings.languages, config=config,
                                             timeout=self.settings.timeout or 0)
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise self._timed_out(number) from None
            raise

    def _timed_out(self, number: int) -> EngineError:
        return EngineError(f"page {number}: OCR did not finish within {self.settings.timeout:g} s ([engine] timeout)")

    def detect_orientation(self, image: np.ndarray) -> tuple[int, float]:
        """Degrees to rotate the image clockwise to make it upright, and the OSD confidence.

        Returns (0, 0.0) when OSD cannot decide (too little text, no osd model)."""
        if not (self.tessdata / "osd.traineddata").exists():
            return 0, 0.0
        image = np.ascontiguousarray(image, dtype=np.uint8)
        h, w = image.shape[:2]
        try:
            if self.backend == "tesserocr":
                if self._osd is None:
                    from tesserocr import PSM, PyTessBaseAPI

                    self._osd = PyTessBaseAPI(path=str(self.tessdata) + os.sep, lang="osd", psm=PSM.OSD_ONLY)
                self._osd.SetImageBytes(image.tobytes(), w, h, 1, w)
                try:
                    result = self._osd.DetectOrientationScript()
                finally:
                    self._osd.Clear()
                if not result:
                    return 0, 0.0
                orient, conf = int(result["orient_deg"]), float(result["orient_conf"])
            else:
                import pytesseract
                from PIL import Image

                osd = pytesseract.image_to_osd(
                    Image.fromarray(image), config=f"--psm 0 --tessdata-dir {self.tessdata}",
                    output_type=pytesseract.Output.DICT,
                )
                orient, conf = int(osd["orientation"]), float(osd["orientation_conf"])
        except Exception as exc:  # OSD raises on pages with too few characters
            log.debug("orientation detection failed: %s", exc)
            return 0, 0.0
        # Tesseract reports the counter-clockwise turn that makes the page upright (checked on
        # rotated test pages: a page turned 90° counter-clockwise reports 270).
        return (360 - orient) % 360, conf


_local = threading.local()


def _cached(settings_key: tuple) -> Engine:
    """One engine per thread and settings: a Tesseract API is not thread-safe, and a thread-mode
    run (``[job] pool = "threads"``) recognises one page per thread at once (tesserocr releases
    the GIL during recognition). In a worker process of one thread this is one engine a process."""
    engines = getattr(_local, "engines", None)
    if engines is None:
        engines = _local.engines = {}
    engine = engines.get(settings_key)
    if engine is None:
        if len(engines) >= 4:
            engines.clear()
        languages, psm, oem, backend, variables, tessdata, timeout = settings_key
        engine = engines[settings_key] = Engine(EngineSettings(languages, psm, oem, backend, dict(variables), tessdata, timeout))
    return engine


def get_engine(settings: EngineSettings) -> Engine:
    """This thread's engine for these settings (created on first use, then reused)."""
    key = (settings.languages, settings.psm, settings.oem, settings.backend,
           tuple(sorted(settings.variables.items())), settings.tessdata, settings.timeout)
    return _cached(key)
