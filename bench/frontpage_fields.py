"""Front-page field accuracy per office and the share queued.

PH, AR, MX: the team's typeset set (digitize/synth_es.py), front page degraded office/poor with
the seeds given (default 4242); EP: the two real EP front pages from the test cache
(.pytest_cache/d/digitize-ep-ocr, made by tests/test_structure.py), truth = the EPO XML.
A field is "queued" when it is flagged or a queue item names it. Run from the checkout:
    python bench/frontpage_fields.py 4242 4243 4244 4245 4246
"""
import glob, json, os, sys
os.environ["OMP_THREAD_LIMIT"] = "1"
from digitize.settings import profile as profiles
from digitize.model import OcrPage, PageImage
from digitize.pipeline import ocr_page
from digitize.proofread import auto_correct
from digitize.pipeline import document_with_pages
from digitize.synth import degrade
from digitize.synth_es import QUEUE_NAMES, ar, compare, mx, ph, spanish_text
from digitize.resources import shared_data_dir
from digitize.xmlread.st36 import load

def queued_names(doc):
    return {c.field_name for c in doc.candidates if c.kind == "field"}

def score(doc, truth):
    got = compare(doc.biblio, truth)
    q = queued_names(doc)
    rows = []
    for name, ok in got.items():
        fld = getattr(doc.biblio, name, None)
        inq = getattr(fld, "flagged", False) or name in q or bool(q & set(QUEUE_NAMES.get(name, ())))
        rows.append((name, ok, inq))
    return rows

text = spanish_text(shared_data_dir() / "patent-xml" / "ES2993312T1.xml")
results = {}
seeds = [int(s) for s in sys.argv[1:]] or [4242]
for pub in (ph(), ar(text), mx(text)):
    prof = profiles.load(pub.office.lower())
    img = pub.render()[0]
    for level in ("office", "poor"):
        for seed in seeds:
            d, dpi = degrade(img, level, seed)
            page = ocr_page(PageImage(number=1, image=d, dpi=dpi), prof)[0]
            pages, _, _ = auto_correct([page], prof)
            doc = document_with_pages(pages, prof, source="x", doc_id="x")
            rows = score(doc, pub.truth)
            results.setdefault((pub.office, level), []).extend(rows)
            wrong = [(n, q) for n, ok, q in rows if not ok]
            print(pub.office, level, seed, "wrong:", wrong, flush=True)

# EP: real front pages (office-degraded renders, cached OCR), truth = EPO XML
prof = profiles.load("ep")
for f in sorted(glob.glob(".pytest_cache/d/digitize-ep-ocr/*-office-*.json")):
    name = os.path.basename(f).split("-")[0]
    pages = [OcrPage.from_dict(d) for d in json.load(open(f))][:1]
    pages, _, _ = auto_correct(pages, prof)
    doc = document_with_pages(pages, prof, source=name, doc_id=name)
    t = load(shared_data_dir() / "patent-pdf" / f"{name}.xml").biblio
    truth = {k: t.value(k) for k in ("office", "doc_number", "kind", "publication_date", "application_number", "filing_date", "title")}
    truth["ipc"] = [f"{c.text.split()[0]} {c.text.split()[1]} ({c.text.split()[2][:4]}.{c.text.split()[2][4:6]})" for c in t.ipc]
    for k in ("applicants", "inventors", "agents"):
        truth[k] = [(p.name, p.country) for p in getattr(t, k)]
    rows = score(doc, truth)
    # EPO writes names "BERNET, Roland" where the page prints "BERNET Roland": compare without commas
    fixed = []
    for n, ok, q in rows:
        if not ok and n in ("applicants", "inventors", "agents"):
            a = [(" ".join(p.name.replace(",", " ").split()), p.country) for p in getattr(doc.biblio, n)]
            b = [(" ".join(x.replace(",", " ").split()), c) for x, c in truth[n]]
            ok = a == b
        fixed.append((n, ok, q))
    results.setdefault(("EP", "office"), []).extend(fixed)
    print("EP", name, "wrong:", [(n, q) for n, ok, q in fixed if not ok], flush=True)

print("\noffice level  fields exact  wrong&queued  wrong&unqueued  queued(all)")
for (office, level), rows in sorted(results.items()):
    n = len(rows); ok = sum(r[1] for r in rows); wq = sum(1 for r in rows if not r[1] and r[2])
    wu = sum(1 for r in rows if not r[1] and not r[2]); q = sum(1 for r in rows if r[2])
    print(f"{office:6} {level:6} {ok}/{n} = {ok/n:.0%}   {wq}   {wu}   {q}/{n} = {q/n:.0%}")
