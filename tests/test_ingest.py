"""Ingest on generated files of every supported kind, the bad inputs, and the real scans."""

from __future__ import annotations

import os
import struct
import time
import zlib
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pytest
from PIL import Image

from digitize import ingest
from digitize.ingest import IngestError, discover, iter_pages, page_count
from digitize.synth import render_text_page, write_pdf, write_tiff

LIMIT = 150_000_000


def pages(path, **kw):
    kw.setdefault("max_pixels", LIMIT)
    kw.setdefault("default_dpi", 300)
    return list(iter_pages(Path(path), **kw))


@pytest.fixture(scope="module")
def bilevel() -> np.ndarray:
    """A small bilevel text page (100 dpi A4) with an asymmetric mark to see every flip."""
    img = render_text_page(["Ingest keeps every pixel.", "Second line, 2 columns."], dpi=100, font_pt=14)
    img = np.where(img < 128, 0, 255).astype(np.uint8)
    img[20:60, 20:30] = 0  # a bar at the top left
    return img


# --------------------------------------------------------------------------- image files


def test_g4_tiff_multipage_is_lossless(tmp_path, bilevel):
    path = write_tiff([bilevel, 255 - bilevel], tmp_path / "two.tif", 100)
    with Image.open(path) as im:
        assert im.info.get("compression") == "group4"
    assert page_count(path) == 2
    got = pages(path)
    assert [p.number for p in got] == [1, 2]
    assert all(p.dpi == 100 and p.dpi_known and p.image.dtype == np.uint8 and p.image.ndim == 2 for p in got)
    assert np.array_equal(got[0].image, bilevel) and np.array_equal(got[1].image, 255 - bilevel)
    # a page range yields only those pages
    assert [p.number for p in pages(path, first=2)] == [2]
    assert [p.number for p in pages(path, first=1, last=1)] == [1]


def test_lzw_grey_tiff_png_jpeg(tmp_path, bilevel):
    grey = cv2.GaussianBlur(bilevel, (0, 0), 1.0)
    Image.fromarray(grey).save(tmp_path / "g.tif", compression="tiff_lzw", dpi=(200, 200))
    Image.fromarray(grey).save(tmp_path / "g.png", dpi=(150, 150))
    Image.fromarray(grey).save(tmp_path / "g.jpg", quality=95, dpi=(300, 300))
    (t,), (p,), (j,) = pages(tmp_path / "g.tif"), pages(tmp_path / "g.png"), pages(tmp_path / "g.jpg")
    assert np.array_equal(t.image, grey) and t.dpi == 200
    assert np.array_equal(p.image, grey) and p.dpi == 150 and p.dpi_known
    assert j.dpi == 300 and np.abs(j.image.astype(int) - grey).mean() < 3


def test_palette_and_alpha_png_without_dpi(tmp_path, bilevel):
    pal = Image.fromarray(bilevel).convert("P")
    pal.save(tmp_path / "pal.png")
    rgba = Image.new("RGBA", (40, 30), (0, 0, 0, 0))  # fully transparent: white paper
    rgba.paste((0, 0, 0, 255), (0, 0, 10, 10))
    rgba.save(tmp_path / "alpha.png")
    (p,) = pages(tmp_path / "pal.png", default_dpi=240)
    assert p.dpi == 240 and not p.dpi_known and np.array_equal(p.image, bilevel)
    (a,) = pages(tmp_path / "alpha.png")
    assert a.image[5, 5] == 0 and a.image[20, 30] == 255


def test_non_square_pixels_are_made_square(tmp_path, bilevel):
    fax = cv2.resize(bilevel, (bilevel.shape[1], bilevel.shape[0] // 2), interpolation=cv2.INTER_AREA)
    Image.fromarray(fax).save(tmp_path / "fax.tif", dpi=(100, 50))
    (p,) = pages(tmp_path / "fax.tif")
    assert p.dpi == 100 and abs(p.image.shape[0] - bilevel.shape[0]) <= 1


# --------------------------------------------------------------------------- PDF


def test_image_pdf_gives_the_embedded_image_at_native_resolution(tmp_path, bilevel):
    path = write_pdf([bilevel, bilevel[:, ::-1]], tmp_path / "scan.pdf", 100)
    assert page_count(path) == 2
    got = pages(path)
    assert [p.dpi for p in got] == [100, 100]
    # PIL stores the pages as JPEG: the same pixels up to compression noise, no resampling
    for p, want in zip(got, (bilevel, bilevel[:, ::-1])):
        assert p.image.shape == want.shape
        assert np.abs(p.image.astype(int) - want).mean() < 1.0


def _image_pdf(path: Path, img: np.ndarray, *, matrix: str, size: tuple[float, float], rotate: int = 0,
               mask: bool = False, decode: list | None = None, bits: int = 8) -> Path:
    """One image drawn with ``matrix`` (the ``cm`` operands) on a page of ``size`` points."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=size)
    h, w = img.shape
    if bits == 1:
        data = np.packbits(img > 127, axis=1).tobytes()
    else:
        data = img.tobytes()
    stream = pikepdf.Stream(pdf, zlib.compress(data))
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height, stream.Filter = w, h, pikepdf.Name.FlateDecode
    if mask:
        stream.ImageMask = True
    else:
        stream.ColorSpace, stream.BitsPerComponent = pikepdf.Name.DeviceGray, bits
    if decode:
        stream.Decode = pikepdf.Array(decode)
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=stream))
    page.Contents = pdf.make_stream(f"q {matrix} cm /Im0 Do Q".encode())
    if rotate:
        page.Rotate = rotate
    pdf.save(path)
    return path


@pytest.mark.parametrize("name,matrix,rotate,expected", [
    ("upright", "W 0 0 H 0 0", 0, lambda a: a),
    ("placed-180", "-W 0 0 -H W H", 0, lambda a: a[::-1, ::-1]),
    ("placed-90cw", "0 -W H 0 0 W", 0, lambda a: np.rot90(a, -1)),
    ("page-rotate-90", "W 0 0 H 0 0", 90, lambda a: np.rot90(a, -1)),
    ("page-rotate-270", "W 0 0 H 0 0", 270, lambda a: np.rot90(a, 1)),
])
def test_pdf_placement_and_rotate_give_the_page_as_shown(tmp_path, bilevel, name, matrix, rotate, expected):
    h, w = bilevel.shape
    wp, hp = w * 72 / 100, h * 72 / 100
    quarter = "0 -W H 0" in matrix
    size = (hp, wp) if quarter else (wp, hp)
    m = matrix.replace("W", f"{wp:.4f}").replace("H", f"{hp:.4f}")
    if quarter:  # 90° clockwise placement: page is as wide as the image is high
        m = f"0 -{wp:.4f} {hp:.4f} 0 0 {wp:.4f}"
    path = _image_pdf(tmp_path / f"{name}.pdf", bilevel, matrix=m, size=size, rotate=rotate)
    (p,) = pages(path)
    want = expected(bilevel)
    assert p.image.shape == want.shape, name
    assert np.array_equal(p.image, want), name
    assert p.dpi == 100
    # the same as pdfium's rendering of the page, which applies everything itself
    import pypdfium2 as pdfium

    ref = pdfium.PdfDocument(str(path))[0].render(scale=100 / 72, grayscale=True).to_numpy()
    ref = cv2.resize(ref, (want.shape[1], want.shape[0]))
    assert np.mean(np.abs(ref.astype(int) - p.image.astype(int))) < 25, name


@pytest.mark.parametrize("mask,decode,bits", [(True, None, 1), (True, [1, 0], 1), (False, [1, 0], 1),
                                              (False, [1, 0], 8)])
def test_pdf_masks_and_decode_arrays(tmp_path, bilevel, mask, decode, bits):
    h, w = bilevel.shape
    wp, hp = w * 72 / 100, h * 72 / 100
    path = _image_pdf(tmp_path / "m.pdf", bilevel, matrix=f"{wp} 0 0 {hp} 0 0", size=(wp, hp),
                      mask=mask, decode=decode, bits=bits)
    (p,) = pages(path)
    # a stencil paints where samples are 0 (black); Decode [1 0] swaps that, for masks and images
    inverted = decode == [1, 0]
    assert np.array_equal(p.image, 255 - bilevel if inverted else bilevel)


def test_text_pdf_is_rendered_at_300_dpi(tmp_path, bilevel):
    """A page with text (here beside a small image) is not a scan: it is rendered."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 100))
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 24 Tf 20 40 Td (Vector text) Tj ET")
    pdf.save(tmp_path / "text.pdf")
    (p,) = pages(tmp_path / "text.pdf")
    assert p.dpi == 300
    assert abs(p.image.shape[0] - 100 / 72 * 300) <= 1 and abs(p.image.shape[1] - 200 / 72 * 300) <= 1
    assert 0.01 < (p.image < 128).mean() < 0.3


def test_absurd_resolution_is_reduced_while_decoding(tmp_path):
    big = np.full((2400, 3200), 255, np.uint8)
    big[1000:1400, 1000:2200] = 0
    # 3200 px over 1 1/3 inch: 2400 dpi
    path = _image_pdf(tmp_path / "2400.pdf", big, matrix="96 0 0 72 0 0", size=(96, 72))
    (p,) = pages(path)
    assert p.dpi == ingest.MAX_DPI and p.image.shape == (600, 800)
    assert p.image[300, 400] == 0 and p.image[50, 50] == 255


# --------------------------------------------------------------------------- bad inputs


def _huge_png(path: Path) -> Path:
    ihdr = struct.pack(">IIBBBBB", 50000, 50000, 8, 0, 0, 0, 0)

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    idat = chunk(b"IDAT", zlib.compress(b"\0" * 100))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b""))
    return path


def _bad_files(folder: Path, bilevel: np.ndarray) -> dict[str, str]:
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "empty.tif").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(4096))
    (folder / "random.png").write_bytes(os.urandom(4096))
    good = write_pdf([bilevel], folder / "good.pdf", 100)
    data = good.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    Image.fromarray(bilevel).save(folder / "whole.png")
    png = (folder / "whole.png").read_bytes()
    (folder / "truncated.png").write_bytes(png[: len(png) // 2])
    with pikepdf.open(good) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="secret", R=6))
    _huge_png(folder / "huge.png")
    (folder / "letter.docx").write_bytes(b"PK\x03\x04 not a scan")
    return {"empty.pdf": "empty file", "empty.tif": "empty file", "random.pdf": "not a pdf",
            "random.png": "not a readable png", "truncated.pdf": "truncated", "truncated.png": "truncated",
            "encrypted.pdf": "encrypted pdf (password required)", "huge.png": "50000x50000 pixels exceeds",
            "letter.docx": "unsupported file type .docx"}


def test_bad_inputs_fail_with_one_line_reasons(tmp_path, bilevel):
    expected = _bad_files(tmp_path, bilevel)
    for name, words in expected.items():
        t = time.perf_counter()
        with pytest.raises(IngestError) as info:
            page_count(tmp_path / name)
            pages(tmp_path / name)
        reason = str(info.value)
        assert words in reason.lower(), (name, reason)
        assert "\n" not in reason and len(reason) < 200, (name, reason)
        assert time.perf_counter() - t < 5, name  # the guard reads headers, it does not decode
    assert page_count(tmp_path / "good.pdf") == 1


def test_pixel_guard_for_embedded_images_and_rendered_pages(tmp_path, bilevel):
    path = write_pdf([bilevel], tmp_path / "p.pdf", 100)
    with pytest.raises(IngestError, match="max_pixels"):
        pages(path, max_pixels=1000)
    tif = write_tiff([bilevel], tmp_path / "p.tif", 100)
    with pytest.raises(IngestError, match="exceeds the limit of 1000"):
        pages(tif, max_pixels=1000)


def test_owner_password_only_pdf_opens(tmp_path, bilevel):
    good = write_pdf([bilevel], tmp_path / "good.pdf", 100)
    with pikepdf.open(good) as pdf:
        pdf.save(tmp_path / "owner.pdf", encryption=pikepdf.Encryption(owner="o", user="", R=6))
    (p,) = pages(tmp_path / "owner.pdf")
    assert p.image.shape == bilevel.shape and np.abs(p.image.astype(int) - bilevel).mean() < 1.0


# --------------------------------------------------------------------------- discovery


def test_discover_files_and_folders(tmp_path, bilevel):
    root = tmp_path / "in"
    (root / "book").mkdir(parents=True)
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    write_pdf([bilevel], root / "a.pdf", 100)
    Image.fromarray(bilevel).save(root / "B.PNG")
    Image.fromarray(bilevel).save(root / "book" / "0001.tif")
    Image.fromarray(bilevel).save(root / "book" / "0002.tif")
    write_tiff([bilevel, bilevel], root / "book" / "0003.tif", 100)
    (root / "book" / "0001.txt").write_text("ground truth beside the scan")
    Image.fromarray(bilevel).save(root / "nested" / "deeper" / "c.jpeg")
    (root / "nested" / "notes.docx").write_bytes(b"PK")
    (root / ".DS_Store").write_bytes(b"x")
    Image.fromarray(bilevel).save(root / ".hidden" / "x.png")

    files = discover([root])
    rel = [str(p.relative_to(root)) for p in files]
    assert rel == ["B.PNG", "a.pdf", "book/0001.tif", "book/0002.tif", "book/0003.tif", "nested/deeper/c.jpeg",
                   "nested/notes.docx"]
    folders = discover([root], unit="folder")
    rel = [str(p.relative_to(root)) for p in folders]
    assert rel == [".", "a.pdf", "book", "nested/deeper", "nested/notes.docx"]
    # a folder document: its page images in name order, multi-page TIFFs counted page by page
    book = root / "book"
    write_pdf([bilevel], book / "appendix.pdf", 100)  # a PDF in a page folder is its own document
    assert root / "book" / "appendix.pdf" in discover([root], unit="folder")
    assert page_count(book) == 4
    got = pages(book)
    assert [p.number for p in got] == [1, 2, 3, 4]
    assert [p.number for p in pages(book, first=3, last=4)] == [3, 4]
    # an explicitly named file is kept whatever it is (it fails later with its reason)
    assert discover([root / "nested" / "notes.docx"]) == [root / "nested" / "notes.docx"]
    with pytest.raises(FileNotFoundError, match="input not found"):
        discover([root / "nope.pdf"])


# --------------------------------------------------------------------------- real scans


OCRMYPDF_FILES = ["2400dpi.pdf", "c02-22.pdf", "cardinal.pdf", "ccitt.pdf", "epson.pdf", "multipage.pdf",
                  "rotated_skew.pdf", "skew.pdf", "linn.png"]


def test_real_scans_ingest_as_shown(shared_data):
    """Every page of the OCRmyPDF test scans comes out as pdfium draws it (orientation, masks,
    JBIG2/CCITT/JPEG decoding), at a sane resolution."""
    import pypdfium2 as pdfium

    folder = shared_data / "scans" / "ocrmypdf"
    for name in OCRMYPDF_FILES:
        path = folder / name
        if not path.exists():
            continue
        doc = pdfium.PdfDocument(str(path)) if name.endswith(".pdf") else None
        n = page_count(path)
        for p in iter_pages(path, max_pixels=LIMIT, default_dpi=300, last=min(n, 6)):
            assert p.image.dtype == np.uint8 and p.image.ndim == 2 and 70 <= p.dpi <= 600, (name, p.dpi)
            if doc is None:
                continue
            ref = doc[p.number - 1].render(scale=30 / 72, grayscale=True).to_numpy()
            ref = ref if ref.ndim == 2 else cv2.cvtColor(ref, cv2.COLOR_BGR2GRAY)
            small = cv2.resize(p.image, (ref.shape[1], ref.shape[0]), interpolation=cv2.INTER_AREA).astype(float)
            corr = np.corrcoef(small.ravel(), ref.astype(float).ravel())[0, 1]
            flipped = np.corrcoef(small[::-1, ::-1].ravel(), ref.astype(float).ravel())[0, 1]
            assert corr > 0.5 and corr > flipped + 0.2, (name, p.number, corr, flipped)
    (linn,) = pages(folder / "linn.png", default_dpi=300)
    assert not linn.dpi_known and linn.dpi == 300
    (absurd,) = pages(folder / "2400dpi.pdf")
    assert absurd.dpi == 600 and absurd.image.size < 1_000_000


def test_searched_folders_are_the_ones_discover_lists_and_the_hot_folder_watches(tmp_path):
    """One rule for which sub-folders are read: ``discover`` lists documents only in the folders
    ``searched`` admits, and the hot folder watches exactly those (it used to restate the rule)."""
    from digitize.hotfolder import HotFolder
    from digitize.ingest import discover, searched
    from digitize.jobfolder import LEDGER, is_job_folder

    inbox = tmp_path / "in"
    kinds = {"plain": True, ".hidden": False, "out": False, "job": False, "link": False}
    for name in kinds:
        if name != "link":
            (inbox / name).mkdir(parents=True)
            (inbox / name / "p.png").write_bytes(b"x")
    (inbox / "job" / LEDGER).write_bytes(b"")
    os.symlink(inbox / "plain", inbox / "link")
    exclude = [inbox / "out"]
    for name, want in kinds.items():
        assert searched(inbox / name, exclude, is_job_folder) is want, name
    found = {p.parent.name for p in discover([inbox], exclude=exclude, skip=is_job_folder)}
    assert found == {n for n, want in kinds.items() if want}
    hot = HotFolder(inbox, out=inbox / "out")  # adds its done and failed folders: not searched either
    try:
        if hot.notify is not None:
            assert {p.name for p in hot.notify.dirs.values()} == {"in"} | {n for n, want in kinds.items() if want}
        assert {p.parent.name for p in hot._candidates()} == found
    finally:
        hot.close()
