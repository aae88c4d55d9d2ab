"""The PATENTSCOPE delivery: the done documents of a job folder, packed like WIPO's ST.36 examples.

    PKG/
      manifest.xml          every document and every file with its SHA-256 and size
      manifest.sha256       the same checksums, ``sha256sum -c`` compatible
      authority/…           the batch's ST.37 authority file(s), when the job has them
      EP3441143A1/
        DOC00001.xml        the ST.36 full text (as in WIPO's ep-* examples)
        DOC00001.st96.xml   the ST.96 full text
        pages/0001.tif …    page and figure images, TIFF CCITT G4, named as the XML's img/@file
        toc.xml             WIPO's Application-body manifest (ExtRef per file)

Packaging is a pure function of the job folder: documents and files are sorted, XML is written by
lxml, file times are fixed (``SOURCE_DATE_EPOCH`` or 2000-01-01) and a ``.zip`` destination gets
fixed entry dates and permissions, so packaging twice gives the same bytes. The package is built
beside the destination and moved into place at the end; a destination that is not an earlier
package is never overwritten.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .errors import DigitizeError
from .fsutil import current_umask, new_temp
from .jobfolder import LEDGER, JobFolder
from . import xmlsafe
from .xmlsafe import parser as safe_parser

log = logging.getLogger(__name__)

ST36_NAME = "DOC00001.xml"
ST96_NAME = "DOC00001.st96.xml"
FIXED_EPOCH = 946684800  # 2000-01-01T00:00:00Z
ZIP_DATE = (2000, 1, 1, 0, 0, 0)

TOC_DOCTYPE = """<!DOCTYPE Application-body [
<!ELEMENT Application-body (Document+)>
<!ATTLIST Application-body id CDATA #REQUIRED>
<!ATTLIST Application-body country CDATA #REQUIRED>
<!ATTLIST Application-body kind CDATA #REQUIRED>
<!ATTLIST Application-body appnum CDATA #IMPLIED>
<!ATTLIST Application-body mainipc CDATA #IMPLIED>
<!ATTLIST Application-body pubdate CDATA #REQUIRED>
<!ATTLIST Application-body dtd CDATA #REQUIRED>
<!ATTLIST Application-body lang CDATA #REQUIRED>
<!ATTLIST Application-body status CDATA #REQUIRED>
<!ELEMENT Document (StartPage?, Pages?, Package?, ExtRef+)>
<!ELEMENT StartPage (#PCDATA)>
<!ELEMENT Pages (#PCDATA)>
<!ELEMENT Package (#PCDATA)>
<!ELEMENT ExtRef (#PCDATA)>
<!ATTLIST ExtRef FileName CDATA #REQUIRED>
]>
<Application-body id="" country="" kind="" pubdate="" dtd="v0.01" lang="" status=""><Document/></Application-body>
"""


class PackageError(DigitizeError):
    """The job folder or the destination cannot be used; one line for the user."""


@dataclass
class PackageResult:
    dest: Path
    documents: list[str] = field(default_factory=list)
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # "DOCID: why"


def _epoch() -> int:
    v = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(v) if v.isdigit() else FIXED_EPOCH


def done_documents(job_dir: Path) -> list[dict]:
    """Rows of the ledger in state 'done', by doc_id (read-only access)."""
    job = JobFolder(job_dir)
    if not job.exists():
        raise PackageError(f"{job_dir} is not a job folder (no {LEDGER})")
    try:
        ledger = job.ledger(readonly=True)
        try:
            return sorted((r for r in ledger.rows("done") if r["doc_id"] is not None),
                          key=lambda r: (r["doc_id"], r["input"]))
        finally:
            ledger.close()
    except sqlite3.Error as exc:
        raise PackageError(f"{job.ledger_path}: cannot read the documents table: {exc}") from None


def _safe_rel(name: str) -> str | None:
    """A relative path inside the document folder, or None (absolute, '..', odd characters)."""
    p = Path(name.replace("\\", "/"))
    if p.is_absolute() or any(part in ("..", "") for part in p.parts) or not re.fullmatch(r"[\w./-]+", name):
        return None
    return p.as_posix()


def _g4(src: Path) -> bytes:
    """The file's bytes when it already is a CCITT G4 TIFF, else a G4 TIFF of it."""
    from PIL import Image

    data = src.read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        if im.format == "TIFF" and im.info.get("compression") == "group4" and getattr(im, "n_frames", 1) == 1:
            return data
        dpi = im.info.get("dpi", (300, 300))
        buf = io.BytesIO()
        bilevel = im.convert("L").point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
        bilevel.save(buf, format="TIFF", compression="group4", dpi=tuple(int(round(d)) for d in dpi))
        return buf.getvalue()


def _toc(st36: etree._Element, names: list[str]) -> bytes:
    tree = etree.ElementTree(etree.fromstring(TOC_DOCTYPE.encode(), safe_parser()))
    root = tree.getroot()
    date = st36.get("date-publ") or ""
    app = st36.findtext("bibliographic-data/application-reference/document-id/doc-number") or ""
    ipc = st36.findtext("bibliographic-data/classifications-ipcr/classification-ipcr/text") or ""
    root.set("id", st36.get("doc-number") or "")
    root.set("country", st36.get("country") or "")
    root.set("kind", st36.get("kind") or "")
    if app:
        root.set("appnum", app)
    if ipc:
        root.set("mainipc", " ".join(ipc.split()[:2]))
    root.set("pubdate", f"{date[:4]}/{date[4:6]}/{date[6:8]}" if re.fullmatch(r"\d{8}", date) else "")
    root.set("lang", (st36.get("lang") or "").upper())
    # attribute order as in WIPO's toc.xml
    for name in ("dtd", "lang", "status"):
        value = root.attrib.pop(name)
        root.set(name, value)
    doc = root.find("Document")
    for n in names:
        etree.SubElement(doc, "ExtRef", FileName=n)
    body = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _document_files(job_dir: Path, row: dict) -> tuple[dict[str, bytes], etree._Element]:
    """{name in package folder: bytes} for one document; raises PackageError with the reason."""
    doc_id = row["doc_id"]
    folder = (job_dir / (row["out_dir"] or f"documents/{doc_id}")).resolve()
    if job_dir.resolve() not in folder.parents:
        raise PackageError(f"out_dir {row['out_dir']!r} is outside the job folder")
    st36_path = folder / f"{doc_id}.st36.xml"
    if not st36_path.is_file():
        raise PackageError(f"no ST.36 file {st36_path.name}")
    st36_bytes = st36_path.read_bytes()
    try:
        st36 = xmlsafe.fromstring(st36_bytes)
    except (etree.XMLSyntaxError, xmlsafe.UnsafeXML) as exc:
        raise PackageError(f"{st36_path.name}: not well-formed: {exc}") from None
    files: dict[str, bytes] = {ST36_NAME: st36_bytes}
    st96_path = folder / f"{doc_id}.st96.xml"
    if st96_path.is_file():
        files[ST96_NAME] = st96_path.read_bytes()
    images = {el.get("file") for el in st36.iter("img", "doc-page") if el.get("file")}
    pages_dir = folder / "pages"
    if pages_dir.is_dir():
        images |= {f"pages/{p.name}" for p in pages_dir.glob("*.tif") if not p.name.startswith(".")}
    for name in sorted(images):
        rel = _safe_rel(name)
        if rel is None:
            raise PackageError(f"image reference {name!r} is not a plain relative path")
        src = folder / rel
        if not src.is_file():
            raise PackageError(f"image {rel} referenced by the XML is missing")
        files[rel] = _g4(src) if src.suffix.lower() in (".tif", ".tiff") else src.read_bytes()
    return files, st36


Entry = tuple[str, str, int, str]  # name in package, sha256, bytes, role


def _manifest(documents: list[tuple[str, dict[str, str], list[Entry]]], extra: list[Entry]) -> tuple[bytes, bytes]:
    root = etree.Element("delivery", documents=str(len(documents)), format="ST.36+ST.96")
    sums: list[str] = []

    def add(parent, entry: Entry) -> None:
        name, digest, size, role = entry
        etree.SubElement(parent, "file", name=name, role=role, bytes=str(size), sha256=digest)
        sums.append(f"{digest}  {name}")

    for folder, attrs, files in documents:
        d = etree.SubElement(root, "document", folder=folder, **attrs)
        for entry in files:
            add(d, entry)
    for entry in extra:
        add(root, entry)
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return xml, ("\n".join(sums) + "\n").encode()


def _role(name: str) -> str:
    if name == ST36_NAME:
        return "st36"
    if name == ST96_NAME:
        return "st96"
    if name == "toc.xml":
        return "toc"
    return "image"


class _Writer:
    """Writes package files one at a time (a batch never sits in memory): into a temporary folder
    beside the destination, or into a temporary zip file; ``commit`` moves it into place."""

    def __init__(self, dest: Path):
        self.dest = dest
        self.zip = dest.suffix.lower() == ".zip"
        self.count = 0
        if self.zip:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = new_temp(dest.parent, dest.name)  # mode follows the umask
            self.tmp = Path(tmp)
            self.fh = os.fdopen(fd, "wb")
            self.zf = zipfile.ZipFile(self.fh, "w")
        else:
            if dest.exists():
                if not dest.is_dir():
                    raise PackageError(f"{dest} exists and is not a folder")
                if any(dest.iterdir()) and not (dest / "manifest.xml").is_file():
                    raise PackageError(f"{dest} is not empty and not an earlier package (no manifest.xml); "
                                       "not overwriting it")
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
        self.epoch = _epoch()

    def add(self, name: str, data: bytes, role: str) -> Entry:
        self.count += 1
        if self.zip:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            compress = zipfile.ZIP_STORED if name.endswith(".tif") else zipfile.ZIP_DEFLATED
            self.zf.writestr(info, data, compress_type=compress, compresslevel=9)
        else:
            path = self.tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            os.utime(path, (self.epoch, self.epoch))
        return name, hashlib.sha256(data).hexdigest(), len(data), role

    def commit(self) -> None:
        if self.zip:
            self.zf.close()
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.replace(self.tmp, self.dest)
            return
        for d in sorted((p for p in self.tmp.rglob("*") if p.is_dir()), reverse=True):
            os.utime(d, (self.epoch, self.epoch))
        os.chmod(self.tmp, 0o777 & ~current_umask())  # mkdtemp's 0700 otherwise
        os.utime(self.tmp, (self.epoch, self.epoch))
        old = None
        if self.dest.exists():
            old = self.dest.with_name(f".{self.dest.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(self.dest, old)
        os.replace(self.tmp, self.dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        if self.zip:
            try:
                self.zf.close()
                self.fh.close()
            finally:
                self.tmp.unlink(missing_ok=True)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def build(job_dir: Path, dest: Path) -> PackageResult:
    """Pack the done documents of ``job_dir`` into ``dest`` (a folder, or a ``.zip`` file)."""
    job_dir = Path(job_dir)
    dest = Path(dest)
    rows = done_documents(job_dir)
    result = PackageResult(dest=dest)
    writer = _Writer(dest)
    try:
        documents = []
        seen: set[str] = set()
        for row in rows:
            doc_id = row["doc_id"]
            folder = re.sub(r"[^\w.-]", "_", doc_id)
            if folder in seen:
                result.skipped.append(f"{doc_id}: a second done document with the same id (input {row['input']})")
                continue
            try:
                files, st36 = _document_files(job_dir, row)
            except (PackageError, OSError) as exc:
                result.skipped.append(f"{doc_id}: {exc}")
                continue
            seen.add(folder)
            names = [ST36_NAME] + sorted(n for n in files if n != ST36_NAME)  # the full text first, as WIPO does
            files["toc.xml"] = _toc(st36, names)
            attrs = {k: v for k, v in (("country", st36.get("country")), ("doc-number", st36.get("doc-number")),
                                       ("kind", st36.get("kind")), ("date-publ", st36.get("date-publ")),
                                       ("validated", row.get("validated"))) if v}
            entries = [writer.add(f"{folder}/{n}", files[n], _role(n)) for n in sorted(files)]
            documents.append((folder, attrs, entries))
            result.documents.append(doc_id)
            del files
        extra = []
        auth = job_dir / "authority"
        if auth.is_dir():
            for p in sorted(auth.rglob("*")):
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in (".xml", ".csv"):  # ST.37 XML and text forms, not build reports
                    extra.append(writer.add(f"authority/{p.relative_to(auth).as_posix()}", p.read_bytes(), "st37"))
        manifest_xml, sums = _manifest(documents, extra)
        writer.add("manifest.xml", manifest_xml, "manifest")
        sums += f"{hashlib.sha256(manifest_xml).hexdigest()}  manifest.xml\n".encode()
        writer.add("manifest.sha256", sums, "manifest")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    result.files = writer.count
    return result
