"""PDFium is not thread-safe: a small job decodes its PDFs on threads of one process while the
client counts the next input's pages (``batch.run``'s thread pool). Pages decoded by several
threads at once must be the pages decoded by one. Without ``ingest.pdf.PDFIUM`` this crashed the
process (segmentation fault) every time, so the threads run in a child process of their own."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf

REAL = Path(__file__).parent / "data" / "real" / "CA2944968A1"


def _text_pdf(path: Path) -> Path:
    """Two A4 pages of vector text: rendered by PDFium, not extracted."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    for n in range(2):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(b"".join(
            b"BT /F1 11 Tf 50 %d Td (Page %d: threads share one PDFium, line %d.) Tj ET\n" % (800 - 14 * k, n, k)
            for k in range(50)))
    pdf.save(path)
    return path


def _digests(path: Path) -> list[str]:
    from digitize.ingest import iter_pages

    return [hashlib.sha256(p.image.tobytes()).hexdigest() + str(p.image.shape)
            for p in iter_pages(path, max_pixels=150_000_000, default_dpi=300)]


def _hammer(files: list[Path], threads: int = 4, rounds: int = 40) -> list[str]:
    from digitize.ingest import page_count

    alone = {f: _digests(f) for f in files}
    errors: list[str] = []

    def work(offset: int) -> None:
        try:
            for i in range(rounds):
                f = files[(offset + i) % len(files)]
                if _digests(f) != alone[f]:
                    errors.append(f"{f.name}: pages differ when decoded beside other threads")
                page_count(f)
        except Exception as exc:  # noqa: BLE001  reported by the caller
            errors.append(f"{type(exc).__name__}: {exc}")

    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return errors


def test_pdfs_decoded_on_threads_at_once_are_the_pages_decoded_alone(tmp_path):
    # real CCITT G4 office pages (their embedded image is extracted) and a text PDF (rendered)
    files = sorted(REAL.glob("page-*.pdf")) + [_text_pdf(tmp_path / "text.pdf")]
    assert len(files) > 2
    r = subprocess.run([sys.executable, "-X", "faulthandler", __file__, *map(str, files)], capture_output=True, text=True, timeout=300)
    crash = [ln for ln in r.stderr.splitlines() if "Fatal Python error" in ln]
    assert r.returncode == 0, crash or r.stderr[-2000:]
    assert r.stdout.strip() == "ok", r.stdout[-2000:]


if __name__ == "__main__":
    errors = _hammer([Path(a) for a in sys.argv[1:]])
    print("\n".join(errors) if errors else "ok")


def test_threads_opening_oversized_images_each_get_the_guards_reason(tmp_path):
    """PIL's bomb check is a module global that ingest lifts for one open: two threads switching it
    made one thread's open raise PIL's DecompressionBombError (a traceback in the run's log) while
    the other restored it. Every thread must get digitize's one-line max_pixels reason."""
    import struct
    import zlib

    from digitize import ingest
    from digitize.ingest import IngestError

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    huge = tmp_path / "huge.png"
    ihdr = struct.pack(">IIBBBBB", 50000, 50000, 8, 0, 0, 0, 0)
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
                     + chunk(b"IEND", b""))
    reasons: list[str] = []

    def read() -> None:
        for _ in range(200):
            try:
                list(ingest.iter_pages(huge, max_pixels=150_000_000, default_dpi=300))
            except IngestError as exc:
                reasons.append("guard" if "max_pixels" in str(exc) else str(exc))
            except Exception as exc:  # noqa: BLE001  what the race raised
                reasons.append(type(exc).__name__)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(reasons) == 800 and set(reasons) == {"guard"}, sorted(set(reasons))
