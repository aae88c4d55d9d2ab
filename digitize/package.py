"""The PATENTSCOPE delivery: the done documents of a job folder, packed like WIPO's ST.36 examples.

    PKG/
      manifest.xml          every document and every file with its SHA-256 and size
      manifest.sha256       the same checksums, ``sha256sum -c`` compatible
      authority/…           the batch's ST.37 authority file(s), when the job has them
      EP3441143A1/
        DOC00001.xml        the ST.36 full text (as in WIPO's ep-* examples)
        DOC00001.st96.xml   the ST.96 full text
        pages/0001.tif …    page and figure images, TIFF CCITT G4, named as the XML's img/@file
        DOC00001.pdf        facsimile: the page images as scanned (G4/JPEG streams copied, not
                            re-encoded) with an invisible text layer of the final words (PDF/A-2b)
        figures/0003-1.tif  figure images the structure stage cut out (the JSON's ``figures``)
        toc.xml             WIPO's Application-body manifest (ExtRef per file)

One copy per publication: the ledger names a second scan of the same publication ``DOCID_2``,
``DOCID_3``; the best copy is delivered (state, then mean OCR confidence, then the newest) and
the others are listed in the manifest as ``withheld`` with the reason. A publication whose best
copy is not ``done`` (or could not be packed) is ``held-back``: listed with its state, and the
command exits non-zero unless ``--allow-partial``. Withheld duplicates of a delivered publication
are not held back: the publication is delivered once, as it should be.

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
from typing import Any, Callable

from lxml import etree

from .errors import DigitizeError
from .fsutil import current_umask, new_temp
from .jobfolder import LEDGER, DocumentFolder, JobFolder
from .store.ledger import not_a_publication
from . import dates, xmlsafe
from .xmlsafe import parser as safe_parser

log = logging.getLogger(__name__)

ST36_NAME = "DOC00001.xml"
ST96_NAME = "DOC00001.st96.xml"
PDF_NAME = "DOC00001.pdf"
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
    skipped: list[str] = field(default_factory=list)  # "DOCID: why" (done, but could not be packed)
    held_back: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, state, why)
    withheld: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, delivered doc_id, why)
    refreshed: list[str] = field(default_factory=list)  # derived outputs rebuilt because they were stale
    not_publications: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, the reviewer's reason)


def ledger_documents(job_dir: Path, state: str | None = None) -> list[dict]:
    """Rows of the ledger with a doc_id (all states, or one), by doc_id (read-only access)."""
    job = JobFolder(job_dir)
    if not job.exists():
        raise PackageError(f"{job_dir} is not a job folder (no {LEDGER})")
    try:
        ledger = job.ledger(readonly=True)
        try:
            return sorted((r for r in ledger.rows(state) if r["doc_id"] is not None),
                          key=lambda r: (r["doc_id"], r["input"]))
        finally:
            ledger.close()
    except sqlite3.Error as exc:
        raise PackageError(f"{job.ledger_path}: cannot read the documents table: {exc}") from None


def done_documents(job_dir: Path) -> list[dict]:
    """Rows of the ledger in state 'done', by doc_id (read-only access)."""
    return ledger_documents(job_dir, "done")


_COPY = re.compile(r"^(.+)_(\d+)$")
STATE_RANK = {"done": 0, "needs-review": 1, "running": 2, "pending": 3, "failed": 4}


def publication_key(doc_id: str) -> str:
    """The publication a ledger identifier stands for: ``EP3441143A1_3`` -> ``EP3441143A1`` (the
    ledger gives a second input with the same identifier ``_2``, ``_3``: the same publication
    scanned again, see ``Ledger.allocate_doc_id``)."""
    m = _COPY.match(doc_id)
    return m.group(1) if m and int(m.group(2)) >= 2 else doc_id


def _mean_conf(job_dir: Path, row: dict) -> float | None:
    """Mean OCR confidence of the document's pages (word-weighted), from its JSON; None if unknown."""
    import json

    path = job_dir / (row.get("out_dir") or f"documents/{row['doc_id']}") / f"{row['doc_id']}.json"
    try:
        pages = json.loads(path.read_text(encoding="utf-8")).get("pages") or []
        words = sum(int(p.get("words") or 0) for p in pages)
        if words:
            return sum(float(p.get("mean_conf") or 0) * int(p.get("words") or 0) for p in pages) / words
        return sum(float(p.get("mean_conf") or 0) for p in pages) / len(pages) if pages else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def choose_copies(job_dir: Path, rows: list[dict]) -> list[tuple[dict, list[tuple[dict, str]]]]:
    """Group the ledger rows by publication; per group (best row, [(other row, why withheld)]).
    Best = state (done first), then mean confidence, then the newest (finished/updated)."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(publication_key(row["doc_id"]), []).append(row)
    out = []
    for key in sorted(groups):
        members = groups[key]
        for r in members:
            r["_conf"] = _mean_conf(job_dir, r) if len(members) > 1 else None
        members.sort(key=lambda r: (STATE_RANK.get(r.get("state") or "", 9), -(r["_conf"] if r["_conf"] is not None else -1),
                                    -float(r.get("finished") or r.get("updated") or 0), r["doc_id"]))
        best, others = members[0], []
        for r in members[1:]:
            if STATE_RANK.get(r.get("state") or "", 9) > STATE_RANK.get(best.get("state") or "", 9):
                why = f"state {r.get('state')} (delivered copy: {best.get('state')})"
            elif (r["_conf"] or -1) < (best["_conf"] or -1):
                why = f"lower mean confidence {r['_conf'] or 0:.1f} < {best['_conf'] or 0:.1f}"
            else:
                why = "older copy of the same publication"
            others.append((r, f"another scan of {key}: {why}"))
        out.append((best, others))
    return out


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


def _figure_files(folder: Path, doc_id: str) -> list[str]:
    """The figure images the document JSON lists (``figures: [{id, page, bbox, file}]``), relative
    to the document folder; [] when the JSON has none (or is unreadable: the ST.36 decides)."""
    import json

    try:
        data = json.loads(DocumentFolder(folder).json(doc_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for f in data.get("figures") or []:
        name = f.get("file") if isinstance(f, dict) else None
        if isinstance(name, str) and name:
            out.append(name)
    return out


def _document_files(job_dir: Path, row: dict, *, facsimile: bool = True,
                    public: str | None = None) -> tuple[dict[str, bytes], etree._Element, dict[str, str]]:
    """({name in package folder: bytes}, ST.36 root, {name: role}) for one document; raises
    PackageError with the reason. ``public``: the name it is delivered under when the ledger's
    is a copy's internal one (``DOCID_2``): the XML's ``id`` and ``file`` say the publication."""
    doc_id = row["doc_id"]
    public = public or doc_id
    folder = (job_dir / (row["out_dir"] or f"documents/{doc_id}")).resolve()
    if job_dir.resolve() not in folder.parents:
        raise PackageError(f"out_dir {row['out_dir']!r} is outside the job folder")
    docf = DocumentFolder(folder)
    st36_path = docf.xml(doc_id, "st36")
    if not st36_path.is_file():
        raise PackageError(f"no ST.36 file {st36_path.name}")
    st36_bytes = _public_name(st36_path.read_bytes(), doc_id, public)
    try:
        st36 = xmlsafe.fromstring(st36_bytes)
    except (etree.XMLSyntaxError, xmlsafe.UnsafeXML) as exc:
        raise PackageError(f"{st36_path.name}: not well-formed: {exc}") from None
    files: dict[str, bytes] = {ST36_NAME: st36_bytes}
    roles: dict[str, str] = {}
    st96_path = docf.xml(doc_id, "st96")
    if st96_path.is_file():
        files[ST96_NAME] = _public_name(st96_path.read_bytes(), doc_id, public)
    images = {el.get("file") for el in st36.iter("img", "doc-page") if el.get("file")}
    pages_dir = docf.pages_dir
    if pages_dir.is_dir():
        images |= {f"pages/{p.name}" for p in pages_dir.glob("*.tif") if not p.name.startswith(".")}
    figures = set(_figure_files(folder, doc_id))
    for name in sorted(images | figures):
        rel = _safe_rel(name)
        if rel is None:
            raise PackageError(f"image reference {name!r} is not a plain relative path")
        src = folder / rel
        if not src.is_file():
            what = "figure image listed in the document JSON" if name in figures and name not in images else \
                "image referenced by the XML"
            raise PackageError(f"{what} {rel} is missing")
        if name in figures and not name.startswith("pages/"):  # copied exactly as the structure stage cut them out
            files[rel] = src.read_bytes()
            roles[rel] = "figure"
        else:
            files[rel] = _g4(src) if src.suffix.lower() in (".tif", ".tiff") else src.read_bytes()
    if facsimile and pages_dir.is_dir():
        from .emit.facsimile import FacsimileError, facsimile_pdf

        try:
            files[PDF_NAME] = facsimile_pdf(folder, title=public, lang=st36.get("lang"), epoch=dates.fixed_epoch())
        except FacsimileError as exc:
            raise PackageError(f"facsimile: {exc}") from None
        roles[PDF_NAME] = "facsimile"
    return files, st36, roles


def _public_name(xml: bytes, doc_id: str, public: str) -> bytes:
    """The XML with the copy's internal name (``DOCID_2``, in the root's ``id`` and ``file``)
    replaced by the publication's: a delivered file never shows the ledger's copy number."""
    if doc_id == public:
        return xml
    return re.sub(re.escape(doc_id.encode()) + rb"(?![\w-])", public.encode(), xml)


Entry = tuple[str, str, int, str]  # name in package, sha256, bytes, role


def _manifest(documents: list[tuple[str, dict[str, str], list[Entry]]], extra: list[Entry],
              notes: list[tuple[str, dict[str, str]]] = ()) -> tuple[bytes, bytes]:
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
    for tag, attrs in notes:  # publications not delivered, or delivered once of several copies
        etree.SubElement(root, tag, **attrs)
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
        self.epoch = dates.fixed_epoch()

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
            os.fchmod(self.fh.fileno(), 0o666 & ~current_umask())  # not mkstemp's 0600
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


def incomplete_st36(root) -> list[str]:
    """The mandatory bibliographic fields an ST.36 file leaves empty or fills with a placeholder
    (``<text/>``, country ``XX``): publication number, kind, date, application number, title, an
    applicant with a name. Such a document is not delivered, whatever the ledger says."""
    def text(path: str) -> str:
        el = root.find(path)
        return " ".join("".join(el.itertext()).split()) if el is not None else ""

    pub = "bibliographic-data/publication-reference/document-id/"
    missing = [label for label, path in (
        ("publication number", pub + "doc-number"), ("kind", pub + "kind"), ("publication date", pub + "date"),
        ("application number", "bibliographic-data/application-reference/document-id/doc-number"),
        ("title", "bibliographic-data/invention-title")) if not text(path)]
    if text(pub + "country") in ("", "XX"):
        missing.append("office")
    names = [" ".join("".join(n.itertext()).split()) for n in root.iterfind(
        "bibliographic-data/parties/applicants/applicant/addressbook/name")]
    if not any(names):
        missing.append("applicant")
    return missing


def build(job_dir: Path, dest: Path, *, facsimile: bool = True, refresh: dict[str, Callable] | None = None) -> PackageResult:
    """Pack one copy of every done publication of ``job_dir`` into ``dest`` (a folder, or a ``.zip``
    file). Raises ``PackageError`` when nothing can be delivered (an empty delivery is no delivery)."""
    job_dir = Path(job_dir)
    dest = Path(dest)
    rows = ledger_documents(job_dir)
    result = PackageResult(dest=dest)
    # documents a reviewer marked as no publication are not delivered (issue 29)
    result.not_publications = [(r["doc_id"], not_a_publication(r) or "") for r in rows if not_a_publication(r) is not None]
    rows = [r for r in rows if not_a_publication(r) is None]
    if refresh:  # {"authority": ..., "report": ...}: see refresh_derived
        result.refreshed = refresh_derived(job_dir, only_stale=True, **refresh)
    chosen = choose_copies(job_dir, rows)
    to_pack = []
    for best, others in chosen:
        if best.get("state") != "done":
            result.held_back.append((best["doc_id"], best.get("state") or "?", best.get("reason") or ""))
            for r, why in others:
                result.held_back.append((r["doc_id"], r.get("state") or "?", why))
            continue
        to_pack.append((best, others))
    if not to_pack:
        states = ", ".join(f"{d} ({s})" for d, s, _ in result.held_back[:10]) or "the ledger has no documents"
        raise PackageError(f"nothing to deliver: no document is done; held back: {states}")
    writer = _Writer(dest)
    try:
        documents = []
        withheld_el: list[tuple[str, dict[str, str]]] = []
        for row, others in to_pack:
            doc_id = row["doc_id"]
            public = publication_key(doc_id)  # a second scan (DOCID_2) is delivered as the publication
            folder = re.sub(r"[^\w.-]", "_", public)
            try:
                files, st36, roles = _document_files(job_dir, row, facsimile=facsimile, public=public)
            except (PackageError, OSError) as exc:
                result.skipped.append(f"{doc_id}: {exc}")
                result.held_back.append((doc_id, "done", f"not packed: {exc}"))
                continue
            missing = incomplete_st36(st36)
            if missing:  # the completeness gate, on what would be delivered
                result.held_back.append((doc_id, "done", f"incomplete: {', '.join(missing)}"))
                continue
            names = [ST36_NAME] + sorted(n for n in files if n != ST36_NAME)  # the full text first, as WIPO does
            files["toc.xml"] = _toc(st36, names)
            attrs = {k: v for k, v in (("doc-id", public), ("scan", doc_id if doc_id != public else None),
                                       ("country", st36.get("country")),
                                       ("doc-number", st36.get("doc-number")), ("kind", st36.get("kind")),
                                       ("date-publ", st36.get("date-publ")), ("validated", row.get("validated"))) if v}
            entries = [writer.add(f"{folder}/{n}", files[n], roles.get(n) or _role(n)) for n in sorted(files)]
            documents.append((folder, attrs, entries))
            result.documents.append(doc_id)
            for r, why in others:
                result.withheld.append((r["doc_id"], doc_id, why))
                withheld_el.append(("withheld", {"doc-id": r["doc_id"], "state": r.get("state") or "?",
                                                 "delivered-as": folder, "reason": why}))
            del files
        if not documents:
            raise PackageError("nothing to deliver: no done document could be packed: "
                               + "; ".join(result.skipped[:5]))
        for doc_id, state, why in result.held_back:
            withheld_el.append(("held-back", {"doc-id": doc_id, "state": state, **({"reason": why} if why else {})}))
        extra = []
        auth = job_dir / "authority"
        if auth.is_dir():
            for p in sorted(auth.rglob("*")):
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in (".xml", ".csv"):  # ST.37 XML and text forms, not build reports
                    extra.append(writer.add(f"authority/{p.relative_to(auth).as_posix()}", p.read_bytes(), "st37"))
        manifest_xml, sums = _manifest(documents, extra, withheld_el)
        writer.add("manifest.xml", manifest_xml, "manifest")
        sums += f"{hashlib.sha256(manifest_xml).hexdigest()}  manifest.xml\n".encode()
        writer.add("manifest.sha256", sums, "manifest")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    result.files = writer.count
    return result


def _newest_input(job_dir: Path) -> float:
    """The latest change to what derived files are made from: the documents' JSON (rewritten by
    every run and every ``apply``; the ledger's own mtime moves on WAL checkpoints, so not it)."""
    newest = 0.0
    docs = job_dir / "documents"
    if docs.is_dir():
        for p in docs.glob("*/*.json"):
            newest = max(newest, p.stat().st_mtime)
    return newest


def refresh_derived(job_dir: Path, *, authority: Callable[[Path, str, Any], Any] | None = None,
                    report: Callable[[Path], Any] | None = None, only_stale: bool = False) -> list[str]:
    """Rebuild what a job folder derives from its documents, where the run made them: the ST.37
    authority files in ``authority/`` (``authority(job_dir, office, profile or None)``) and
    ``report.html`` (``report(job_dir)``); the builders are passed in by the commands, a layer
    above (see tests/test_layering.py). ``digitize apply`` calls it after applying decisions;
    ``package`` with ``only_stale`` (older than a document's JSON). Returns what was rebuilt; a
    failure is logged and leaves the old file."""
    job_dir = Path(job_dir)
    done: list[str] = []
    newest = _newest_input(job_dir) if only_stale else None
    auth = job_dir / "authority"
    afs = sorted(auth.glob("??_AF_*.xml")) if auth.is_dir() else []
    if authority is not None and afs and (newest is None or min(p.stat().st_mtime for p in afs) < newest):
        office = afs[-1].name[:2]
        try:
            rows = ledger_documents(job_dir)
            names = [r.get("profile") for r in rows if r.get("profile")]
            profile = None
            if names:
                from .settings import profile as profiles

                name = max(set(names), key=names.count)
                try:
                    profile = profiles.load(name)
                except Exception:
                    profile = None
            authority(job_dir, office, profile)
            done.append("authority")
        except Exception as exc:  # the documents stand even if the authority file cannot be rebuilt
            log.warning("authority file not rebuilt: %s", exc)
    html = job_dir / "report.html"
    if report is not None and html.is_file() and (newest is None or html.stat().st_mtime < newest):
        try:
            report(job_dir)
            done.append("report")
        except Exception as exc:
            log.warning("report not rebuilt: %s", exc)
    return done
