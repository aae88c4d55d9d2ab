"""A document folder's files as the pipeline reads and writes them (names: ``DocumentFolder``).

The OCR half leaves ``pages/NNNN.tif`` and ``pages/NNNN.json`` (the hand-off: a killed run
resumes page by page, reviewers' decisions are applied later without OCR); the finish writes the
pages' text, hOCR and ALTO and the document's text and JSON. The page JSON keeps the engine's
text; only reviewers' illegible marks are recorded in it.
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from ..fsutil import atomic_write
from ..jobfolder import DocumentFolder, page_name
from ..model import Document, OcrPage, Prepared
from ..structure.figures import label_ids
from ..structure.tables import page_text


def save_page(work_dir: Path, page: OcrPage, prepared: Prepared) -> None:
    """The page's image as CCITT G4 (the ink of the pixels the word boxes refer to) and its OCR
    result. The JSON is written last: its presence means the page is complete."""
    from ..preprocess import bilevel

    folder = DocumentFolder(work_dir)
    folder.pages_dir.mkdir(parents=True, exist_ok=True)
    image_path = folder.page(page.number, ".tif")
    # no dithering: the pixels are 0/255 already (PIL's default would dither them, slowly)
    image = Image.fromarray(bilevel(prepared.image, prepared.ink_level)).convert("1", dither=Image.Dither.NONE)
    tmp = image_path.with_name(f".{image_path.name}.tmp")
    # one strip: the facsimile PDF can then carry the G4 stream itself, byte for byte
    image.save(tmp, format="TIFF", compression="group4", dpi=(prepared.dpi, prepared.dpi), strip_size=1 << 30)
    tmp.replace(image_path)
    atomic_write(folder.page(page.number, ".json"), page.to_json(compact=True))


def load_pages(work_dir: Path) -> list[OcrPage]:
    """The recognised pages of a document folder, in page order."""
    return [OcrPage.from_json(f.read_text(encoding="utf-8")) for f in DocumentFolder(work_dir).page_jsons()]


def flag_illegible(work_dir: Path, pages: list[OcrPage], illegible: set[str]) -> None:
    """Record the illegible marks in ``pages/NNNN.json`` itself (the text stays the engine's), and
    take back marks no longer decided (a reopened item); a file is rewritten only on change.
    ``pages`` are the pages as loaded: only those with a mark, set or decided, are read again."""
    folder = DocumentFolder(work_dir)
    for page in pages:
        ids = {w.id: w for w in page.words()}
        if not any(w.illegible for w in ids.values()) and not illegible & ids.keys():
            continue
        path = folder.page(page.number, ".json")
        data = json.loads(path.read_text(encoding="utf-8"))
        changed = False
        for block in data.get("blocks", []):
            for line in block.get("lines", []):
                for w in line.get("words", []):
                    flag = w.get("id") in illegible
                    if bool(w.get("illegible")) != flag:
                        w["illegible"] = flag
                        changed = True
        if changed:
            atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


PAGE_FORMATS = ("text", "hocr", "alto")  # a page's files: pages/NNNN.txt, .hocr, .alto.xml


def page_output(page: OcrPage, fmt: str, labels: set[str] | None = None) -> str | bytes:
    """One of a finished page's files: its text (str: running text, tables row by row with
    tab-separated cells; figure labels left out), hOCR or ALTO (bytes; they name the page image
    ``NNNN.tif`` beside them). ``labels``: the page's figure label ids, when already known."""
    from ..emit.alto import page_to_alto
    from ..emit.hocr import page_to_hocr

    if fmt not in PAGE_FORMATS:
        raise ValueError(f"unknown page format {fmt!r}; known: {', '.join(PAGE_FORMATS)}")
    image = f"{page_name(page.number)}.tif"
    if fmt == "hocr":
        return page_to_hocr(page, image)
    labels = label_ids(page) if labels is None else labels  # figure labels stay in the JSON/hOCR/ALTO only
    return page_text(page, labels) + "\n" if fmt == "text" else page_to_alto(page, image, labels)


def page_outputs(page: OcrPage) -> tuple[str, bytes, bytes]:
    """The page's text, hOCR and ALTO (``page_output`` of each), its figure labels found once."""
    labels = label_ids(page)
    return tuple(page_output(page, fmt, labels) for fmt in PAGE_FORMATS)  # type: ignore[return-value]


def document_text(page_texts: list[str]) -> str:
    """The document's text: the pages' texts separated by form feeds, as pdftotext does."""
    return "\f".join(page_texts)


def write_texts(work_dir: Path, doc: Document, pages: list[OcrPage]) -> list[str]:
    """Each page's ``.txt``, ``.hocr`` and ``.alto.xml``, the document's text and JSON; returns
    the names of the document's two files."""
    folder = DocumentFolder(work_dir)
    texts = []
    for page in pages:
        text, hocr, alto = page_outputs(page)
        texts.append(text)
        write_if_changed(folder.page(page.number, ".txt"), text.encode("utf-8"))
        write_if_changed(folder.page(page.number, ".hocr"), hocr)
        write_if_changed(folder.page(page.number, ".alto.xml"), alto)
    atomic_write(folder.text(doc.doc_id), document_text(texts))
    atomic_write(folder.json(doc.doc_id), doc.to_json())
    return [folder.text(doc.doc_id).name, folder.json(doc.doc_id).name]


def write_if_changed(path: Path, data: bytes) -> None:
    """``atomic_write`` unless the file already holds exactly ``data``: a re-finish (``digitize
    apply``, a resumed run) changes a few pages, and each atomic write costs an fsync. Only the
    document JSON's mtime says when outputs changed (``package._newest_input``), and it is
    always written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def remove_stale(work_dir: Path, doc_id: str) -> None:
    """Outputs named after an earlier DOCID of the same input (e.g. before structure knew it)."""
    for f in DocumentFolder(work_dir).stale(doc_id):
        f.unlink()
