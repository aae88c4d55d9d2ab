"""The fourth sealed front-page set (issue 24): PH/AR/MX/EP front pages typeset as PDF by fpdf2
and rasterised by poppler's ``pdftoppm``, degraded by a scanner model of its own.

    sealed4_set()          # 80 documents (20 per office) minus the 6 of REGRESSION: the reported set
    regression_set()       # the 6 REGRESSION documents (may be kept in tests; not reported)

ONLY RUN TO REPORT (``bench/frontpage_eval.py sealed4``): rules are never developed against it.

Different code from the tuning set (``digitize/synth_frontpages.py``, PIL) and from the earlier
sealed sets (PIL composers; HTML printed by Chromium): here a page is a PDF written with
``fpdf2`` (its own line breaking, TrueType embedding, horizontal stretching and letter spacing),
turned into a 300-dpi grey image by ``pdftoppm -gray`` (poppler's Splash rasteriser). Needs
``pdftoppm`` (poppler-utils, in the Makefile's APT_PACKAGES) and ``fpdf2`` (in the project's
venv, brought by the ``bench`` extra's OCRmyPDF); nothing else is installed. About 2-3 s a
document (fpdf2 subsets the font, pdftoppm at 300 dpi, the two scans).

What the pages hold (the failure patterns of issue 24): party lists one per line, joined by
`` - ``, ``; ``, `` y ``/`` and `` (and ``A, B y C``), ``NAME; street, city, state, CC`` on one
line, an address on continuation lines (``80331 München (DE)``), ``APELLIDO, NOMBRE`` and
``NOMBRE APELLIDO``, 1-6 parties per code and a few lists of 7-10, long names that wrap, company
forms with their full stops, accented capitals in names and titles, titles printed without their
accents (the truth keeps the accents, as the tuning set's truth does; the description page
then prints the accented words in lower case), IPC with and without versions, (30) priorities,
(86)/(87) PCT data, dates numeric and in words; INID codes in brackets, bare or in a margin
column; labels beside or above the value; one or two columns; six type faces with stretching.

Truth follows ``synth_frontpages``: doc_number digits only, kind, ISO dates, the application
number as printed, the title, IPC ``A01B 1/00 (2006.01)`` (no version when none is printed),
parties as ``(name, address or None, country or None)``; an EP B1 has ``assignees`` ((73)
Proprietor) instead of ``applicants``.
"""
from __future__ import annotations

import io
import random
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from fpdf import FPDF
from PIL import Image, ImageFilter

SEED = 24_0404
PER_OFFICE = 20
OFFICES = ("PH", "AR", "MX", "EP")
# kept out of the reported figure; the lead may put them in tests: PH-20 applicants joined by
# " and ", labels above; AR-19 two columns, codes in a margin, inventors "A, B - C, D", title
# printed without accents (with a description page); AR-20 one a line with "(CC)"; MX-19
# "NAME; street, city, state, CC" lines and " y " inventors; MX-20 two columns, one a line;
# EP-20 two columns, addresses on continuation lines, " and " inventors

REGRESSION = ["S4-PH-20", "S4-AR-19", "S4-AR-20", "S4-MX-19", "S4-MX-20", "S4-EP-20"]

FONTDIR_D = "/usr/share/fonts/truetype/dejavu/"
FONTDIR_L = "/usr/share/fonts/truetype/liberation/"
# (family, regular, bold, stretching %, letter spacing pt)
FACES = [
    ("LibSerif", FONTDIR_L + "LiberationSerif-Regular.ttf", FONTDIR_L + "LiberationSerif-Bold.ttf", 100, 0.0),
    ("LibSerif", FONTDIR_L + "LiberationSerif-Regular.ttf", FONTDIR_L + "LiberationSerif-Bold.ttf", 94, 0.1),
    ("DjSerifC", FONTDIR_D + "DejaVuSerifCondensed.ttf", FONTDIR_D + "DejaVuSerifCondensed-Bold.ttf", 100, 0.0),
    ("LibNarrow", FONTDIR_L + "LiberationSansNarrow-Regular.ttf", FONTDIR_L + "LiberationSansNarrow-Bold.ttf", 100, 0.2),
    ("DjSans", FONTDIR_D + "DejaVuSans.ttf", FONTDIR_D + "DejaVuSans-Bold.ttf", 90, 0.0),
    ("LibSans", FONTDIR_L + "LiberationSans-Regular.ttf", FONTDIR_L + "LiberationSans-Bold.ttf", 97, 0.0),
    ("DjMono", FONTDIR_D + "DejaVuSansMono.ttf", FONTDIR_D + "DejaVuSansMono-Bold.ttf", 88, 0.0),
]

# ----------------------------------------------------------------------------- pools (new)
SUR_ES = ["ARÁOZ", "ECHEGARAY", "BUSTAMANTE", "IRIGOYEN", "ZUBIZARRETA", "QUIÑONES", "MONTAÑO", "BELTRÁN",
          "CÁCERES", "DÁVALOS", "ESCOBEDO", "FAJARDO", "GÜEMES", "IBÁÑEZ", "JÁUREGUI", "LEDESMA", "MALDONADO",
          "OLAVARRÍA", "QUIROGA", "RIVADENEIRA", "SALGUERO", "TEJEDA", "URQUIZA", "VALDÉS", "YÁÑEZ", "AGÜERO",
          "CARREÑO", "DUEÑAS", "ESPÍNDOLA", "FRÍAS", "ORDÓÑEZ", "PIÑEIRO", "RÍOS", "VIDELA", "ZÁRATE", "LUCERO",
          "ALBARRACÍN", "MÚGICA", "SOSA", "BARRIENTOS", "CORONEL", "GODOY", "HERRERA DE LA FUENTE"]
GIV_ES = ["Joaquín", "Agustina", "Nicolás", "Valentina", "Sebastián", "Milagros", "Facundo", "Camila Belén",
          "Gonzalo", "Azucena", "Ítalo", "Úrsula", "Ángel", "Guadalupe", "Efraín", "Leticia", "Raúl", "Verónica",
          "Íñigo", "Maximiliano José", "Ana Belén", "José Ignacio", "Brenda", "Ezequiel", "Rosalía", "Octavio",
          "María Celeste", "Héctor Andrés"]
SUR_PH = ["DELA CRUZ", "MAGSAYSAY", "BAUTISTA", "VILLANUEVA", "MACARAEG", "TOLENTINO", "PANGILINAN", "DIMAGIBA",
          "LACSON", "SORIANO", "CASTILLEJOS", "AQUINO", "MANALASTAS", "DE LEON", "QUIMPO", "SY", "BALTAZAR",
          "ZUÑIGA", "CATACUTAN", "ESGUERRA", "TANAKA", "WANG", "NGUYEN", "KIM", "HARRINGTON"]
GIV_PH = ["Maria Theresa", "Jose Rizalino", "Rommel", "Lourdes", "Jerome", "Rowena", "Arnel", "Kristine Joy",
          "Marlon", "Evangeline", "Rodel", "Cherry Ann", "Hiroshi", "Xiaoming", "Van Thanh", "Min-jun", "Patrick"]
SUR_EP = ["MÜLLER", "KRÄMER", "BÖHM", "SCHRÖDER", "GRÜNWALD", "HÄUSSLER", "DUPONT", "ROSSI", "JANSSEN",
          "LINDQVIST", "O'BRIEN", "VAN DER BERG", "NOWAK", "FISCHER", "BERGMANN", "KOWALSKI", "ANDERSSON",
          "MORETTI", "HUBER", "SCHNEIDER", "ÖZTÜRK", "LEHMANN", "FAURE", "COSTA", "HOLM"]
GIV_EP = ["Hans-Peter", "Annika", "Tobias", "Claire", "Giulia", "Pieter", "Erik", "Siobhan", "Maarten",
          "Agnieszka", "Ute", "Tomasz", "Karin", "Luca", "Florian", "Emre", "Jürgen", "Sören", "Benoît", "Inés"]

CO_ES = ["METALÚRGICA RIOPLATENSE S.A.", "VIDRIERÍA CUYANA S.A.", "BODEGAS DEL ACONQUIJA S.A.",
         "GRUPO INDUSTRIAL TEHUACÁN, S.A. DE C.V.", "EMPAQUES FLEXIBLES DEL BAJÍO S.A. DE C.V.",
         "MAQUINARIA AGRÍCOLA DE SINALOA, S.A. DE C.V.", "SOLUCIONES ENERGÉTICAS MIXTECA, S.A.P.I. DE C.V.",
         "INDÚSTRIA DE MÁQUINAS PAULISTA LTDA.", "COOPERATIVA AGRÍCOLA DE ARAUCANÍA LTDA.",
         "TALLERES ARÁNZAZU S.L.", "ELECTRÓNICA DEL CANTÁBRICO, S.L.", "ACEROS PATAGÓNICOS S.R.L.",
         "LUBRICANTES DEL LITORAL S.R.L.", "FARMACÉUTICA ÍTALO-ARGENTINA S.R.L.",
         "SOLUCIONES TÉRMICAS ANDINAS S.A.S.", "AGROINSUMOS DEL MAGDALENA S.A.S.",
         "BLUEWATER FILTRATION, INC.", "CASCADE ROBOTICS INC.", "PELICAN BAY THERAPEUTICS, INC.",
         "KRÄMER FÖRDERTECHNIK GmbH", "BÖHM & SÖHNE GmbH", "UNIVERSIDAD NACIONAL DE CÓRDOBA",
         "INSTITUTO POLITÉCNICO NACIONAL", "UNIVERSIDAD NACIONAL AUTÓNOMA DE MÉXICO"]
CO_ES_LONG = ["COMPAÑÍA INDUSTRIAL DE TRANSFORMADORES Y EQUIPOS ELÉCTRICOS DEL NOROESTE, S.A. DE C.V.",
              "CONSEJO NACIONAL DE INVESTIGACIONES CIENTÍFICAS Y TÉCNICAS (CONICET)",
              "FÁBRICA ARGENTINA DE ENVASES METÁLICOS Y CIERRES HERMÉTICOS SOCIEDAD ANÓNIMA",
              "CENTRO DE INVESTIGACIÓN Y DE ESTUDIOS AVANZADOS DEL INSTITUTO POLITÉCNICO NACIONAL"]
CO_PH = ["MINDANAO AGRITECH CORPORATION", "LUZON POWER SYSTEMS, INC.", "VISAYAS COCONUT PRODUCTS CORP.",
         "BLUEWATER FILTRATION, INC.", "KAWANISHI SEIKI CO., LTD.", "PELICAN BAY THERAPEUTICS, INC.",
         "UNIVERSITY OF THE PHILIPPINES LOS BAÑOS", "DEPARTMENT OF SCIENCE AND TECHNOLOGY",
         "KRÄMER FÖRDERTECHNIK GmbH", "CASCADE ROBOTICS INC.", "SOLUCIONES TÉRMICAS ANDINAS S.A.S."]
CO_PH_LONG = ["PHILIPPINE COUNCIL FOR AGRICULTURE, AQUATIC AND NATURAL RESOURCES RESEARCH AND DEVELOPMENT",
              "INTEGRATED MICRO-ELECTRONICS MANUFACTURING AND TEST SERVICES, INC."]
CO_EP = ["Krämer Fördertechnik GmbH", "Rheinland Dichtungssysteme GmbH", "Nordhavn Marine Solutions A/S",
         "Valmorbida Meccanica S.p.A.", "Lumière Optronique SAS", "Brabant Coatings B.V.", "Hallström Medical AB",
         "Fujisawa Denki Kabushiki Kaisha", "Orchard Biosciences Ltd", "Cascade Robotics Inc.",
         "Talleres Aránzazu S.L.", "Böhm & Söhne GmbH", "Pelican Bay Therapeutics, Inc."]
CO_EP_LONG = ["Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",
              "Commissariat à l'Energie Atomique et aux Energies Alternatives"]

# (street part, city, state or region, postcode, ST.3 country)
ADDR = {
    "MX": [("Calle Emiliano Zapata No. 418, Col. San Rafael", "Guadalajara", "Jalisco", "44810"),
           ("Av. Revolución 1267, Col. Tlacopac", "Ciudad de México", "CDMX", "01040"),
           ("Blvd. Adolfo López Mateos 2301 Pte., Col. Jardines del Moral", "León", "Guanajuato", "37160"),
           ("Privada de los Álamos 27, Fracc. Las Ánimas", "Xalapa", "Veracruz", "91190"),
           ("Carretera a Nogales Km 8.5", "Zapopan", "Jalisco", "45221"),
           ("Calle 60 No. 491-A, Col. Centro", "Mérida", "Yucatán", "97000")],
    "AR": [("Av. Corrientes 4521, Piso 3", "Ciudad Autónoma de Buenos Aires", "", "C1195AAE"),
           ("Bv. Oroño 1340", "Rosario", "Santa Fe", "S2000"),
           ("Ruta Nacional 9 Km 695", "Córdoba", "Córdoba", "X5000"),
           ("Calle 7 N° 1180", "La Plata", "Provincia de Buenos Aires", "B1900"),
           ("San Martín 288", "Mendoza", "Mendoza", "M5500")],
    "US": [("2200 Mission College Blvd.", "Santa Clara", "California", "95054"),
           ("17 Kendall Square", "Cambridge", "Massachusetts", "02142"),
           ("1 Pelican Way", "Sarasota", "Florida", "34236")],
    "DE": [("Industriestraße 41", "Göppingen", "", "73033"), ("Am Wasserturm 3", "Nürnberg", "", "90427"),
           ("Lindenallee 8", "Dresden", "", "01069")],
    "PH": [("Unit 1204 Tektite Tower, Exchange Road, Ortigas Center", "Pasig City", "Metro Manila", "1605"),
           ("Lot 5 Block 3, Light Industry and Science Park", "Cabuyao", "Laguna", "4025"),
           ("88 Jupiter Street, Bel-Air", "Makati City", "Metro Manila", "1209")],
    "ES": [("Calle Lermandabide 9, Polígono Industrial Júndiz", "Vitoria-Gasteiz", "Álava", "01015"),
           ("Calle de Alcalá 210", "Madrid", "", "28028")],
    "BR": [("Rua Voluntários da Pátria 1500", "São Paulo", "SP", "01014-000")],
    "JP": [("2-3-1 Marunouchi, Chiyoda-ku", "Tokyo", "", "100-8310")],
    "FR": [("12 rue des Tanneurs", "Lyon", "", "69002")],
    "IT": [("Via dell'Artigianato 14", "Bologna", "", "40138")],
    "NL": [("Kanaaldijk 201", "Eindhoven", "", "5611 AB")],
    "SE": [("Fabriksgatan 7", "Göteborg", "", "412 50")],
}
# EP pages print "postcode town (CC)" under a name
EP_TOWNS = [("80331", "München", "DE"), ("70565", "Stuttgart", "DE"), ("01069", "Dresden", "DE"),
            ("69002", "Lyon", "FR"), ("40138", "Bologna", "IT"), ("5611 AB", "Eindhoven", "NL"),
            ("412 50", "Göteborg", "SE"), ("8000", "Aarhus", "DK"), ("1010", "Wien", "AT"),
            ("02-672", "Warszawa", "PL"), ("Cambridge CB4 0WS", "", "GB")]

# (title as the office wants it in the XML, IPC main symbol). Unaccented, the words are no Spanish
# word (VALVULA, CAMARA, DESAGUE, ...) except MAQUINA and CAPSULA (verb forms: the ambiguous case);
# a title printed without accents always has a description page printing its accented words
TITLES_ES = [
    ("VÁLVULA DE RETENCIÓN PARA TUBERÍA DE GAS", "F16K 15/03"),
    ("CIGÜEÑAL CON CONTRAPESOS DESMONTABLES", "F16C 3/20"),
    ("MÁQUINA COSECHADORA DE CAÑA CON CABEZAL ARTICULADO", "A01D 45/10"),
    ("CÁMARA FRIGORÍFICA MODULAR PARA TRANSPORTE TERRESTRE", "F25D 11/00"),
    ("PROCEDIMIENTO DE OBTENCIÓN DE ÁCIDO LÁCTICO A PARTIR DE SUERO", "C12P 7/56"),
    ("COMPOSICIÓN HERBICIDA Y MÉTODO DE APLICACIÓN", "A01N 43/40"),
    ("DISPOSITIVO DE SUJECIÓN PARA PANELES FOTOVOLTAICOS", "H02S 20/30"),
    ("SISTEMA DE CALEFACCIÓN SOLAR CON ACUMULADOR TÉRMICO", "F24S 60/00"),
    ("ENVASE PLÁSTICO CON VÁLVULA DOSIFICADORA", "B65D 47/20"),
    ("ELECTRODO CERÁMICO PARA CELDA ELECTROLÍTICA", "C25B 11/04"),
    ("APARATO PARA LA DESHIDRATACIÓN DE FRUTAS TROPICALES", "A23B 7/02"),
    ("MEZCLADORA DE CONCRETO CON TAMBOR GIRATORIO", "B28C 5/18"),
    ("CONECTOR ELÉCTRICO ESTANCO PARA VEHÍCULOS", "H01R 13/52"),
    ("FORMULACIÓN FARMACÉUTICA DE LIBERACIÓN PROLONGADA", "A61K 9/20"),
    ("GRÚA PLEGABLE PARA CAMIÓN", "B66C 23/70"),
    ("ANTENA DE MICROONDAS PARA COMUNICACIÓN SATELITAL", "H01Q 1/28"),
    ("CIERRE HERMÉTICO PARA CÁPSULA DE BEBIDA", "B65D 85/804"),
    ("DESAGÜE DE PISO CON SIFÓN INTEGRADO", "E03F 5/04"),
    ("ESTRUCTURA DE PANEL ACÚSTICO CON NÚCLEO DE ESPUMA", "E04B 1/86"),
    ("TRAMPA PARA INSECTOS CON ATRAYENTE LUMÍNICO", "A01M 1/04"),
]
TITLES_ES_SENTENCE = [("Válvula de alivio de presión para caldera", "F16K 17/04"),
                      ("Método y sistema para la clasificación óptica de granos", "B07C 5/342")]
TITLES_EN = [
    ("SELF-CLEANING STRAINER FOR IRRIGATION LINES", "B01D 29/64"),
    ("Coconut husk fibre board and method of making the same", "B27N 3/04"),
    ("RICE HULL GASIFIER WITH ROTATING GRATE", "C10J 3/34"),
    ("BIODEGRADABLE PACKAGING FILM CONTAINING BANANA STARCH", "C08L 3/02"),
    ("Hydraulic damper with adjustable bypass valve", "F16F 9/46"),
    ("METHOD FOR DETECTING LEAKS IN A PIPELINE USING ACOUSTIC SENSORS DISTRIBUTED ALONG ITS LENGTH", "G01M 3/24"),
    ("Heat exchanger plate with turbulence-generating ribs", "F28F 3/04"),
    ("MOSQUITO TRAP USING CARBON DIOXIDE FROM YEAST FERMENTATION", "A01M 1/02"),
    ("ANTIBODIES BINDING TO HUMAN IL-23 RECEPTOR AND USES THEREOF", "C07K 16/28"),
    ("MULTILAYER FILM WITH OXYGEN BARRIER LAYER", "B32B 27/32"),
    ("Charging connector for an electric vehicle with liquid-cooled contacts", "B60L 53/16"),
    ("SOLAR-POWERED WATER DESALINATION UNIT", "C02F 1/14"),
    ("Method for training a neural network on encrypted data", "G06N 3/08"),
    ("SEAWEED-BASED BIOSTIMULANT COMPOSITION", "C05F 11/00"),
    ("Rotor blade with a serrated trailing edge", "F03D 1/06"),
    ("PORTABLE RICE MILL WITH DUST SEPARATOR", "B02B 3/00"),
]
IPC_EXTRA = ["F16K 27/02", "B65D 41/04", "H04L 9/40", "A61P 25/00", "C12N 1/20", "G01N 33/02", "B01D 53/14",
             "F24S 10/40", "A01G 9/14", "H01M 10/44", "E04F 13/08", "B29C 45/00"]
VERSIONS = ["2006.01", "2006.01", "2006.01", "2013.01", "2018.01", "2019.01", "2020.01", "2021.01", "2022.01",
            "2023.01", "2009.01", "2014.01", "2012.01"]
MAIN_VERSION = {"H02S 20/30": "2014.01", "F24S 60/00": "2018.01", "C25B 11/04": "2021.01",
                "B60L 53/16": "2019.01", "G06N 3/08": "2023.01", "B07C 5/342": "2006.01"}

MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
             "noviembre", "diciembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]

ABSTRACT_ES = ("La solicitud describe: {t}, que comprende un cuerpo principal, un elemento de cierre y un medio de "
               "regulación dispuesto en el interior; la invención permite una operación más segura, reduce "
               "el consumo de energía y facilita el mantenimiento en campo sin herramientas especiales.")
ABSTRACT_EN = ("Disclosed: {t}, comprising a main body, a closure member and an adjusting means arranged "
               "inside the body; the invention allows safer operation, lowers the energy consumed and makes "
               "maintenance in the field possible without special tools.")


def unaccent_title(s: str) -> str:
    """As an office prints a title without accents: acute and diaeresis dropped, Ñ kept."""
    out = []
    for c in s:
        if c in "Ññ":
            out.append(c)
            continue
        out.append("".join(x for x in unicodedata.normalize("NFD", c) if unicodedata.category(x) != "Mn"))
    return "".join(out)


@dataclass
class Sealed4Sample:
    name: str
    office: str
    image: np.ndarray
    truth: dict[str, object] = field(default_factory=dict)
    body: list[np.ndarray] = field(default_factory=list)
    degraded: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)  # the blocks as typeset, for a reader of the set
    layout: dict[str, object] = field(default_factory=dict)


# ----------------------------------------------------------------------------- content
class Doc:
    """One document's content and truth, before it is typeset."""

    def __init__(self, rng: random.Random, office: str, idx: int):
        self.rng, self.office, self.idx = rng, office, idx
        self.spanish = office in ("AR", "MX")
        self.blocks: list[tuple[str, str, object]] = []  # (code, label, text | list of party entries)
        self.header: list[tuple[str, int, str]] = []  # (text, size delta, align)
        self.truth: dict[str, object] = {}
        self.evidence: list[str] = []  # lower-case accented words the description must print

    # -- dates
    def date(self, year: int) -> tuple[str, str]:
        r = self.rng
        m, d = r.randint(1, 12), r.randint(1, 28)
        iso = f"{year}-{m:02d}-{d:02d}"
        o = self.office
        if o == "EP":
            return f"{d:02d}.{m:02d}.{year}", iso
        words = r.random() < 0.3
        if o == "PH":
            if words:
                shown = f"{d} {MONTHS_EN[m - 1]} {year}" if r.random() < 0.5 else f"{MONTHS_EN[m - 1]} {d}, {year}"
                return shown.replace(" ", NBSP), iso
            return f"{d:02d}/{m:02d}/{year}", iso
        if words:
            return f"{d} de {MONTHS_ES[m - 1]} de {year}".replace(" ", NBSP), iso
        return f"{d:02d}/{m:02d}/{year}", iso

    # -- persons and companies
    def person(self, form: str) -> str:
        r, o = self.rng, self.office
        if o in ("AR", "MX"):
            s, g = r.choice(SUR_ES), r.choice(GIV_ES)
            if r.random() < 0.25:
                s = f"{s} {r.choice(SUR_ES)}"
        elif o == "PH":
            s, g = r.choice(SUR_PH), r.choice(GIV_PH)
        else:
            s, g = r.choice(SUR_EP), r.choice(GIV_EP)
        if form == "sg":  # APELLIDO, NOMBRE
            if o == "AR" and r.random() < 0.45:
                g = g.upper()
            return f"{s}, {g}"
        return f"{g.upper() if o != 'EP' else g} {s}"  # NOMBRE APELLIDO

    def company(self, long_ok: bool) -> str:
        r, o = self.rng, self.office
        if o == "EP":
            pool, longp = CO_EP, CO_EP_LONG
        elif o == "PH":
            pool, longp = CO_PH, CO_PH_LONG
        else:
            pool, longp = CO_ES, CO_ES_LONG
        return r.choice(longp) if long_ok and r.random() < 0.25 else r.choice(pool)

    def address(self, home: str) -> tuple[str, str]:
        """An address in the office's way and its country."""
        r = self.rng
        cc = home if r.random() < 0.6 and home in ADDR else r.choice(list(ADDR))
        street, city, state, pc = r.choice(ADDR[cc])
        parts = [street]
        if cc in ("MX", "US", "PH", "BR"):
            parts += [city] + ([state] if state else []) + ([f"C.P. {pc}" if cc == "MX" else pc] if r.random() < 0.6 else [])
        else:
            parts += [f"{pc} {city}"] + ([state] if state and r.random() < 0.5 else [])
        return ", ".join(parts), cc

    # -- party lists: the entries as printed and the truth
    def parties(self, code: str, n: int, kind: str, mode: str, form: str, long_ok: bool) -> tuple[list, list]:
        r, o = self.rng, self.office
        names: list[str] = []
        for k in range(n):
            is_co = kind == "company" or (kind == "mixed" and r.random() < 0.5)
            for _ in range(50):  # no name twice in one list
                nm = self.company(long_ok and k == 0) if is_co else self.person(form)
                if nm not in names:
                    break
            names.append(nm)
        truth, entries = [], []
        if mode == "semi_addr":  # MX: NAME; street, city, state, CC   (one a line)
            for nm in names:
                a, cc = self.address(o)
                entries.append([f"{nm}; {a}, {cc}"])
                truth.append((nm, a, cc))
        elif mode == "cont_addr":  # name, then the address on continuation lines
            for nm in names:
                if o == "EP":
                    pc, town, cc = r.choice(EP_TOWNS)
                    if r.random() < 0.35:
                        street = r.choice(["Hauptstraße 7", "Rue de la Gare 3", "Via Roma 22", "Kerkstraat 9",
                                           "Storgatan 15", "Mill Lane 4"])
                        lines = [street, f"{pc} {town} ({cc})".replace("  ", " ")]
                    else:
                        lines = [f"{pc} {town} ({cc})".replace("  ", " ")]
                    entries.append([nm] + lines)
                    truth.append((nm, " ".join(lines), cc))
                else:
                    a, cc = self.address(o)
                    if r.random() < 0.5:
                        street, rest = a.split(", ", 1) if ", " in a else (a, "")
                        lines = [street + ",", f"{rest}, {cc}"] if rest else [f"{street}, {cc}"]
                    else:
                        lines = [f"{a} ({cc})"]
                    entries.append([nm] + lines)
                    truth.append((nm, a, cc))
        elif mode == "lines_cc":  # one a line, "(CC)" after the name
            for nm in names:
                cc = r.choice(["US", "MX", "AR", "DE", "ES", "JP", "PH", "BR", "CL", "CO", "FR", "CH"])
                entries.append([f"{nm} ({cc})"])
                truth.append((nm, None, cc))
        elif mode == "lines":  # one a line, nothing else
            for nm in names:
                entries.append([nm])
                truth.append((nm, None, None))
        else:  # joined by a separator on one logical line (it wraps)
            sep = {"dash": " - ", "semi": "; ", "y": " y ", "and": " and "}[mode]
            cc_each = r.random() < 0.25
            items = []
            for nm in names:
                cc = r.choice(["AR", "MX", "US", "PH", "DE"]) if cc_each else None
                if o in ("PH", "EP") and cc_each:
                    cc = r.choice(["PH", "US", "JP", "DE", "FR"])
                items.append(f"{nm} ({cc})" if cc else nm)
                truth.append((nm, None, cc))
            if mode in ("y", "and") and len(items) >= 3 and not any("," in nm for nm in names) and r.random() < 0.5:
                text = ", ".join(items[:-1]) + sep + items[-1]
            else:
                text = sep.join(items)
            entries.append([text])
        return entries, truth


NBSP = "\u00a0"  # a printed space the line breaker keeps (an IPC symbol, a date in words is not broken)


def _ipc(doc: Doc, main: str) -> tuple[str, list[str]]:
    """The printed (51) line and its truth."""
    r = doc.rng
    truth_symbols = [main] + r.sample([s for s in IPC_EXTRA if s != main], r.choice([0, 0, 1, 1, 2, 3]))
    with_version = not (doc.office == "AR" and r.random() < 0.3)
    vers = [MAIN_VERSION.get(s, r.choice(VERSIONS)) for s in truth_symbols]
    truth = [f"{s} ({v})" if with_version else s for s, v in zip(truth_symbols, vers)]
    symbols = [s.replace(" ", NBSP) for s in truth_symbols]
    if not with_version:
        return ", ".join(symbols), truth
    style = r.choice(["paren", "paren", "nospace", "semi"])
    if style == "nospace":  # "F16K15/03 (2006.01)"
        shown = [f"{s.replace(NBSP, '', 1) if r.random() < 0.5 else s} ({v})" for s, v in zip(symbols, vers)]
        return "; ".join(shown), truth
    joiner = "; " if style == "semi" else ("\n" if doc.office == "EP" else ", ")
    return joiner.join(f"{s} ({v})" for s, v in zip(symbols, vers)), truth


def content(seed: int, office: str, idx: int) -> Doc:
    r = random.Random(seed)
    doc = Doc(r, office, idx)
    o = office
    year = r.randint(2021, 2025)
    pub_p, pub = doc.date(year)
    fil_year = year - r.choice([1, 1, 2, 3])
    fil_p, fil = doc.date(fil_year)

    # numbers and kind
    if o == "PH":
        kind = r.choice(["A1", "A1", "A1", "B1", "U1"])
        series = "2" if kind == "U1" else "1"
        app_serial = f"{r.choice(['05', '55', '50'])}{r.randint(1000, 9999)}"
        app = f"{series}-{fil_year}-{app_serial}"
        num = f"{series}{fil_year}{app_serial}"
        pubno = f"PH {num} {kind}" if r.random() < 0.7 else f"PH{num}{kind}"
        doctype = {"A1": "INVENTION PUBLICATION", "B1": "INVENTION PATENT", "U1": "UTILITY MODEL REGISTRATION"}[kind]
    elif o == "AR":
        kind = r.choice(["A1", "A1", "A1", "A1", "A2"])
        num = f"{r.randint(118000, 131999)}"
        app = f"P{fil_year}01{r.randint(0, 99999):05d}"
        pubno = r.choice([f"AR{num} {kind}", f"AR {num} {kind}", f"AR{num}{kind}"])
        doctype = "Patente de Invención" if kind == "A1" else "Modelo de Utilidad"
        if kind == "A2":
            app = f"M{fil_year}01{r.randint(0, 99999):05d}"
    elif o == "MX":
        kind = r.choice(["A", "A", "A", "A", "B", "U"])
        if kind == "B":
            num = f"{r.randint(395000, 412999)}"
        else:
            num = f"{year}0{r.randint(10000, 16999)}"
        letter = "u" if kind == "U" else "a"
        app = f"MX/{letter}/{fil_year}/{r.randint(1, 17999):06d}"
        pubno = f"MX {num} {kind}" if r.random() < 0.75 else f"MX{num}{kind}"
        doctype = {"A": "SOLICITUD DE PATENTE", "B": "PATENTE DE INVENCIÓN", "U": "MODELO DE UTILIDAD"}[kind]
    else:
        kind = r.choice(["A1", "A1", "A1", "A2", "B1"])
        num = f"{r.randint(3900000, 4599999)}"
        app = f"{fil_year % 100:02d}{r.randint(700000, 999999)}.{r.randint(0, 9)}"
        pubno = f"EP {num[0]} {num[1:4]} {num[4:]} {kind}"
        doctype = "EUROPEAN PATENT SPECIFICATION" if kind == "B1" else "EUROPEAN PATENT APPLICATION"

    # title
    printed_plain = False
    if doc.spanish:
        if r.random() < 0.12:
            title, main = r.choice(TITLES_ES_SENTENCE)
            shown = title
        else:
            title, main = r.choice(TITLES_ES)
            printed_plain = r.random() < 0.4 and title != unaccent_title(title)
            shown = unaccent_title(title) if printed_plain else title
    else:
        title, main = r.choice(TITLES_EN)
        shown = title
    if printed_plain:
        doc.evidence = [w.lower() for w in title.split() if w != unaccent_title(w)]
    ipc_line, ipc_truth = _ipc(doc, main)

    # parties
    def count(lo=1, hi=6):
        return r.randint(10 - 3, 10) if r.random() < 0.08 else r.randint(lo, hi)
    if o == "MX":
        modes = ["semi_addr", "semi_addr", "semi_addr", "lines", "lines_cc", "semi", "y", "cont_addr"]
    elif o == "AR":
        modes = ["dash", "dash", "dash", "lines", "cont_addr", "semi", "y", "lines_cc"]
    elif o == "PH":
        modes = ["lines", "lines_cc", "lines_cc", "semi", "and", "cont_addr", "semi_addr"]
    else:
        modes = ["cont_addr", "cont_addr", "cont_addr", "lines_cc", "semi", "and"]
    app_mode = r.choice(modes) if o != "EP" else r.choice(["cont_addr", "cont_addr", "cont_addr", "lines_cc"])
    inv_mode = r.choice(modes + ["y" if doc.spanish else "and"]) if r.random() < 0.6 else app_mode
    if o == "AR" and r.random() < 0.5:
        inv_mode = "dash"
    form = "sg" if o in ("AR", "EP", "PH") or r.random() < 0.5 else "gs"
    if o == "PH" and r.random() < 0.3:
        form = "gs"
    if inv_mode in ("y", "and") and r.random() < 0.6:
        form = "gs"
    n_app = r.choice([1, 1, 1, 2, 2, 3, 4])
    n_inv = count()
    applicants, app_t = doc.parties("71", n_app, "mixed" if r.random() < 0.3 else "company",
                                    app_mode if app_mode not in ("y", "and") or n_app > 1 else "lines",
                                    form, True)
    inventors, inv_t = doc.parties("72", n_inv, "person", inv_mode, form, False)
    agents, ag_t = (doc.parties("74", r.choice([1, 1, 1, 2]), "person",
                                "lines" if o != "EP" else "cont_addr", "sg" if o in ("AR", "EP") else form, False)
                    if r.random() < 0.85 else ([], []))

    # labels per office
    L = {
        "PH": {"11": "Publication No.", "43": "Publication Date", "45": "Date of Issuance", "21": "Application No.",
               "22": "Filing Date", "51": "IPC", "54": "Title", "71": "Applicant(s)", "72": "Inventor(s)",
               "73": "Assignee", "74": "Agent", "30": "Priority Data", "86": "PCT Application No.",
               "87": "PCT Publication No.", "57": "Abstract"},
        "AR": {"10": "", "41": "Fecha", "21": "Acta Nº", "22": "Fecha de Presentación", "51": "Int. Cl.",
               "54": "Titulo", "71": "Titular", "72": "Inventor/es", "74": "Agente/s", "30": "Prioridad convenio de París",
               "86": "Solicitud PCT", "87": "Publicación PCT", "57": "Resumen"},
        "MX": {"11": "Número de publicación", "43": "Fecha de publicación", "45": "Fecha de otorgamiento",
               "21": "Número de solicitud", "22": "Fecha de presentación", "51": "Clasificación", "54": "Título",
               "71": "Solicitante(s)", "72": "Inventor(es)", "74": "Agente", "30": "Prioridad(es)",
               "86": "Solicitud internacional", "87": "Publicación internacional", "57": "Resumen"},
        "EP": {"11": "", "43": "Date of publication", "45": "Date of publication and mention of the grant of the patent",
               "21": "Application number", "22": "Date of filing", "51": "International Patent Classification (IPC)",
               "54": "", "71": "Applicant", "72": "Inventors", "73": "Proprietor", "74": "Representative",
               "30": "Priority", "86": "International application number", "87": "International publication number",
               "84": "Designated Contracting States", "57": ""},
    }[o]
    if o == "AR" and r.random() < 0.5:
        L = dict(L, **{"54": "Título", "72": "Inventor", "74": "Agente"})
    if o == "MX" and r.random() < 0.4:
        L = dict(L, **{"51": "Int. Cl.", "74": "Apoderado"})
    if o == "PH" and r.random() < 0.4:
        L = dict(L, **{"51": "Int. Class", "71": "Applicant", "72": "Inventors"})
    if o == "EP":
        L = dict(L, **{"72": "Inventor" if n_inv == 1 else "Inventors", "71": "Applicant" if n_app == 1 else "Applicants"})
    pdcode = {"AR": "41", "PH": "45" if kind == "B1" else "43", "MX": "45" if kind == "B" else "43",
              "EP": "45" if kind == "B1" else "43"}[o]
    pub_shown = pub_p
    if o == "EP":
        iso_week = __import__("datetime").date.fromisoformat(pub).isocalendar()[1]
        pub_shown = f"{pub_p} Bulletin {pub[:4]}/{iso_week:02d}"

    # the header
    H = doc.header
    if o == "PH":
        H += [("REPUBLIC OF THE PHILIPPINES", 1, "C"), ("INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES", 3, "C"),
              ("Bureau of Patents", 0, "C"), ("", 0, "C"), (f"(12) {doctype}", 2, "L")]
        if r.random() < 0.5:
            H.insert(0, ("(19) PH", 0, "L"))
    elif o == "AR":
        H += [("(19) REPÚBLICA ARGENTINA" if r.random() < 0.6 else "REPUBLICA ARGENTINA", 1, "L"),
              ("INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL", 2, "L"),
              (f"BOLETÍN DE PATENTES - Bol. Nro.: {r.randint(1150, 1420)}", 0, "R"), ("", 0, "C"),
              (f"(12) {doctype}", 1, "L")]
    elif o == "MX":
        H += [("(19) MÉXICO" if r.random() < 0.5 else "(19) MX", 1, "L"),
              ("INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL", 2, "C"), ("GACETA DE LA PROPIEDAD INDUSTRIAL", 0, "C"),
              ("", 0, "C"), (f"(12) {doctype}", 2, "L")]
    else:
        H += [("(19) Europäisches Patentamt", 1, "L"), ("         European Patent Office", 1, "L"),
              ("         Office européen des brevets", 1, "L"), (f"(11) {pubno}", 6, "R"), ("", 0, "C"),
              (f"(12) {doctype}", 3, "C")]
        if kind == "A1" and r.random() < 0.4:
            H.append(("published in accordance with Art. 153(4) EPC", 0, "C"))

    # the blocks
    B = doc.blocks
    if o == "EP":  # the EPO's order: (43) first in the left column
        B.append((pdcode, L[pdcode], pub_shown))
    numcode = "10" if o == "AR" else "11"
    if o != "EP":
        B.append((numcode, L.get(numcode, ""), pubno))
    B.append(("21", L["21"], app))
    B.append(("22", L["22"], fil_p))
    if r.random() < 0.45:
        pr_year = fil_year - 1
        pr_d, _ = doc.date(pr_year)
        cc = r.choice(["US", "JP", "DE", "ES", "CN", "FR", "BR"])
        prno = {"US": f"63/{r.randint(100, 999)},{r.randint(100, 999)}", "JP": f"{pr_year}-{r.randint(10000, 99999)}",
                "DE": f"10 {pr_year} {r.randint(100, 999)} {r.randint(100, 999)}.{r.randint(1, 9)}",
                "ES": f"P{pr_year}3{r.randint(1000, 9999)}", "CN": f"{pr_year}1{r.randint(1000000, 9999999)}.{r.randint(0, 9)}",
                "FR": f"{pr_year % 100}{r.randint(10000, 99999)}", "BR": f"10 {pr_year} {r.randint(100000, 999999)} {r.randint(1, 9)}"}[cc]
        B.append(("30", L["30"], f"{cc} {prno} {pr_d}" if o != "EP" else f"{pr_d} {cc} {prno}"))
    if o == "EP" and r.random() < 0.7:
        B.append(("84", L["84"], "AL AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MC ME MK "
                                 "MT NL NO PL PT RO RS SE SI SK SM TR"))
    if o != "EP":
        B.append((pdcode, L.get(pdcode, "Fecha"), pub_shown))
    if r.random() < 0.35:
        pct_cc = r.choice(["US", "MX", "AR", "EP", "JP", "PH", "DE"]) if o != "EP" else r.choice(["US", "JP", "CN", "KR"])
        py = fil_year
        pd_, _ = doc.date(py)
        B.append(("86", L["86"], f"PCT/{pct_cc}{py}/{r.randint(10000, 99999):06d} {pd_}"))
        wy = py + 1
        wd, _ = doc.date(wy)
        B.append(("87", L["87"], f"WO{NBSP}{wy}/{r.randint(10000, 240000):06d}" + (f" {wd}" if r.random() < 0.6 else "")))
    B.append(("51", L["51"], ipc_line))
    B.append(("54", L["54"], shown))
    if kind == "B1" and o == "EP":
        B.append(("73", L["73"], applicants))
    else:
        B.append(("71", L["71"], applicants))
    B.append(("72", L["72"], inventors))
    if agents:
        B.append(("74", L["74"], agents))
    abstract = (ABSTRACT_ES if doc.spanish else ABSTRACT_EN).format(
        t=(title.lower() if title.isupper() else title[0].lower() + title[1:]))
    B.append(("57", L["57"], abstract))

    t = {"office": o, "doc_number": num, "kind": kind, "publication_date": pub, "application_number": app,
         "filing_date": fil, "title": title, "ipc": ipc_truth}
    if kind == "B1" and o == "EP":
        t["assignees"] = app_t
    else:
        t["applicants"] = app_t
    t["inventors"] = inv_t
    if agents:
        t["agents"] = ag_t
    doc.truth = t
    doc.modes = {"applicants": app_mode, "inventors": inv_mode, "form": form, "title_plain": printed_plain}
    return doc


# ----------------------------------------------------------------------------- typesetting
def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    out = []
    for para in text.split("\n"):
        words, row = para.split(" "), ""
        for w in words:
            cand = f"{row} {w}" if row else w
            if row and pdf.get_string_width(cand) > width:
                out.append(row)
                row = w
            else:
                row = cand
        out.append(row)
    return out


class Setter:
    """Places the blocks of a Doc on an A4 page (mm units)."""

    def __init__(self, doc: Doc, rng: random.Random):
        self.doc, self.r = doc, rng
        face = rng.choice(FACES)
        if doc.office == "EP" and face[0] == "DjMono":
            face = FACES[0]
        self.face = face
        self.size = rng.choice([9.5, 10, 10.5, 11]) if face[0] != "DjMono" else 9.5
        self.lh = self.size * 0.3528 * rng.choice([1.2, 1.3, 1.4])
        self.inid = rng.choice(["paren", "paren", "bare", "margin"])
        self.label_pos = rng.choice(["beside", "beside", "above"])
        self.hang = rng.random() < 0.7
        self.two = rng.random() < {"EP": 0.8, "MX": 0.55, "PH": 0.55}.get(doc.office, 0.4)
        self.bold_labels = rng.random() < 0.5
        pdf = FPDF(unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_creation_date(__import__("datetime").datetime(2026, 12, 7, tzinfo=__import__("datetime").timezone.utc))
        pdf.add_font(face[0], "", face[1])
        pdf.add_font(face[0], "B", face[2])
        pdf.set_text_color(0)
        self.pdf = pdf
        self.lines: list[str] = []

    def font(self, bold=False, delta=0.0):
        self.pdf.set_font(self.face[0], "B" if bold else "", self.size + delta)
        self.pdf.set_stretching(self.face[3])
        self.pdf.set_char_spacing(self.face[4])

    def put(self, x: float, y: float, s: str):
        if s:
            self.pdf.text(x, y, s)
            self.lines.append(s)

    def code_text(self, code: str) -> str:
        return f"({code})" if self.inid in ("paren", "margin") else code

    def block(self, x: float, w: float, y: float, code: str, label: str, value) -> float:
        pdf, lh = self.pdf, self.lh
        self.font(bold=self.inid != "bare" and self.bold_labels)
        ct = self.code_text(code)
        cx = x + 12.5 if self.inid == "margin" else x + pdf.get_string_width(ct) + 2.5
        self.put(x, y, ct)
        label = label.strip()
        first_x = cx
        if label:
            self.font(bold=self.bold_labels)
            lab = label + (":" if self.doc.office != "AR" or self.colon_ar else "")
            above = self.label_pos == "above" or code in ("57", "84") or (code == "51" and self.doc.office == "EP")
            if above or pdf.get_string_width(lab) > 0.55 * (x + w - cx):  # a long label has its own lines
                y = self.flow(lab, cx, cx, x + w, y)
            else:
                self.put(cx, y, lab)
                first_x = cx + pdf.get_string_width(lab) + 2
        self.font()
        cont_x = cx if self.hang or (code == "51" and self.doc.office == "EP") else x
        if code == "57":  # the abstract runs the page's width under its code
            cont_x = x
            if first_x == cx and label:
                first_x = x
        if isinstance(value, str):
            if code in ("10", "11", "21", "22", "30", "41", "43", "45", "86", "87") and first_x + pdf.get_string_width(value) > x + w:
                y, first_x = y + lh, cx  # a number or a date is not broken: it goes below its label
            return self.flow(value, first_x, cont_x, x + w, y) + lh * self.gap
        if self.doc.office == "EP" and len(value) > 1 and first_x != cx:
            y += lh  # EP: a list starts below "Inventors:"
            first_x = cx
        narrow = first_x - cx > w * 0.3
        entry_x = first_x if self.align_entries and not narrow else cx
        bullet = self.doc.office == "EP" and self.ep_bullets and len(value) > 1
        for k, entry in enumerate(value):
            fx = first_x if k == 0 else entry_x
            wrap_x = cx if narrow else (fx if bullet else entry_x) + 4
            y = self.flow(("• " if bullet else "") + entry[0], fx, wrap_x, x + w, y)
            for extra in entry[1:]:
                ax = (cx if narrow else fx) + (pdf.get_string_width("• ") if bullet else (4 if self.indent_addr else 0))
                y = self.flow(extra, ax, ax, x + w, y)
        return y + lh * self.gap

    def flow(self, text: str, first_x: float, cont_x: float, right: float, y: float) -> float:
        """``text`` from first_x, wrapped at ``right``; later lines (and each line after a
        newline) from cont_x."""
        pdf = self.pdf
        parts = text.split("\n")
        head = _wrap(pdf, parts[0], right - first_x)
        lines = [(first_x, head[0])]
        rest = " ".join(head[1:])
        if rest:
            lines += [(cont_x, ln) for ln in _wrap(pdf, rest, right - cont_x)]
        for part in parts[1:]:
            lines += [(cont_x, ln) for ln in _wrap(pdf, part, right - cont_x)]
        for lx, ln in lines:
            self.put(lx, y, ln)
            y += self.lh
        return y

    def typeset(self) -> FPDF:
        d, r, pdf = self.doc, self.r, self.pdf
        self.gap = r.choice([0.3, 0.5, 0.8])
        self.ep_bullets = r.random() < 0.6
        self.colon_ar = r.random() < 0.5
        self.align_entries = r.random() < 0.6
        self.indent_addr = r.random() < 0.6
        pdf.add_page()
        left, right = r.uniform(16, 24), r.uniform(14, 22)
        top = r.uniform(14, 22)
        y = top
        for text, delta, align in d.header:
            self.font(bold=delta > 0, delta=delta)
            if text:
                w = pdf.get_string_width(text)
                x = left if align == "L" else (210 - right - w if align == "R" else (210 - w) / 2)
                self.put(x, y, text)
            y += (self.size + delta) * 0.3528 * 1.35
        y += 2
        pdf.set_line_width(0.4)
        pdf.line(left, y - 2, 210 - right, y - 2)
        y += 4
        width = 210 - left - right
        blocks = list(d.blocks)
        tail = [b for b in blocks if b[0] == "57"]
        blocks = [b for b in blocks if b[0] != "57"]
        if self.two:
            gut = r.uniform(6, 10)
            wl = (width - gut) * r.uniform(0.44, 0.52)
            xr = left + wl + gut
            wr = width - wl - gut
            party = ("54", "71", "72", "73", "74") if d.office != "EP" else ("51", "54", "71", "72", "73", "74")
            lcol = [b for b in blocks if b[0] not in party]
            rcol = [b for b in blocks if b[0] in party]
            if d.office == "EP":  # (51) first on the right, (54) last
                rcol.sort(key=lambda b: {"51": 0, "71": 1, "73": 1, "72": 2, "74": 3, "54": 4}[b[0]])
            yl = yr = y
            for b in lcol:
                yl = self.block(left, wl, yl, *b)
            for b in rcol:
                yr = self.block(xr, wr, yr, *b)
            y = max(yl, yr) + self.lh
        else:
            for b in blocks:
                y = self.block(left, width, y, *b)
        for b in tail:
            y = self.block(left, width, y + 2, *b)
        self.layout = {"face": self.face[0], "stretch": self.face[3], "size": self.size, "inid": self.inid,
                       "label": self.label_pos, "hang": self.hang, "columns": 2 if self.two else 1}
        if y > 290:
            raise OverflowError(f"{d.office} {d.idx}: page overflows ({y:.0f} mm)")
        return pdf

    def body_page(self):
        """A description page: prose in the office's language with the title's accented words."""
        d, r, pdf = self.doc, self.r, self.pdf
        pdf.add_page()
        self.font(bold=True, delta=1)
        es = d.spanish
        self.put(80, 25, "DESCRIPCIÓN" if es else "DESCRIPTION")
        self.font()
        t = d.truth["title"]
        tl = t.lower() if t.isupper() else t[0].lower() + t[1:]
        if es:
            paras = [f"La presente invención se refiere a: {tl}, de construcción sencilla y económica.",
                     "Antecedentes de la invención. Los dispositivos conocidos presentan una fabricación costosa "
                     "y un mantenimiento difícil; además, la operación en condiciones de humedad es poco confiable.",
                     f"Descripción detallada. Según una realización preferida, el objeto ({tl}) comprende un cuerpo "
                     "principal de aleación de aluminio, una tapa de protección y un medio de regulación "
                     "térmica ubicado en el interior, cuya posición se ajusta mediante un tornillo.",
                     "Las ventajas técnicas de la invención se obtienen sin modificar la instalación existente."]
            if d.evidence:
                paras.append("Palabras clave: " + ", ".join(d.evidence) + ".")
        else:
            paras = [f"The present invention relates to: {tl}, simple and economical to build.",
                     "Background. Known devices are costly to make and hard to maintain; moreover their operation "
                     "in humid conditions is unreliable.",
                     f"Detailed description. In a preferred embodiment the object ({tl}) comprises a main body of an "
                     "aluminium alloy, a protective cover and a thermal regulating means placed inside, whose "
                     "position is set by a screw.",
                     "The technical advantages of the invention are obtained without changing an existing installation."]
        y, x, w = 40, 25, 160
        for k, p in enumerate(paras):
            y = self.flow(f"[{k + 1:04d}] " + p, x, x, x + w, y) + self.lh * 0.6


# ----------------------------------------------------------------------------- raster and scanner
def _rasterise(pdf: FPDF, dpi: int = 300) -> list[np.ndarray]:
    with tempfile.TemporaryDirectory(prefix="fp4-") as tmp:
        src = Path(tmp) / "page.pdf"
        pdf.output(str(src))
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(src), str(Path(tmp) / "p")], check=True)
        pages = sorted(Path(tmp).glob("p-*.pgm"))
        return [np.array(Image.open(p).convert("L")) for p in pages]


def scan_office(img: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """An office scanner: a small skew, optics blur, a fixed threshold, specks and dropouts, 300 dpi bilevel."""
    g = np.random.default_rng(seed)
    im = Image.fromarray(img).rotate(float(g.uniform(-0.7, 0.7)), resample=Image.BICUBIC, fillcolor=255)
    im = im.filter(ImageFilter.GaussianBlur(float(g.uniform(0.5, 1.0))))
    a = np.asarray(im).astype(np.float32) + g.normal(0, 7, im.size[::-1])
    out = np.where(a < g.uniform(150, 185), 0, 255).astype(np.uint8)
    h, w = out.shape
    for _ in range(int(g.integers(150, 500))):  # dust
        y, x, s = int(g.integers(0, h - 3)), int(g.integers(0, w - 3)), int(g.integers(1, 4))
        out[y:y + s, x:x + s] = 0
    for _ in range(int(g.integers(100, 300))):  # toner dropouts
        y, x = int(g.integers(0, h - 2)), int(g.integers(0, w - 2))
        out[y:y + 2, x:x + 2] = 255
    if g.random() < 0.5:  # the lid's edge
        out[:, : int(g.integers(4, 14))] = 0
    return out, 300


def scan_poor(img: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """A poor copy: 200 dpi grey, skew, soft focus, low contrast, uneven light, sensor noise, JPEG."""
    g = np.random.default_rng(seed)
    im = Image.fromarray(img).rotate(float(g.uniform(-1.2, 1.2)), resample=Image.BILINEAR, fillcolor=255)
    im = im.resize((im.width * 2 // 3, im.height * 2 // 3), Image.BILINEAR)
    im = im.filter(ImageFilter.GaussianBlur(float(g.uniform(0.3, 0.7))))
    a = np.asarray(im).astype(np.float32)
    a = 45 + a * g.uniform(0.72, 0.8)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = g.uniform(0, w), g.uniform(0, h)
    light = 1.0 - g.uniform(0.12, 0.25) * (((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2) - g.uniform(0, 0.08) * xx / w
    a = a * light + g.normal(0, g.uniform(6, 10), a.shape)
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=int(g.integers(30, 50)))
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("L")), 200


# ----------------------------------------------------------------------------- the set
def build(office: str, i: int, seed: int = SEED) -> Sealed4Sample:
    s = seed + 1000 * OFFICES.index(office) + i
    for attempt in range(20):  # a layout that overflows the page is drawn again
        doc = content(s + 7919 * attempt, office, i)
        setter = Setter(doc, random.Random(s * 31 + attempt))
        try:
            pdf = setter.typeset()
        except OverflowError:
            continue
        break
    else:
        raise RuntimeError(f"no layout fits for {office} {i}")
    front_lines = list(setter.lines)
    want_body = bool(doc.evidence) or random.Random(s + 5).random() < 0.4
    if want_body:
        setter.body_page()
    pages = _rasterise(pdf)
    name = f"S4-{office}-{i:02d}"
    layout = dict(setter.layout, **doc.modes)
    return Sealed4Sample(name, office, pages[0], doc.truth, pages[1:],
                         {"office": scan_office(pages[0], s), "poor": scan_poor(pages[0], s + 1)},
                         front_lines, layout)


def sealed4_set(seed: int = SEED) -> list[Sealed4Sample]:
    """The reported set: 74 documents (PH 19, AR 18, MX 18, EP 19)."""
    return [build(o, i, seed) for o in OFFICES for i in range(1, PER_OFFICE + 1) if f"S4-{o}-{i:02d}" not in REGRESSION]


def regression_set(seed: int = SEED) -> list[Sealed4Sample]:
    """The six REGRESSION documents (not in the reported figure)."""
    return [build(n.split("-")[1], int(n.split("-")[2]), seed) for n in REGRESSION]
