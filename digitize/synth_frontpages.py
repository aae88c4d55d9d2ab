"""Front pages to tune on, and the one scorer of front-page fields.

``tuning_set(seed)`` typesets PH/AR/MX/EP front pages with party lists in every form the offices
print (one per line, ``NAME; street, city, state, CC``, ``SURNAME, NAMES - SURNAME, NAMES``,
``;``, `` y ``/`` and ``), accented capitals and company forms, with the bibliographic truth of
each page. It is the TUNING set: rules are developed against it. The sealed set
(``bench/frontpage_sealed.py``) is made by other code, other fonts and other names, and is only
run to report (``bench/frontpage_eval.py``).

``score(doc, truth)`` is shared by both: per field, read exactly or not, and whether a wrong field
reached the reviewer (flagged, or a queue item names it).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import inid

FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# name pools (the sealed set has its own; none of these names are there)
SURNAMES = ["GARCÍA", "RAMÍREZ", "SÁNCHEZ", "PEÑA", "NÚÑEZ", "ORTEGA", "CASTAÑO", "MÉNDEZ", "VILLALBA", "LÓPEZ",
            "FERNÁNDEZ", "HERRERA", "AGÜERO", "SCHÄFER", "BRAUN", "MARTÍN", "BENÍTEZ", "ECHAGÜE"]
GIVEN = ["Juan Carlos", "María José", "Tomás", "Ana Lucía", "Jorge", "Lucía", "Andrés Felipe", "Rocío", "Íñigo",
         "Héctor", "Sofía", "Ramón", "Inés", "Óscar", "María de los Ángeles"]
TOWNS = [("80331", "München", "DE"), ("75008", "Paris", "FR"), ("28001", "Madrid", "ES"), ("1010", "Wien", "AT")]
COMPANIES = ["LABORATORIOS ANDINOS S.A.", "TECNOLOGÍAS DEL NORTE S.A. DE C.V.", "ACME DIAGNOSTICS, INC.",
             "INDUSTRIAS PAMPEANAS S.R.L.", "AGROQUÍMICA DEL SUR LTDA.", "HIDRÁULICA IBÉRICA S.L.",
             "SCHÄFER MASCHINENBAU GmbH", "NIXTAMAL SYSTEMS, INC.", "CERVECERÍA DEL VALLE S.A. DE C.V.",
             "COMPAÑÍA MEXICANA DE EQUIPOS HIDRÁULICOS Y NEUMÁTICOS DEL GOLFO, S.A. DE C.V.",
             "FERRETERÍA LÓPEZ Y ASOCIADOS S.A.", "JOHNSON AND PARTNERS, INC."]
ADDRESSES = [("Av. Insurgentes Sur 1605", "Ciudad de México", "CDMX", "MX"),
             ("Calle 50 No. 742", "La Plata", "Buenos Aires", "AR"),
             ("4410 Harbor Blvd.", "Austin", "Texas", "US"),
             ("Ayala Avenue 6750", "Makati City", "Metro Manila", "PH"),
             ("Blvd. Díaz Ordaz 130", "Monterrey", "Nuevo León", "MX"),
             ("Hauptstraße 12", "Stuttgart", "Baden-Württemberg", "DE")]
TITLES_ES = ["VÁLVULA DE CONTROL PARA CÁMARA DE DESAGÜE", "CIGÜEÑAL PARA MOTOR DE COMBUSTIÓN",
             "CALEFÓN CON QUEMADOR MODULAR", "MÉTODO PARA LA OBTENCIÓN DE UNA SEÑAL ÚTIL",
             "DISPOSITIVO DE PROTECCIÓN PARA CAÑERÍA"]
TITLES_EN = ["LABORATORY INSTRUMENT BASE PLATE", "WIRELINE POWER SUPPLY UNIT", "MODULAR HEAT EXCHANGER"]
DESCRIPTION_ES = ("La válvula de la cámara de desagüe y el cigüeñal del calefón se describen aquí; "
                  "la protección de la cañería y la combustión se obtienen con una señal útil.")


@dataclass
class FrontPageSample:
    """One rendered front page and its truth (``Bibliographic`` attribute → value)."""

    name: str
    office: str
    image: np.ndarray
    truth: dict[str, object] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)  # the lines as typeset (for a reader of the set)
    body: list[np.ndarray] = field(default_factory=list)  # further pages (a description in Spanish)


LABELS = {
    "PH": {"11": "Publication Number:", "43": "Publication Date:", "21": "Application Number:", "22": "Filing Date:",
           "51": "Int. Cl.:", "54": "Title:", "71": "Applicant:", "72": "Inventors:", "74": "Agent:"},
    "AR": {"10": "", "41": "Fecha:", "21": "", "22": "Fecha de presentación:", "51": "Int. Cl.:", "54": "Título:",
           "71": "Titular:", "72": "Inventor:", "74": "Agente:"},
    "MX": {"11": "Número de publicación:", "43": "Fecha de publicación:", "21": "Número de solicitud:",
           "22": "Fecha de presentación:", "51": "Int. Cl.:", "54": "Título:", "71": "Solicitante(s):",
           "72": "Inventor(es):", "74": "Agente:"},
    "EP": {"11": "", "43": "Date of publication:", "21": "Application number:", "22": "Date of filing:",
           "51": "Int Cl.:", "54": "Title:", "71": "Applicant:", "72": "Inventors:", "74": "Representative:"},
}


def _person(rng: random.Random, office: str) -> str:
    s, g = rng.choice(SURNAMES), rng.choice(GIVEN)
    if office in ("PH", "EP"):  # English pages, read with the English model: names without Spanish accents
        s, g = _unaccent(s), _unaccent(g)
    if office in ("AR", "EP", "PH") or rng.random() < 0.5:
        if office == "AR" and rng.random() < 0.4:  # the Boletín prints given names in capitals too
            g = g.upper()
        return f"{s}, {g}"
    return f"{g.upper()} {s}"


def _unaccent(s: str) -> str:
    """Without Spanish accents; a German umlaut stays (``SCHÄFER`` on an EP page)."""
    if any(c in s for c in "ÄÖäö") or "SCHÄ" in s:
        return s
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def _wrap_px(text: str, font, width: float) -> list[str]:
    rows, cur = [], ""
    for w in text.split(" "):
        trial = f"{cur} {w}" if cur else w
        if cur.strip() and font.getlength(trial) > width:
            rows.append(cur)
            cur = w
        else:
            cur = trial
    return rows + [cur]


def _date(rng: random.Random, year: int, office: str) -> tuple[str, str]:
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    printed = f"{d:02d}.{m:02d}.{year}" if office in ("PH", "EP") else f"{d:02d}/{m:02d}/{year}"
    return printed, f"{year}-{m:02d}-{d:02d}"


def _party_lines(rng, parties, sep, office) -> list[str]:
    """Parties as printed: one per line (with ``; address, CC`` or ``(CC)``) or joined by ``sep``."""
    def one(name, address, country):
        if address:
            return f"{name}; {address}, {country}"
        return f"{name} ({country})" if country else name
    if sep == "\n":
        return [one(*p) for p in parties]
    return [sep.join(one(*p) for p in parties)]


def _parties(rng, office, kind, n, with_address):
    out = []
    for _ in range(n):
        if kind == "company":
            name = rng.choice(COMPANIES)
        else:
            name = _person(rng, office)
        if with_address:
            street, city, state, cc = rng.choice(ADDRESSES)
            out.append((name, f"{street}, {city}, {state}", cc))
        else:
            out.append((name, None, rng.choice(["US", "MX", "AR", "DE", "ES"]) if kind == "company" else None))
    return out


def build(seed: int, office: str) -> FrontPageSample:
    rng = random.Random(seed)
    lab = LABELS[office]
    year = rng.randint(2019, 2024)
    pub_p, pub = _date(rng, year, office)
    fil_p, fil = _date(rng, year - 1, office)
    spanish = office in ("AR", "MX")
    title = rng.choice(TITLES_ES if spanish else TITLES_EN)
    ipc = rng.choice(["F16K 1/00 (2006.01)", "B01L 9/00 (2006.01)", "H04W 72/04 (2009.01)", "F02B 75/32 (2006.01)"])
    with_address = office == "MX" or rng.random() < 0.3
    sep = rng.choice(["\n", " - ", "; ", " y " if spanish else " and "]) if not with_address else "\n"
    if with_address and rng.random() < 0.5:
        sep = "\n"
    applicants = _parties(rng, office, "company", rng.randint(1, 3), with_address)
    inventors = _parties(rng, office, "person", rng.randint(1, 4), with_address and rng.random() < 0.5)
    agents = _parties(rng, office, "person", 1, False)
    if office == "PH":
        num = f"1{year}05{rng.randint(1000, 9999)}"
        app = f"1-{year}-05{num[-4:]}"
        head = ["(19) INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES", "(12) PATENT APPLICATION", "",
                f"(11) {lab['11']} PH {num} A1"]
        kind = "A1"
    elif office == "AR":
        num = f"{rng.randint(100000, 139999)}"
        app = f"P{year - 1}0{rng.randint(100000, 199999)}"
        head = ["(19) REPUBLICA ARGENTINA", "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL", "", f"(10) AR{num} A1"]
        kind = "A1"
    elif office == "MX":
        num = f"{year}0{rng.randint(10000, 19999)}"
        app = f"MX/a/{year - 1}/0{rng.randint(10000, 19999)}"
        head = ["(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL", "(12) SOLICITUD DE PATENTE", "",
                f"(11) {lab['11']} MX {num} A"]
        kind = "A"
    else:
        num = f"{rng.randint(3000000, 3999999)}"
        app = f"{year - 1 - 2000}{rng.randint(100000, 199999)}.{rng.randint(1, 9)}"
        head = ["(19) Europäisches Patentamt / European Patent Office", "(12) EUROPEAN PATENT APPLICATION", "",
                f"(11) EP {num[0]} {num[1:4]} {num[4:]} A1"]
        kind = "A1"
        if random.Random(seed * 3).random() < 0.5:  # EP: the town under the name, "postcode town (CC)"
            towns = [random.Random(seed + k).choice(TOWNS) for k in range(len(inventors))]
            inventors = [(n, f"{pc} {town}", cc) for (n, _, _), (pc, town, cc) in zip(inventors, towns)]
        else:
            inventors = [(n, None, rng.choice(["DE", "FR", "ES"])) for n, _, _ in inventors]
    font = ImageFont.truetype(FONTS[seed % len(FONTS)], 44)
    date_code = "41" if office == "AR" else "43"
    two = random.Random(seed * 7 + 1).random() < 0.5  # two columns: numbers left, parties right
    width = 830 if two else 1980  # the text box: x 250-2230, or the right column x 1400-2230
    left = [head[-1], f"({date_code}) {lab[date_code]} {pub_p}", f"(21) {lab['21']} {app}".replace("  ", " "),
            f"(22) {lab['22']} {fil_p}", f"(51) {lab['51']} {ipc}"]
    if two:  # the left column is x 250-1300
        left = [r if k == 0 else "     " + r for ln in left for k, r in enumerate(_wrap_px(ln, font, 1050))]
    right = []
    for code, parties in (("71", applicants), ("72", inventors), ("74", agents)):
        pl = _party_lines(rng, parties, sep if code != "74" else "\n", office)
        if office == "EP" and code == "72":
            pl = [ln for n, a, c in parties for ln in ([n, f"{a} ({c})"] if a else [f"{n} ({c})"])]
        for k, ln in enumerate(pl):  # a long entry wraps at the text box, with a hanging indent
            rows = _wrap_px(f"({code}) {lab[code]} {ln}" if k == 0 else "     " + ln, font, width)
            right += [rows[0]] + ["     " + r for r in rows[1:]]
    tail = ["", f"(54) {lab['54']} {title}", "", "(57) " + ("Resumen: " if spanish else "Abstract: ")
            + ("Se describe un dispositivo." if spanish else "A device is described.")]
    img = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(img)
    y = 300
    for ln in head[:-1]:
        draw.text((250, y), ln, font=font, fill=0)
        y += 64
    if two:
        for i, ln in enumerate(left):
            draw.text((250, y + 64 * i), ln, font=font, fill=0)
        for i, ln in enumerate(right):
            draw.text((1400, y + 64 * i), ln, font=font, fill=0)
        y += 64 * max(len(left), len(right))
        rest = tail
    else:
        rest = left + right + tail
    for ln in rest:
        draw.text((250, y), ln, font=font, fill=0)
        y += 64
    lines = head[:-1] + left + right + tail
    truth = {"office": office, "doc_number": num, "kind": kind, "publication_date": pub,
             "application_number": app, "filing_date": fil, "title": title, "ipc": [ipc],
             "applicants": applicants, "inventors": inventors, "agents": agents}
    body = []
    if spanish:
        page = Image.new("L", (2480, 3508), 255)
        d = ImageDraw.Draw(page)
        words, row, y = DESCRIPTION_ES.split(), "", 300
        for w in words + [""]:
            if w and len(row) + len(w) < 60:
                row = f"{row} {w}".strip()
                continue
            d.text((250, y), row, font=font, fill=0)
            row, y = w, y + 64
        body.append(np.array(page))
    return FrontPageSample(f"T{seed}-{office}", office, np.array(img), truth, lines, body)


def tuning_set(seed: int = 700, n: int = 24) -> list[FrontPageSample]:
    offices = ("PH", "AR", "MX", "EP")
    return [build(seed + i, offices[i % 4]) for i in range(n)]


# --------------------------------------------------------------------------- scoring

# a field of the truth -> the queue field names that would put it before a reviewer
QUEUE_NAMES = {name: inid.queue_names(name) for name in (
    "office", "doc_number", "kind", "publication_date", "application_number", "filing_date", "title", "ipc",
    "applicants", "inventors", "agents", "assignees")}
QUEUE_NAMES["publication_date"] += ("inid:41",)  # AR prints the publication date under (41)


def read_value(biblio, name: str):
    """A party is its name and country exactly, and whether it has an address (an address in the
    name, or a name in the address, is wrong; the address's own letters are OCR text, not scored)."""
    if name == "ipc":
        return [c.text for c in biblio.ipc]
    if name in ("applicants", "inventors", "agents", "assignees"):
        return [(p.name, bool(p.address), p.country) for p in getattr(biblio, name)]
    return biblio.value(name)


def expected_value(truth: dict, name: str):
    want = truth[name]
    if name in ("applicants", "inventors", "agents", "assignees"):
        return [(n, bool(a), c) for n, a, c in want]
    return want


def score(doc, truth: dict) -> list[tuple[str, bool, bool]]:
    """(field, exact, queued) for every field of ``truth``."""
    queued = {c.field_name for c in doc.candidates if c.kind == "field"}
    rows = []
    for name in truth:
        ok = read_value(doc.biblio, name) == expected_value(truth, name)
        fld = getattr(doc.biblio, name, None)
        inq = bool(getattr(fld, "flagged", False)) or bool(queued & set(QUEUE_NAMES.get(name, (name,))))
        rows.append((name, ok, inq))
    return rows


def table(results: dict[tuple[str, str], list[tuple[str, bool, bool]]]) -> list[str]:
    """Per office and level: fields exact, wrong and queued, wrong and not queued."""
    out = ["office level   exact           wrong&queued  wrong&NOT-queued  right&queued (review load)"]
    for (office, level), rows in sorted(results.items()):
        n = len(rows)
        ok = sum(r[1] for r in rows)
        wq = sum(1 for r in rows if not r[1] and r[2])
        wu = sum(1 for r in rows if not r[1] and not r[2])
        rq = sum(1 for r in rows if r[1] and r[2])
        out.append(f"{office:6} {level:6}  {ok:3}/{n:3} = {ok / n:6.1%}   {wq:3}           {wu:3}               {rq:3}")
    return out


def wrong(doc, truth: dict) -> list[tuple[str, object, object, bool]]:
    """The wrong fields: (name, read, truth, queued) — for a reader of the tuning set."""
    return [(n, read_value(doc.biblio, n), expected_value(truth, n), q) for n, ok, q in score(doc, truth) if not ok]
