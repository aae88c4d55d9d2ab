"""SEALED-2 front pages: composed as HTML/CSS, printed by headless Chromium, rasterised by pdftoppm.

A third front-page generator, sharing no code with the tuning set (``digitize/synth_frontpages.py``,
PIL text drawing) or sealed-1 (``bench/frontpage_sealed.py``, its own PIL composer): the browser
lays the page out (tables, CSS grid columns, hanging indents, line wrapping by the font's metrics),
``pdftoppm`` rasterises it at 300 dpi (office) and 200 dpi (poor), and this module degrades the
pages with its own code (not ``digitize.synth.degrade``): office = a small rotation, toner spread
or thinning by a per-page threshold, dropouts, dust and a scanner streak, bilevel; poor = 200 dpi,
a larger rotation, yellowed paper with a lamp gradient, blur, noise, JPEG 42-58.

Fonts none of the other sets use: Liberation Sans Narrow, DejaVu Serif Condensed, DejaVu Sans
Condensed, Liberation Mono (labels sometimes bold). Its own surnames, given names, companies,
addresses, titles, IPC symbols and number ranges. Layouts: a one-column table of INID rows, two
columns (CSS grid: numbers left, parties right), and label-above-value blocks (EP style with
bullets, the town and ``(CC)`` under each name); every party separator the issue names (line
breaks, `` - ``, ``;``, `` y ``/`` and ``), 1-4 parties per code, with and without addresses, long
names that wrap, (30) priorities and bulletin numbers printed beside the dates, an abstract in the
page's language.

Seed fixed (``SEED``). 48 documents, 12 per office. Report only: ``bench/frontpage_eval.py
sealed2`` prints aggregate lines; ``REGRESSION`` names the few documents the tests keep (those are
not sealed any more and are left out of the reported figure).
"""
from __future__ import annotations

import hashlib
import html
import io
import random
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from digitize.synth_frontpages import FrontPageSample

SEED = 20_261_207
N_DOCS = 48
REGRESSION = ("Z05-MX", "Z11-AR", "Z19-EP", "Z26-PH")  # kept by tests/test_frontpage_sealed2.py: not sealed
CACHE = Path("build/frontpage-sealed2")
CHROMIUM = ("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--no-pdf-header-footer")

FONTS = ("Liberation Sans Narrow", "DejaVu Serif Condensed", "DejaVu Sans Condensed", "Liberation Mono")

SUR_ES = ["QUIROGA", "ARÁOZ", "BUSTAMANTE", "CHÁVEZ", "ESPARZA", "FALCÓN", "GALVÁN", "HINOJOSA", "JARAMILLO",
          "LEDESMA", "MONTAÑO", "NAVARRETE", "OCAMPO", "PAREDES", "RÍOS", "SOLÍS", "TOLEDO", "URQUIZA", "VALDÉS",
          "YÁÑEZ", "ZAVALA", "DE LA TORRE", "PONCE DE LEÓN", "CASTELLANOS"]
GIV_ES = ["Agustín", "Marisol", "Fermín", "Graciela", "Leandro", "Ximena", "Rubén Darío", "Constanza", "Efraín",
          "Soledad", "Ulises", "Itzel", "Maximiliano", "Noemí", "Luis Alberto", "Catalina"]
SUR_EN = ["ABERNATHY", "CHAUDHARY", "FITZGERALD", "GONZAGA", "HOLLOWAY", "IVANOVA", "JENSEN", "MACAPAGAL",
          "PETERSEN", "ROSENTHAL", "SANTIAGO", "VAN DER BERG", "WAKEFIELD", "YAMAMOTO", "ZIEGLER", "CRUZ-REYES",
          "BERGSTRÖM", "AQUINO"]
GIV_EN = ["Harold", "Priya", "Sean Patrick", "Gretchen", "Anton", "Cristina Joy", "Dmitri", "Ingrid", "Renato",
          "Theresa", "Wilhelm", "Jose Mari", "Alistair", "Rowena"]
FIRM_ES = ["AGROINDUSTRIAS DEL CUYO S.A.", "LÁCTEOS SERRANOS S.A. DE C.V.", "TALLERES MECÁNICOS HERMANOS ROJAS S.R.L.",
           "POLÍMEROS Y RESINAS DEL PACÍFICO, S.A. DE C.V.", "CITRÍCOLA DEL NOROESTE S.A.",
           "INGENIERÍA TÉRMICA AUSTRAL LTDA.",
           "CEMENTOS Y AGREGADOS DE LA SIERRA MADRE ORIENTAL, S.A.P.I. DE C.V.",
           "UNIVERSIDAD NACIONAL DEL COMAHUE", "BODEGAS Y VIÑEDOS LA CAÑADA S.A."]
FIRM_EN = ["SILVERLINE ROBOTICS, INC.", "MERIDIAN BIOPHARMA CORPORATION", "ARCHIPELAGO FOOD TECHNOLOGIES, INC.",
           "WESTFALEN KUNSTSTOFFWERK GmbH", "NORTHERN LIGHTS OPTICAL COMPANY LIMITED", "LUZON AGRI-VENTURES CORPORATION",
           "THE REGENTS OF THE UNIVERSITY OF CALIFORNIA", "KONINKLIJKE ZUIDERZEE B.V.", "BÖHLER PRÄZISIONSTECHNIK GmbH"]
ADDR = {  # country -> (street, town, region)
    "MX": [("Av. Revolución 1425", "Álvaro Obregón", "Ciudad de México"), ("Calle Hidalgo 77 Pte.", "Saltillo", "Coahuila"),
           ("Blvd. Kukulcán km 12.5", "Cancún", "Quintana Roo")],
    "AR": [("Av. San Martín 2150", "Mendoza", "Mendoza"), ("Calle 9 de Julio 845", "San Miguel de Tucumán", "Tucumán"),
           ("Ruta Nacional 34 km 1250", "General Güemes", "Salta")],
    "US": [("2500 Innovation Way", "Palo Alto", "California"), ("77 Massachusetts Avenue", "Cambridge", "Massachusetts")],
    "PH": [("Unit 1203 Tektite Tower, Ortigas Center", "Pasig City", "Metro Manila"), ("45 Gil Puyat Avenue", "Makati City", "Metro Manila")],
    "DE": [("Industriestraße 8", "33602 Bielefeld", "Nordrhein-Westfalen")],
    "NL": [("Zuiderzeeweg 15", "1095 KR Amsterdam", "Noord-Holland")],
    "JP": [("2-3-1 Marunouchi", "Chiyoda-ku", "Tokyo")],
}
EP_TOWNS = [("Bristol BS8 1TH", "GB"), ("8000 Aarhus C", "DK"), ("33602 Bielefeld", "DE"), ("1095 KR Amsterdam", "NL"),
            ("Tokyo 100-0005", "JP"), ("Cambridge, MA 02139", "US"), ("69003 Lyon", "FR")]
TITLE_ES = ["SISTEMA DE RIEGO POR GOTEO CON SENSOR DE HUMEDAD", "PROCEDIMIENTO DE EXTRACCIÓN DE ACEITE DE OLIVA EN FRÍO",
            "MECANISMO DE TRANSMISIÓN PARA BICICLETA ELÉCTRICA", "ENVASE BIODEGRADABLE PARA ALIMENTOS Y MÉTODO DE FABRICACIÓN",
            "DISPOSITIVO ÓPTICO DE INSPECCIÓN DE TUBERÍAS", "ANTENA HELICOIDAL DE BAJA FRECUENCIA",
            "COMPOSICIÓN FARMACÉUTICA ORAL DE LIBERACIÓN PROLONGADA QUE COMPRENDE UN INHIBIDOR DE LA BOMBA DE PROTONES"]
TITLE_EN = ["DRONE LANDING PLATFORM WITH AUTOMATIC BATTERY EXCHANGE", "RICE HUSK GASIFIER",
            "PHARMACEUTICAL COMPOSITION COMPRISING A CRYSTALLINE FORM OF A KINASE INHIBITOR AND METHODS OF USE THEREOF",
            "COCONUT HUSK FIBRE BOARD", "MODULAR FLOOD BARRIER", "SYSTEM AND METHOD FOR ADAPTIVE TRAFFIC SIGNAL CONTROL"]
IPC = ["C12N 15/82 (2006.01)", "E02B 3/10 (2006.01)", "B64U 80/25 (2023.01)", "A23L 2/38 (2021.01)",
       "G08G 1/07 (2006.01)", "C10J 3/20 (2006.01)", "A61K 31/506 (2006.01)", "B62M 6/55 (2010.01)",
       "H01Q 11/08 (2006.01)", "A01G 25/02 (2006.01)"]

OFFICE_HEAD = {
    "PH": ["(19) REPUBLIC OF THE PHILIPPINES", "INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES", "(12) INVENTION PATENT"],
    "AR": ["(19) REPÚBLICA ARGENTINA", "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL", "(12) PATENTE DE INVENCIÓN"],
    "MX": ["(19) MÉXICO", "INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL", "(12) SOLICITUD DE PATENTE"],
    "EP": ["(19) Europäisches Patentamt · European Patent Office · Office européen des brevets",
           "(12) EUROPEAN PATENT APPLICATION"],
}
LABELS = {
    "PH": {"11": ["Publication Number", "Publication No."], "43": ["Publication Date", "Date of Publication"],
           "21": ["Application Number", "Application No."], "22": ["Filing Date"], "30": ["Priority"],
           "51": ["Int. Cl.", "IPC"], "54": ["Title"], "71": ["Applicant(s)", "Applicant"],
           "72": ["Inventor(s)", "Inventors"], "74": ["Agent", "Representative"], "57": ["Abstract"]},
    "AR": {"10": ["Patente de Invención", ""], "41": ["Fecha"], "21": ["Acta Nº", ""], "22": ["Fecha de presentación"],
           "30": ["Prioridad convenio de París"], "51": ["Int. Cl."], "54": ["Título", ""], "71": ["Titular", "Titulares"],
           "72": ["Inventor", "Inventores"], "74": ["Agente/s", "Agente"], "57": ["Resumen"]},
    "MX": {"11": ["Número de publicación"], "43": ["Fecha de publicación"], "21": ["Número de solicitud"],
           "22": ["Fecha de presentación"], "30": ["Prioridad"], "51": ["Int. Cl."], "54": ["Título"],
           "71": ["Solicitante(s)", "Solicitante"], "72": ["Inventor(es)", "Inventor"], "74": ["Agente", "Apoderado"],
           "57": ["Resumen"]},
    "EP": {"11": [""], "43": ["Date of publication"], "21": ["Application number"], "22": ["Date of filing"],
           "30": ["Priority"], "51": ["Int Cl."], "54": ["Title"], "71": ["Applicant"], "72": ["Inventors"],
           "74": ["Representative"], "57": ["Abstract"]},
}


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def _english(s: str) -> str:
    """Names on English pages: Spanish accents off, a German or Swedish umlaut kept."""
    return s if any(c in s for c in "ÄÖÜäöü") else _plain(s)


class Doc:
    """One publication's data: printed forms and the truth."""

    def __init__(self, i: int, rng: random.Random):
        self.i = i
        self.office = ("PH", "AR", "MX", "EP")[(i + i // 4) % 4]
        self.name = f"Z{i:02d}-{self.office}"
        self.es = self.office in ("AR", "MX")
        self.rng = rng
        r = rng
        self.font = r.choice(FONTS)
        self.pt = r.choice([10.5, 11, 11.5, 12]) if self.font != "Liberation Mono" else r.choice([10, 10.5])
        self.bold_labels = r.random() < 0.4
        self.layout = r.choice(["table", "grid", "blocks"]) if self.office != "EP" else r.choice(["grid", "blocks"])
        self.lab = {code: r.choice(opts) for code, opts in LABELS[self.office].items()}
        y_pub = r.randint(2016, 2026)
        y_fil = y_pub - r.randint(1, 3)
        y_pri = y_fil - 1
        self.pub = (y_pub, r.randint(1, 12), r.randint(1, 28))
        self.fil = (y_fil, r.randint(1, 12), r.randint(1, 28))
        self.pri = (y_pri, r.randint(1, 12), r.randint(1, 28)) if r.random() < 0.5 else None
        o = self.office
        if o == "PH":
            self.number = f"1{y_pub}0{r.randint(60000, 69999)}"
            self.kind = r.choice(["A1", "B1", "U1"])
            self.app = f"{r.choice('12')}-{y_fil}-{r.randint(600000, 699999)}"
            self.printed_number = f"PH {self.number} {self.kind}"
        elif o == "AR":
            self.number = f"{r.randint(160000, 179999)}"
            self.kind = r.choice(["A1", "A1", "B1"])
            self.app = f"P{y_fil}{r.randint(1000000, 1099999):07d}"
            self.printed_number = r.choice([f"AR{self.number} {self.kind}", f"AR {self.number} {self.kind}"])
        elif o == "MX":
            self.number = f"{y_pub}{r.randint(30000, 39999):06d}"
            self.kind = r.choice(["A", "A", "B", "U"])
            self.app = f"MX/{'u' if self.kind == 'U' else 'a'}/{y_fil}/{r.randint(30000, 39999):06d}"
            self.printed_number = f"MX {self.number} {self.kind}"
        else:
            self.number = f"{r.randint(4500000, 4899999)}"
            self.kind = r.choice(["A1", "A1", "A2"])
            self.app = f"{y_fil % 100:02d}{r.randint(700000, 799999)}.{r.randint(0, 9)}"
            self.printed_number = f"EP {self.number[0]} {self.number[1:4]} {self.number[4:]} {self.kind}"
        self.title = r.choice(TITLE_ES if self.es else TITLE_EN)
        self.ipc = r.sample(IPC, r.choice([1, 1, 2, 3]))
        self.addresses = r.random() < (0.7 if o == "MX" else 0.35)
        self.sep = "line" if (self.addresses and o != "EP") else r.choice(
            ["line", " - ", "; ", " y " if self.es else " and "])
        if o == "AR" and not self.addresses and r.random() < 0.5:
            self.sep = " - "
        self.applicants = self._parties("firm", r.randint(1, 3))
        self.inventors = self._parties("person", r.randint(1, 4))
        self.agents = self._parties("agent", r.choice([1, 1, 2]))
        self.prn = random.Random(r.getrandbits(64))  # the printing's own choices: a page prints alike alone or in the set

    def _person(self) -> str:
        r = self.rng
        if self.es:
            s, g = r.choice(SUR_ES), r.choice(GIV_ES)
        else:
            s, g = _english(r.choice(SUR_EN)), _english(r.choice(GIV_EN))
        if self.office in ("AR", "EP", "PH") or r.random() < 0.5:
            return f"{s}, {g.upper() if self.office == 'AR' and r.random() < 0.5 else g}"
        return f"{g.upper()} {s}"

    def _parties(self, role: str, n: int) -> list[tuple[str, str | None, str | None]]:
        r, o = self.rng, self.office
        out, seen = [], set()
        while len(out) < n:
            if role == "firm":
                name = r.choice(FIRM_ES if self.es else FIRM_EN)
                if not self.es:
                    name = _english(name)
            else:
                name = self._person()
            if name in seen:
                continue
            seen.add(name)
            if o == "EP" and role != "agent":
                town, cc = r.choice(EP_TOWNS)
                out.append((name, town if self.addresses or role == "person" else None, cc))
            elif self.addresses and role != "agent":
                cc = r.choice(["MX", "AR", "US", "PH", "DE", "NL", "JP"] if role == "firm" else [o, o, "US"])
                street, town, region = r.choice(ADDR[cc])
                if not self.es:
                    street, town, region = _english(street), _english(town), _english(region)
                out.append((name, f"{street}, {town}, {region}", cc))
            elif role == "firm":
                out.append((name, None, r.choice(["US", "MX", "AR", "DE", "JP", "PH", "NL"])))
            else:
                out.append((name, None, None))
        return out

    # ------------------------------------------------------------------ printing

    def date(self, ymd) -> str:
        y, m, d = ymd
        return f"{d:02d}.{m:02d}.{y}" if self.office in ("PH", "EP") else f"{d:02d}/{m:02d}/{y}"

    def party_html(self, code: str, parties) -> str:
        """The printed value of (71)/(72)/(74) as HTML."""
        e = html.escape
        if self.office == "EP":
            bullet = "&bull;&nbsp;" if len(parties) > 1 else ""
            rows = []
            for name, addr, cc in parties:
                rows.append(f"<div class=p>{bullet}{e(name)}" + (f"<br>{e(addr)} ({cc})" if addr else
                                                                  (f" ({cc})" if cc else "")) + "</div>")
            return "".join(rows)

        def one(p):
            name, addr, cc = p
            if addr:
                return f"{name}; {addr}, {cc}"
            return f"{name} ({cc})" if cc else name
        if self.sep == "line" or code == "74":
            return "".join(f"<div class=p>{e(one(p))}</div>" for p in parties)
        return f"<div class=p>{e(self.sep.join(one(p) for p in parties))}</div>"

    def fields(self) -> list[tuple[str, str, str]]:
        """(code, label, value html) in printed order; left-column fields first."""
        e = html.escape
        num_code = "10" if self.office == "AR" else "11"
        date_code = "41" if self.office == "AR" else "43"
        pub = self.date(self.pub)
        if self.office == "EP" and self.prn.random() < 0.6:
            pub += f"<br>Bulletin {self.pub[0]}/{self.prn.randint(1, 52):02d}"
        elif self.office == "AR" and self.prn.random() < 0.5:
            pub += f" &nbsp; Bol. Nro.: {self.prn.randint(1100, 1399)}"
        ipc_sep = self.prn.choice(["<br>", "; ", " &nbsp; "])
        out = [(num_code, self.lab[num_code], e(self.printed_number)),
               ("21", self.lab["21"], e(self.app)),
               ("22", self.lab["22"], self.date(self.fil))]
        if self.pri:
            cc = self.prn.choice(["US", "EP", "JP", "ES"])
            out.append(("30", self.lab["30"], f"{self.date(self.pri)} {cc} {self.prn.randint(10, 99)}/{self.prn.randint(100000, 999999)}"))
        out += [(date_code, self.lab[date_code], pub),
                ("51", self.lab["51"], ipc_sep.join(e(c) for c in self.ipc)),
                ("71", self.lab["71"], self.party_html("71", self.applicants)),
                ("72", self.lab["72"], self.party_html("72", self.inventors)),
                ("74", self.lab["74"], self.party_html("74", self.agents)),
                ("54", self.lab["54"], e(self.title)),
                ("57", self.lab["57"], e(self.abstract()))]
        return out

    def abstract(self) -> str:
        t = self.title.lower()
        if self.es:
            return (f"La presente invención se refiere a {t}. El objeto comprende un cuerpo principal, "
                    "un medio de sujeción y una unidad de control que regula el funcionamiento.")
        return (f"The invention relates to a {t}. It comprises a main body, a fastening means and a "
                "control unit that regulates its operation.")

    def page_html(self, k: int) -> str:
        e = html.escape
        lab_style = "font-weight:bold;" if self.bold_labels else ""
        head = "".join(f"<div class=h>{e(h)}</div>" for h in OFFICE_HEAD[self.office])
        f = self.fields()

        def label(lab):
            return f"<span class=l>{e(lab)}:</span> " if lab else ""
        if self.layout == "table":
            rows = "".join(f"<tr><td class=c>({c})</td><td>{label(lab)}{v}</td></tr>" for c, lab, v in f)
            body = f"<table>{rows}</table>"
        elif self.layout == "grid":
            left = [x for x in f if x[0] not in ("71", "72", "74", "54", "57")]
            right = [x for x in f if x[0] in ("71", "72", "74")]
            bottom = [x for x in f if x[0] in ("54", "57")]

            def block(items):
                return "".join(f"<div class=f><span class=c>({c})</span><div class=v>{label(lab)}{v}</div></div>"
                               for c, lab, v in items)
            body = (f"<div class=grid><div>{block(left)}</div><div>{block(right)}</div></div>"
                    f"<hr>{block(bottom)}")
        else:  # label above value
            def blk(c, lab, v):
                return (f"<div class=f><span class=c>({c})</span><div class=v>"
                        + (f"<div class=l>{e(lab)}:</div>" if lab else "") + f"<div class=ind>{v}</div></div></div>")
            two = self.prn.random() < 0.5
            if two:
                left = [x for x in f if x[0] not in ("71", "72", "74", "54", "57")]
                right = [x for x in f if x[0] in ("71", "72", "74")]
                bottom = [x for x in f if x[0] in ("54", "57")]
                body = (f"<div class=grid><div>{''.join(blk(*x) for x in left)}</div>"
                        f"<div>{''.join(blk(*x) for x in right)}</div></div><hr>{''.join(blk(*x) for x in bottom)}")
            else:
                body = "".join(blk(*x) for x in f)
        p = f"#p{k}"
        css = f"""
  {p} {{ width: 210mm; height: 297mm; box-sizing: border-box; padding: 24mm 20mm 20mm 22mm;
          font-family: '{self.font}'; font-size: {self.pt}pt; line-height: 1.32; color: #000;
          page-break-after: always; overflow: hidden; }}
  {p} .h {{ font-size: {self.pt + 1}pt; }} {p} .hd {{ border-bottom: 1.2pt solid #000; padding-bottom: 3mm; margin-bottom: 5mm; }}
  {p} table {{ border-collapse: collapse; width: 100%; }} {p} td {{ vertical-align: top; padding: 0 0 2.2mm 0; }}
  {p} td.c {{ width: 13mm; }} {p} .l {{ {lab_style} }}
  {p} .grid {{ display: grid; grid-template-columns: 1fr 1fr; column-gap: 9mm; }}
  {p} .f {{ display: flex; margin-bottom: 2.4mm; }} {p} .f .c {{ flex: 0 0 12mm; }} {p} .f .v {{ flex: 1; }}
  {p} .ind {{ padding-left: 2mm; }} {p} .p {{ padding-left: 5mm; text-indent: -5mm; }}
  {p} hr {{ border: 0; border-top: 0.8pt solid #000; margin: 3mm 0 4mm 0; }}"""
        return f"<section id=p{k}><style>{css}</style><div class=hd>{head}</div>{body}</section>"

    def truth(self) -> dict:
        iso = lambda ymd: f"{ymd[0]}-{ymd[1]:02d}-{ymd[2]:02d}"  # noqa: E731
        return {"office": self.office, "doc_number": self.number, "kind": self.kind,
                "publication_date": iso(self.pub), "application_number": self.app, "filing_date": iso(self.fil),
                "title": self.title, "ipc": list(self.ipc), "applicants": self.applicants,
                "inventors": self.inventors, "agents": self.agents}


def documents(n: int = N_DOCS, seed: int = SEED) -> list[Doc]:
    rng = random.Random(seed)
    return [Doc(i, rng) for i in range(n)]


def render(docs: list[Doc]) -> dict[str, dict[int, np.ndarray]]:
    """name -> {dpi: grey page}; the documents are one HTML file, one PDF, cached by its hash."""
    pages = [d.page_html(d.i) for d in docs]
    doc = ("<!doctype html><html><head><meta charset=utf-8><style>@page { size: A4; margin: 0 } "
           "body { margin: 0 }</style></head><body>" + "".join(pages) + "</body></html>")
    key = hashlib.sha1(doc.encode()).hexdigest()[:12]
    folder = CACHE / key
    if not (folder / "done").is_file():
        if shutil.which(CHROMIUM[0]) is None or shutil.which("pdftoppm") is None:
            raise SystemExit("sealed2 needs chromium and pdftoppm (poppler-utils)")
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            src, pdf = Path(tmp) / "set.html", Path(tmp) / "set.pdf"
            src.write_text(doc, encoding="utf-8")
            subprocess.run([*CHROMIUM, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", src.as_uri()],
                           check=True, capture_output=True, timeout=300)
            shutil.copy(pdf, folder / "set.pdf")
            (folder / "set.html").write_text(doc, encoding="utf-8")
            for dpi in (300, 200):
                subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(folder / f"p{dpi}")],
                               check=True, capture_output=True, timeout=600)
        (folder / "done").write_text("ok")
    out: dict[str, dict[int, np.ndarray]] = {}
    for dpi in (300, 200):
        files = sorted(folder.glob(f"p{dpi}-*.png"))
        if len(files) != len(docs):
            raise SystemExit(f"sealed2: {len(files)} pages printed for {len(docs)} documents (a page overflowed?)")
        for d, fpath in zip(docs, files):
            out.setdefault(d.name, {})[dpi] = np.array(Image.open(fpath).convert("L"))
    return out


# ---------------------------------------------------------------------- own degradation

def _rotate(img: Image.Image, deg: float) -> Image.Image:
    return img.rotate(deg, resample=Image.BICUBIC, expand=False, fillcolor=255)


def office_scan(grey: np.ndarray, seed: int) -> np.ndarray:
    """A production scanner at 300 dpi, stored bilevel: rotation, toner spread or thinning, dropouts,
    dust, sometimes a streak."""
    r = np.random.default_rng(seed)
    img = _rotate(Image.fromarray(grey), float(r.uniform(-1.2, 1.2)))
    img = img.filter(ImageFilter.BoxBlur(float(r.uniform(0.5, 1.0))))
    a = np.asarray(img, dtype=np.float32)
    a += r.uniform(-18, 18, a.shape).astype(np.float32)  # sensor noise, uniform
    ink = a < float(r.uniform(115, 175))  # per page: thin (low) or spread (high) strokes
    drop = r.random(ink.shape) < 0.004  # toner dropouts
    ink &= ~drop
    h, w = ink.shape
    for _ in range(int(r.integers(40, 160))):  # dust: little squares
        y, x, s = int(r.integers(0, h - 4)), int(r.integers(0, w - 4)), int(r.integers(1, 4))
        ink[y:y + s, x:x + s] = True
    if r.random() < 0.3:  # a thin vertical streak of a dirty scanner glass
        x = int(r.integers(100, w - 100))
        ink[:, x] |= r.random(h) < 0.6
    return np.where(ink, 0, 255).astype(np.uint8)


def poor_scan(grey200: np.ndarray, seed: int) -> np.ndarray:
    """A phone or copier at 200 dpi: rotation 1-3°, yellowed paper lit from one side, blur, noise, JPEG."""
    r = np.random.default_rng(seed)
    deg = float(r.uniform(1.0, 3.0)) * (1 if r.random() < 0.5 else -1)
    img = _rotate(Image.fromarray(grey200), deg)
    a = np.asarray(img, dtype=np.float32) / 255.0
    h, w = a.shape
    gx = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    gy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    side = r.integers(0, 4)
    grad = {0: gx, 1: 1 - gx, 2: gy, 3: 1 - gy}[int(side)]
    paper = 0.93 - 0.28 * grad  # darker away from the lamp
    a = a * paper + (1 - a) * float(r.uniform(0.06, 0.14))  # ink is not black
    out = Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(float(r.uniform(0.6, 1.0))))
    b = np.asarray(out, dtype=np.float32) + r.normal(0, 11, (h, w)).astype(np.float32)
    buf = io.BytesIO()
    Image.fromarray(np.clip(b, 0, 255).astype(np.uint8)).save(buf, format="JPEG", quality=int(r.integers(42, 59)))
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


def sealed2_set(n: int = N_DOCS, seed: int = SEED, names: tuple[str, ...] | None = None) -> list[FrontPageSample]:
    """The samples, each with ``degraded = {"office": (image, 300), "poor": (image, 200)}``."""
    docs = [d for d in documents(n, seed) if names is None or d.name in names]
    grey = render(docs)
    out = []
    for d in docs:
        s = FrontPageSample(d.name, d.office, grey[d.name][300], d.truth())
        k = seed + 97 * d.i
        s.degraded = {"office": (office_scan(grey[d.name][300], k), 300), "poor": (poor_scan(grey[d.name][200], k + 1), 200)}
        out.append(s)
    return out


if __name__ == "__main__":  # write the degraded pages, to look at the set's look (not its results)
    import sys
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else "build/frontpage-sealed2/look")
    dest.mkdir(parents=True, exist_ok=True)
    for s in sealed2_set():
        for level, (img, _dpi) in s.degraded.items():
            Image.fromarray(img).save(dest / f"{s.name}-{level}.png")
    print(dest)
