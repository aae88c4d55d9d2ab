"""The SEALED front-page set: never tuned on, only run to report (bench/frontpage_eval.py sealed).

Made by other code than the tuning set (digitize/synth_frontpages.py) and the team's renders
(digitize/synth_es.py): its own page composer (fields placed in one or two columns, values
wrapped by measured pixel width with a hanging indent), its own fonts (Liberation Serif and Sans,
DejaVu Sans Mono: Debian ``fonts-liberation``, ``fonts-dejavu-core``), its own names, companies,
addresses and numbers, and its own choice of separators per document (line breaks, `` - ``,
``;``, `` y ``, `` and ``), 1-4 parties per code, with and without addresses, long names that
wrap, accented capitals. 48 documents (12 each PH, AR, MX, EP) from one fixed seed.

Truth per document: every field the page prints that the scorer reads (office, number, kind,
dates, application number, title, IPC, applicants, inventors, agents with address and country).
"""
from __future__ import annotations

import random
import unicodedata

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitize.synth_frontpages import FrontPageSample

SEED = 31_337
PAGE_W, PAGE_H = 2480, 3508
FONT_FILES = ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")

FAMILY_ES = ["BENÍTEZ", "ÁLVAREZ", "GUTIÉRREZ", "MUÑOZ", "IBARRA", "QUIÑONES", "ZÚÑIGA", "DOMÍNGUEZ", "ROBLEDO",
             "CÁRDENAS", "ESPÍNDOLA", "OLAZÁBAL", "PIÑEIRO", "SALGADO", "TREJO", "ÚBEDA", "AGUIRRE LEÓN"]
FIRST_ES = ["Íñigo", "Martín", "Verónica", "Ángel", "Begoña", "Joaquín", "Mónica Alejandra", "Raúl", "Pilar",
            "José Ignacio", "Eugenia", "Adrián", "Belén", "Nicolás Emiliano"]
FAMILY_EN = ["WHITFIELD", "OKAFOR", "LINDQVIST", "MÜLLER", "HARTMANN", "DUBOIS", "KOWALSKI", "NAKAMURA", "BAUTISTA",
             "DELOS SANTOS", "VILLANUEVA", "TAN"]
FIRST_EN = ["Margaret", "Chidi", "Erik", "Klaus Peter", "Sabine", "Pierre", "Agnieszka", "Hiroshi", "Rommel",
            "Maricel", "Jonathan", "Liza Marie"]
FIRMS_ES = ["VIDRIERÍA ATLÁNTICA S.A.", "MOLINOS DEL ALTIPLANO S.A. DE C.V.", "FRIGORÍFICO SANTA ROSALÍA S.A.",
            "CONSTRUCCIONES METÁLICAS DEL BAJÍO Y ASOCIADOS, S.A. DE C.V.", "ENVASES PATAGÓNICOS S.R.L.",
            "BIOINSUMOS DEL LITORAL LTDA.", "ÓPTICA VALENCIANA S.L."]
FIRMS_EN = ["BRIGHTWATER PUMPS, INC.", "KESTREL MEDICAL DEVICES, INC.", "HARTMANN FÖRDERTECHNIK GmbH",
            "PACIFIC RIM SEMICONDUCTOR CORPORATION", "NORDLICHT ENERGIESYSTEME GmbH",
            "UNITED AGRICULTURAL AND MARINE TECHNOLOGIES INTERNATIONAL, INC."]
STREETS = [("Calzada de Tlalpan 2304", "Coyoacán", "Ciudad de México", "MX"),
           ("Av. Vallarta 6503", "Zapopan", "Jalisco", "MX"),
           ("Bv. Oroño 1150", "Rosario", "Santa Fe", "AR"),
           ("Av. Colón 4821", "Córdoba", "Córdoba", "AR"),
           ("1200 Commerce Park Drive", "Raleigh", "North Carolina", "US"),
           ("88 Bayfront Road", "Pasig City", "Metro Manila", "PH"),
           ("Königsallee 92", "Düsseldorf", "Nordrhein-Westfalen", "DE")]
TITLES = {"es": ["MÁQUINA COSECHADORA CON TOLVA DE DESCARGA LATERAL", "BOMBA PERISTÁLTICA DE PRECISIÓN",
                 "CAMARA DE COMBUSTIÓN Y VÁLVULA DE ESCAPE", "RECIPIENTE TÉRMICO PARA LECHE MATERNA",
                 "ESTRUCTURA DE TECHO PARA CAMIÓN FRIGORÍFICO", "COMPOSICIÓN HERBICIDA Y MÉTODO DE APLICACIÓN"],
          "en": ["SOLAR TRACKER DRIVE ASSEMBLY", "CATHETER WITH STEERABLE DISTAL TIP", "COOLING PLATE FOR BATTERY MODULES",
                 "METHOD OF FORMING A SEMICONDUCTOR PACKAGE"]}
IPCS = ["A01D 41/12 (2006.01)", "F04B 43/12 (2006.01)", "H01L 23/473 (2006.01)", "A61M 25/01 (2006.01)",
        "B60P 3/20 (2006.01)", "H02S 20/32 (2014.01)", "A01N 43/40 (2006.01)", "H04L 5/00 (2006.01)"]

LABEL = {  # office -> code -> label as printed
    "PH": {"11": "Publication No.", "43": "Date of publication", "21": "Application No.", "22": "Filing date",
           "51": "IPC", "54": "Title", "71": "Applicant(s)", "72": "Inventor(s)", "74": "Agent"},
    "AR": {"10": "Patente de invención", "41": "Fecha", "21": "", "22": "Fecha de presentación", "51": "Int. Cl.",
           "54": "Título", "71": "Titular", "72": "Inventor", "74": "Agente/s"},
    "MX": {"11": "Número de publicación", "43": "Fecha de publicación", "21": "Número de solicitud",
           "22": "Fecha de presentación", "51": "Int. Cl.", "54": "Título", "71": "Solicitante(s)", "72": "Inventor(es)",
           "74": "Apoderado"},
    "EP": {"11": "", "43": "Date of publication", "21": "Application number", "22": "Date of filing", "51": "Int Cl.",
           "54": "Title", "71": "Applicant", "72": "Inventors", "74": "Representative"},
}


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


class Composer:
    """Places INID fields on a page: a code, a label and a value wrapped by pixel width with a
    hanging indent, in the column given."""

    def __init__(self, font_file: str, px: int, two_columns: bool):
        self.font = ImageFont.truetype(font_file, px)
        self.lead = int(px * 1.38)
        self.img = Image.new("L", (PAGE_W, PAGE_H), 255)
        self.draw = ImageDraw.Draw(self.img)
        margin = 210
        if two_columns:
            self.cols = [(margin, PAGE_W // 2 - 60), (PAGE_W // 2 + 40, PAGE_W - margin)]
        else:
            self.cols = [(margin, PAGE_W - margin)]
        self.y = [330] * len(self.cols)
        self.full = (margin, PAGE_W - margin)

    def _wrap(self, words: list[str], width: float) -> list[str]:
        rows, cur = [], ""
        for w in words:
            trial = f"{cur} {w}".strip()
            if cur and self.font.getlength(trial) > width:
                rows.append(cur)
                cur = w
            else:
                cur = trial
        return rows + ([cur] if cur else [])

    def put(self, code: str, label: str, values: list[str], col: int | None = None) -> None:
        """``values``: the value's printed lines (each wrapped on its own)."""
        x0, x1 = self.full if col is None else self.cols[col]
        y = max(self.y) if col is None else self.y[col]
        head = f"({code})"
        self.draw.text((x0, y), head, font=self.font, fill=0)
        indent = x0 + self.font.getlength("(00)  ")
        first = f"{label}: " if label else ""
        rows: list[str] = []
        for i, v in enumerate(values):
            rows += self._wrap(((first if i == 0 else "") + v).split(), x1 - indent)
        for r in rows or [first]:
            self.draw.text((indent, y), r, font=self.font, fill=0)
            y += self.lead
        y += self.lead // 2
        if col is None:
            self.y = [y] * len(self.cols)
        else:
            self.y[col] = y

    def image(self) -> np.ndarray:
        return np.array(self.img)


def _name(rng: random.Random, lang: str, comma: bool) -> str:
    fam, first = (FAMILY_ES, FIRST_ES) if lang == "es" else (FAMILY_EN, FIRST_EN)
    f, g = rng.choice(fam), rng.choice(first)
    if lang != "es":
        f, g = (f if "Ü" in f else _plain(f)), _plain(g)
    return f"{f}, {g}" if comma else f"{g.upper()} {f}"


def _parties(rng, office, lang, role, n, address_mode):
    """(name, address, country) × n."""
    out = []
    comma = office in ("AR", "EP", "PH") or rng.random() < 0.4
    for _ in range(n):
        if role == "firm":
            name = rng.choice(FIRMS_ES if lang == "es" else FIRMS_EN)
        else:
            name = _name(rng, lang, comma)
        if address_mode:
            street, town, state, cc = rng.choice(STREETS)
            if lang != "es":
                street, town, state = _plain(street), _plain(town), _plain(state)
            out.append((name, f"{street}, {town}, {state}", cc))
        elif role == "firm" or office == "EP":
            out.append((name, None, rng.choice(["US", "DE", "MX", "AR", "PH", "JP"])))
        else:
            out.append((name, None, None))
    return out


def _printed(parties, sep: str) -> list[str]:
    def one(p):
        name, addr, cc = p
        if addr:
            return f"{name}; {addr}, {cc}"
        return f"{name} ({cc})" if cc else name
    if sep == "line":
        return [one(p) for p in parties]
    return [sep.join(one(p) for p in parties)]


def document(i: int, rng: random.Random) -> FrontPageSample:
    office = ("PH", "AR", "MX", "EP")[i % 4]
    lang = "es" if office in ("AR", "MX") else "en"
    lab = LABEL[office]
    two = rng.random() < 0.5
    comp = Composer(FONT_FILES[rng.randrange(3)], rng.choice([38, 41, 44]), two)
    y_pub, y_fil = rng.randint(2017, 2025), 0
    y_fil = y_pub - rng.randint(1, 2)
    pm, pd, fm, fd = rng.randint(1, 12), rng.randint(1, 28), rng.randint(1, 12), rng.randint(1, 28)
    dot = office in ("PH", "EP")
    fmt = (lambda d, m, y: f"{d:02d}.{m:02d}.{y}") if dot else (lambda d, m, y: f"{d:02d}/{m:02d}/{y}")
    if office == "PH":
        num, kind = f"1{y_pub}0{rng.randint(50000, 59999)}", rng.choice(["A1", "B1"])
        app, printed_no = f"1-{y_fil}-0{rng.randint(50000, 59999)}", None
        printed_no = f"PH {num} {kind}"
        header = ["REPUBLIC OF THE PHILIPPINES", "INTELLECTUAL PROPERTY OFFICE"]
    elif office == "AR":
        num, kind = f"{rng.randint(140000, 159999)}", "A1"
        app = f"P{y_fil}0{rng.randint(200000, 299999)}"
        printed_no = f"AR{num} {kind}"
        header = ["REPÚBLICA ARGENTINA", "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL"]
    elif office == "MX":
        num, kind = f"{y_pub}0{rng.randint(20000, 29999)}", rng.choice(["A", "B"])
        app = f"MX/a/{y_fil}/0{rng.randint(20000, 29999)}"
        printed_no = f"MX {num} {kind}"
        header = ["INSTITUTO MEXICANO DE LA", "PROPIEDAD INDUSTRIAL"]
    else:
        num, kind = f"{rng.randint(4000000, 4499999)}", "A1"
        app = f"{y_fil % 100}{rng.randint(200000, 299999)}.{rng.randint(0, 9)}"
        printed_no = f"EP {num[0]} {num[1:4]} {num[4:]} {kind}"
        header = ["Europäisches Patentamt", "European Patent Office"]
    for h in header:
        comp.draw.text((comp.full[0], comp.y[0] - 150 + 50 * header.index(h)), h, font=comp.font, fill=0)
    title = rng.choice(TITLES[lang])
    title_truth = title.replace("CAMARA ", "CÁMARA ") if lang == "es" else title
    ipc = rng.sample(IPCS, rng.randint(1, 2))
    addr = office == "MX" and rng.random() < 0.7 or rng.random() < 0.2
    seps = ["line", " - ", "; ", " y " if lang == "es" else " and "]
    sep = "line" if addr else rng.choice(seps)
    applicants = _parties(rng, office, lang, "firm", rng.randint(1, 3), addr)
    inventors = _parties(rng, office, lang, "person", rng.randint(1, 4), addr and rng.random() < 0.5)
    agents = _parties(rng, office, lang, "person", 1, False)
    code_no = "10" if office == "AR" else "11"
    code_date = "41" if office == "AR" else "43"
    left = [(code_no, [printed_no]), ("21", [app]), ("22", [fmt(fd, fm, y_fil)]), (code_date, [fmt(pd, pm, y_pub)]),
            ("51", ["  ".join(ipc)])]
    right = [("71", _printed(applicants, sep)), ("72", _printed(inventors, sep)), ("74", _printed(agents, "line"))]
    if two:
        for code, vals in left:
            comp.put(code, lab[code], vals, 0)
        for code, vals in right:
            comp.put(code, lab[code], vals, 1)
    else:
        for code, vals in left + right:
            comp.put(code, lab[code], vals, 0)
    comp.put("54", lab["54"], [title])
    comp.put("57", "Resumen" if lang == "es" else "Abstract",
             ["Se describe un aparato y su uso." if lang == "es" else "An apparatus and its use are described."])
    truth = {"office": office, "doc_number": num, "kind": kind, "publication_date": f"{y_pub}-{pm:02d}-{pd:02d}",
             "application_number": app, "filing_date": f"{y_fil}-{fm:02d}-{fd:02d}", "title": title_truth,
             "ipc": ipc, "applicants": applicants, "inventors": inventors, "agents": agents}
    return FrontPageSample(f"S{i:02d}-{office}", office, comp.image(), truth)


def sealed_set(n: int = 48, seed: int = SEED) -> list[FrontPageSample]:
    rng = random.Random(seed)
    return [document(i, rng) for i in range(n)]
