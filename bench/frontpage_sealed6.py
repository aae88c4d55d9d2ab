"""The sixth sealed front-page set (issue 24): PH/AR/MX/EP front pages typeset by a small Java 2D
program (``bench/frontpage_sealed6/Render.java``) and scanned by a scanner model of this module.

    python bench/frontpage_sealed6.py --out DIR            # pages, scans, truth and the print check
    python bench/frontpage_sealed6.py --out DIR --tesseract 24   # + raw tesseract legibility check
    sealed6_set()          # 80 documents (20 per office) minus the 6 of REGRESSION: the reported set
    regression_set()       # the 6 REGRESSION documents (may be kept in tests; never reported)

ONLY RUN TO REPORT (``bench/frontpage_eval.py sealed6``): rules are never developed against it.

Different code from the tuning set (``digitize/synth_frontpages.py``, PIL) and the earlier sealed
sets (PIL composers; HTML printed by Chromium; fpdf2 + pdftoppm; PostScript + Ghostscript): this
module writes one JSON spec for the whole set (each page's faces, type size, layout, blocks and
skew) and calls ``java`` once; the Java program breaks the lines itself from the faces'
``FontMetrics`` and draws them with ``Graphics2D.drawString``, antialiased, on a 300-dpi grey
``BufferedImage`` (it is compiled into ``build/frontpage-sealed6/classes`` on first use). Faces:
Noto Serif, Noto Sans, Noto Serif Display, Noto Sans Display, Noto Sans Mono, and a narrow Noto
Sans scaled across by Java, loaded with ``Font.createFont`` from Debian's ``fonts-noto-core`` and
``fonts-noto-mono``: no earlier set uses them (Droid Sans Fallback was tried: it has no Latin glyphs
for Java; the renderer now refuses a string its face cannot show). Needs a JDK (``javac``,
``java``; Debian ``openjdk-17-jdk-headless``); without one the set stops with a one-line message.

What the pages hold: one column, two columns, the IMPI/INPI gazette as a ruled table (a row a
field: code | label | value) and as boxes (two short fields a row, label above value); INID codes
in brackets inline, in a margin column or bare; Spanish and English label wordings, beside or above
the value, after a colon or nothing; parties one a line, ``NAME; street, city, state, CC``,
addresses on continuation lines (with and without a country code), ``(CC)`` after a name, lists
joined by `` - ``, ``; ``, `` y `` and `` and `` (``A, B y C``); 1-4 parties a code and up to 6
inventors; long names that wrap; company forms (S.A. DE C.V., S.A.P.I. DE C.V., S. DE R.L. DE C.V.,
A.C., S.A.I.C., S.R.L., LTDA., S.A.S., INC., LLC, CORP., CO., LTD., GMBH, S.P.A., B.V., SAS, AB, AS);
accented capitals (Á É Í Ó Ú Ñ Ü) in names and titles; each office's dates (numeric with ``/``,
``.`` or ``-``, in words in Spanish and English, EP with its bulletin).

Truth as ``synth_frontpages`` scores it: doc_number digits only, kind, ISO dates, the application
number as printed, the title as printed, IPC ``A01B 1/00 (2006.01)`` (no version when none is
printed), parties ``(name, address or None, country or None)``; an EP B1 has ``assignees``
((73) Proprietor) instead of ``applicants``. Seed ``SEED``; every document from its own
``random.Random``; the same seed and JDK build the same pages.
"""
from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

SEED = 6_061_966
PER_OFFICE = 20
OFFICES = ("PH", "AR", "MX", "EP")
# kept out of the reported figure (the lead may put them in tests); named before any page was built
REGRESSION = ["S6-PH-04", "S6-PH-15", "S6-AR-09", "S6-MX-02", "S6-MX-13", "S6-EP-06"]

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "frontpage_sealed6" / "Render.java"
BUILD = HERE.parent / "build" / "frontpage-sealed6"
NBSP = "\u00a0"

NOTO = "/usr/share/fonts/truetype/noto/"
FACES = {  # name -> (regular, bold, horizontal scale: a narrow cut made by Java from the face)
    "noto-serif": (NOTO + "NotoSerif-Regular.ttf", NOTO + "NotoSerif-Bold.ttf", 1.0),
    "noto-sans": (NOTO + "NotoSans-Regular.ttf", NOTO + "NotoSans-Bold.ttf", 1.0),
    "noto-serif-display": (NOTO + "NotoSerifDisplay-Regular.ttf", NOTO + "NotoSerifDisplay-Bold.ttf", 1.0),
    "noto-sans-display": (NOTO + "NotoSansDisplay-Regular.ttf", NOTO + "NotoSansDisplay-Bold.ttf", 1.0),
    "noto-sans-mono": (NOTO + "NotoSansMono-Regular.ttf", NOTO + "NotoSansMono-Bold.ttf", 1.0),
    "noto-sans-narrow": (NOTO + "NotoSans-Regular.ttf", NOTO + "NotoSans-Bold.ttf", 0.84),
}

# ----------------------------------------------------------------------------- pools (new to this set)
SUR_ES = ["ÁBREGO", "NÁJERA", "MÁRQUEZ", "OCAÑA", "PÁEZ", "QUIÑÓNEZ", "TÉLLEZ", "MUÑIZ", "SANTIBÁÑEZ", "ARRIETA",
          "BUSTOS", "CORONADO", "PORTILLO", "ALBÚJAR", "CÉSPEDES", "DORANTES", "ELGUÉZABAL", "GRIJALVA", "LIZÁRRAGA",
          "MENCÍA", "VALDIVIESO", "ZAVALETA", "BÁRCENA", "GÜITRÓN", "PIÑEYRO", "ARÉVALO", "CANSECO", "COLMENARES",
          "BRIONES", "OLVERA"]
GIV_ES = ["Anastasio", "Bárbara", "Celestino", "Dolores", "Hortensia", "Ismael", "Josefina", "Lisandro", "Micaela",
          "Nicanor", "Ofelia", "Próspero", "Ramiro", "Saúl", "Trinidad", "Virgilio", "Zacarías", "Ángel Rubén",
          "María Jesús", "José Inés", "Eulalia", "Fidencio", "Griselda", "Hermenegildo", "Leocadia", "Maclovio",
          "Natividad", "Obdulia", "Rosendo", "Severiano", "Clotilde"]
SUR_PH = ["DIMAANO", "HERNANDO", "NEPOMUCENO", "UMALI", "ZULUETA", "GO", "MALLARI", "PUNZALAN", "MAÑALAC", "DUMLAO",
          "AQUINO-REYES", "BALMACEDA", "CAGUIOA", "DAGOHOY", "EVANGELISTA", "GAMBOA", "HIPOLITO", "JACINTO", "LAGMAN",
          "NOLASCO", "PAGDANGANAN", "TABUENA", "VALDERRAMA", "YSMAEL", "SUMULONG", "TANCHOCO", "LAPUZ",
          "PEÑALOSA"]
GIV_PH = ["Bayani", "Consuelo", "Danilo", "Editha", "Gloria Mae", "Herminio", "Imelda", "Jun Mark", "Marvin",
          "Orlando", "Precious", "Rodrigo", "Susana", "Tristan", "Wendell", "Analyn", "Mary Grace", "Romeo",
          "Luzviminda", "Rolando", "Teresita", "Bienvenido", "Rhodora", "Jericho", "Lualhati"]
SUR_EP = ["AMSTUTZ", "BRÜGGEMANN", "CORNELISSEN", "DAHLQVIST", "ENGSTRÖM", "FOURNIER", "BLÜMLEIN", "HÄMÄLÄINEN",
          "JANSSENS", "KOWALCZYK", "LEHTONEN", "MARCHETTI", "NYGÅRD", "OBERHÄUSER", "PFLÜGER", "RASMUSSEN",
          "SCHWÄRZLER", "THÜRING", "URBANEK", "VAN HOUTVEN", "WESTPHAL", "ZIMMERLI", "DUBOIS-MÉNARD",
          "LÓPEZ ARANDA", "VAN OOSTERHOUT"]
GIV_EP = ["Ansgar", "Bertrand", "Clemens", "Dietlinde", "Emil", "Franziska", "Gerrit", "Hiltrud", "Ingmar", "Joris",
          "Kerstin", "Laurent", "Mathilde", "Nils", "Olaf", "Pepijn", "Roswitha", "Sven", "Tjark", "Ulrich",
          "Veronika", "Wolfram", "Agnès", "Jérôme", "Björn", "Gösta"]

CO = {
    "MX": ["ALIMENTOS DEL ALTIPLANO POTOSINO, S.A. DE C.V.", "TUBERÍAS Y CONEXIONES DE SONORA, S.A. DE C.V.",
           "CONSTRUCTORA PENINSULAR DE YUCATÁN, S.A.P.I. DE C.V.", "VIDRIERÍA ARTESANAL DE TONALÁ, S. DE R.L. DE C.V.",
           "UNIVERSIDAD TECNOLÓGICA DE LA MIXTECA", "BIOPLÁSTICOS DE OAXACA, S.A. DE C.V.",
           "MAQUILADORA TÉCNICA DE CIUDAD JUÁREZ, S.A. DE C.V.", "CENTRO DE INVESTIGACIÓN EN ÓPTICA, A.C."],
    "AR": ["LÁCTEOS DE RAFAELA S.A.", "CRISTALERÍA DEL PLATA S.A.I.C.", "MAQUINARIA AGRÍCOLA GENERAL PICO S.R.L.",
           "VIÑEDOS DE CAFAYATE S.A.", "NEUMÁTICA ROSARINA S.R.L.", "UNIVERSIDAD NACIONAL DE CUYO",
           "FÁBRICA DE ENVASES DEL COMAHUE S.A.", "FUNDACIÓN PATAGÓNICA DE ENSAYOS S.R.L."],
    "LATAM": ["EMBALAGENS PAULISTA LTDA.", "PESQUERA DEL BÍO BÍO LTDA.", "CAFÉ DE LOS ANDES S.A.S.",
              "ASTILLEROS DE MONTEVIDEO S.A."],
    "INTL": ["BLUE HERON ROBOTICS, INC.", "CASCADE MEMBRANE TECHNOLOGIES, INC.", "SILVERLAKE AGRITECH LLC",
             "KRONACHER ARMATUREN GMBH", "FONDERIA VALTELLINESE S.P.A.", "ZEELAND AQUACULTURE B.V.",
             "HOKUSETSU SEIMITSU CO., LTD.", "HANGANG MATERIALS CO., LTD."],
    "PH": ["VISAYAS COCONUT OLEOCHEMICALS, INC.", "MINDANAO RUBBER TECHNOLOGIES CORPORATION",
           "CENTRAL MINDORO STATE COLLEGE", "ILOILO AQUATECH SOLUTIONS, INC.", "LUZON SOLAR MICROGRIDS CORP.",
           "CEBU FURNITURE DESIGN COOPERATIVE", "BLUE HERON ROBOTICS, INC.", "HOKUSETSU SEIMITSU CO., LTD.",
           "SILVERLAKE AGRITECH LLC"],
    "EP": ["Kronacher Armaturen GmbH", "Fonderia Valtellinese S.p.A.", "Zeeland Aquaculture B.V.",
           "Laboratoires Dauphinois SAS", "Brückner Verpackungstechnik GmbH & Co. KG", "Hokusetsu Seimitsu Co., Ltd.",
           "Nordfjord Marine Systems AS", "Ångström Sensorik AB", "Blue Heron Robotics, Inc.",
           "Talleres Mecánicos del Ebro, S.L."],
}
CO_LONG = {
    "MX": ["ASOCIACIÓN DE PRODUCTORES DE AGUACATE Y FRUTAS TROPICALES DE MICHOACÁN, A.C.",
           "COMERCIALIZADORA DE MAQUINARIA PESADA Y REFACCIONES INDUSTRIALES DEL NORESTE, S.A. DE C.V."],
    "AR": ["COOPERATIVA AGRÍCOLA GANADERA E INDUSTRIAL DE LAS COLONIAS UNIDAS DEL NORDESTE LTDA.",
           "CONSORCIO DE INVESTIGACIÓN APLICADA EN ENERGÍAS RENOVABLES DE LA PATAGONIA S.A."],
    "PH": ["NATIONAL ENGINEERING CENTER OF THE UNIVERSITY OF THE PHILIPPINES DILIMAN FOUNDATION, INC.",
           "BATANGAS PROVINCIAL RESEARCH, EXTENSION AND TECHNOLOGY TRANSFER FOUNDATION, INC."],
    "EP": ["Stichting Hoogheemraadschap voor Waterbeheer en Kustonderzoek Zeeland",
           "Schweizerische Versuchsanstalt für Werkstoffprüfung und Oberflächentechnik AG"],
}
HOME = [("S.A. DE C.V.", "MX"), ("S.A.P.I.", "MX"), ("R.L. DE C.V.", "MX"), ("A.C.", "MX"), ("MIXTECA", "MX"),
        ("S.A.I.C.", "AR"), ("S.R.L.", "AR"), ("CUYO", "AR"), ("RAFAELA", "AR"), ("CAFAYATE", "AR"), ("COMAHUE", "AR"),
        ("PATAGONIA", "AR"), ("NORDESTE", "AR"), ("PAULISTA", "BR"), ("BÍO BÍO", "CL"), ("S.A.S.", "CO"),
        ("MONTEVIDEO", "UY"), ("INC", "US"), ("Inc", "US"), ("LLC", "US"), ("GMBH", "DE"), ("GmbH", "DE"),
        ("S.P.A.", "IT"), ("S.p.A.", "IT"), ("B.V.", "NL"), ("CO., LTD.", "JP"), ("Co., Ltd.", "JP"),
        ("HANGANG", "KR"), ("SAS", "FR"), (" AS", "NO"), (" AB", "SE"), ("S.L.", "ES"), ("Stichting", "NL"),
        (" AG", "CH"), ("BATANGAS", "PH"), ("CORP", "PH"), ("MINDORO", "PH"), ("COOPERATIVE", "PH")]

# (street, city, state or "", postcode) by country
STREETS = {
    "MX": [("Av. San Jerónimo 1830, Col. Lomas Quebradas", "Magdalena Contreras", "CDMX", "10200"),
           ("Av. Chapultepec 480, Col. Americana", "Tlaquepaque", "Jalisco", "45598"),
           ("Calle Venustiano Carranza 905", "Soledad de Graciano Sánchez", "S.L.P.", "78436"),
           ("Carretera a Nogales km 7.5", "Hermosillo", "Sonora", "83290"),
           ("Av. Juárez 1204, Zona Centro", "Ciudad Juárez", "Chihuahua", "32000")],
    "AR": [("Av. Pellegrini 1350", "Casilda", "Santa Fe", "S2170"),
           ("Ruta Nacional 34 km 227", "Rafaela", "Santa Fe", "S2300"),
           ("Calle San Martín 560, 3° B", "Neuquén", "Neuquén", "Q8300"),
           ("Calle 12 N° 1540", "Necochea", "", "B7630"),
           ("Bv. Sarmiento 88", "Villa María", "Córdoba", "X5900")],
    "US": [("880 Lakeshore Drive", "Sandpoint", "Idaho", "83864"),
           ("145 Riverside Parkway", "Boise", "Idaho", "83702")],
    "DE": [("Industriestraße 44", "Kronach", "", "96317"), ("Am Hafen 9", "Bremerhaven", "", "27568")],
    "IT": [("Via Stelvio 31", "Sondrio", "", "23100")],
    "NL": [("Havenweg 120", "Vlissingen", "", "4382 NG")],
    "JP": [("2-14-3 Nishitenma, Kita-ku", "Osaka", "", "530-0047")],
    "PH": [("Lot 7 Mactan Economic Zone II", "Lapu-Lapu City", "Cebu", "6015"),
           ("Kalayaan Avenue, Diliman", "Quezon City", "Metro Manila", "1101"),
           ("Rizal Street, Poblacion", "Cagayan de Oro City", "Misamis Oriental", "9000")],
    "BR": [("Rua Marechal Deodoro 1220", "Joinville", "Santa Catarina", "89202-300")],
    "CL": [("Av. Colón 2880", "Talcahuano", "", "4260000")],
    "CO": [("Carrera 43A No. 1-50", "Medellín", "Antioquia", "050021")],
    "UY": [("Rambla Baltasar Brum 2933", "Montevideo", "", "11800")],
}
EP_PLACES = [("96317", "Kronach", "DE"), ("27568", "Bremerhaven", "DE"), ("23100", "Sondrio", "IT"),
             ("4382 NG", "Vlissingen", "NL"), ("74000", "Annecy", "FR"), ("6770", "Nordfjordeid", "NO"),
             ("3600", "Thun", "CH"), ("5020", "Salzburg", "AT"), ("7100", "Vejle", "DK"), ("50001", "Zaragoza", "ES"),
             ("00180", "Helsinki", "FI"), ("751 05", "Uppsala", "SE"), ("8400", "Oostende", "BE")]
EP_STREETS = ["Mühlenweg 3", "Via Nazionale 112", "Avenue Jean Jaurès 27", "Kanaalstraat 40", "Storgata 15",
              "Bergstrasse 6", "Paseo Echegaray 8"]

# (title as printed, IPC main symbol)
TITLES_ES = [
    ("DESHIDRATADOR DE FRUTAS CON CIRCULACIÓN FORZADA DE AIRE", "F26B 9/06"),
    ("PUERTA CORREDIZA CON FRENO MAGNÉTICO", "E05F 5/02"),
    ("MÁQUINA EMPACADORA DE TORTILLAS", "B65B 25/00"),
    ("ASPERSOR GIRATORIO DE BAJA PRESIÓN PARA HUERTOS", "B05B 3/04"),
    ("COMPOSICIÓN HERBICIDA A BASE DE ÁCIDO PELARGÓNICO", "A01N 37/02"),
    ("CALENTADOR SOLAR DE AGUA CON TUBOS DE VACÍO", "F24S 10/45"),
    ("BLOQUE DE CONCRETO ALIGERADO CON ESPUMA DE POLIESTIRENO", "E04C 1/41"),
    ("PRÓTESIS DE RODILLA CON AMORTIGUACIÓN HIDRÁULICA", "A61F 2/64"),
    ("EXTRACTOR DE MIEL CENTRÍFUGO DE ACERO INOXIDABLE", "A01K 59/04"),
    ("LÁMPARA DE EMERGENCIA CON BATERÍA DE LITIO", "F21S 9/02"),
    ("PROCEDIMIENTO DE FERMENTACIÓN DE CACAO EN CAJONES ROTATIVOS", "A23G 1/02"),
    ("CARRETILLA ELÉCTRICA PLEGABLE PARA OBRA", "B62B 5/00"),
    ("MEZCLADORA DE FORRAJE CON SINFÍN VERTICAL", "A01K 5/004"),
    ("GRÚA ARTICULADA PARA CAMIÓN", "B66C 23/44"),
    ("REACTOR DE BIOGÁS PARA ESTIÉRCOL PORCINO", "C12M 1/107"),
    ("PIÑÓN DE TRANSMISIÓN CON DIENTES ENDURECIDOS", "F16H 55/06"),
    ("ÓRTESIS DE TOBILLO IMPRESA EN TRES DIMENSIONES", "A61F 5/01"),
    ("CAÑÓN ANTIGRANIZO DE ONDA DE CHOQUE", "A01G 15/00"),
    ("Recipiente isotérmico para transporte de vacunas", "F25D 3/06"),
    ("Método de curtido de cuero con taninos vegetales", "C14C 3/10"),
    ("DISPOSITIVO DE SEGURIDAD PARA MEDIDORES DE GAS DOMÉSTICO", "G01F 15/00"),
]
TITLES_EN = [
    ("COCONUT HUSK FIBER SOUND ABSORBING PANEL", "E04B 1/84"),
    ("Rice husk ash pozzolan and method of producing the same", "C04B 18/10"),
    ("PORTABLE WATER DESALINATION UNIT POWERED BY SOLAR ENERGY", "C02F 1/048"),
    ("Jeepney exhaust particulate filter", "F01N 3/021"),
    ("SEAWEED-BASED BIODEGRADABLE PACKAGING FILM", "C08L 5/04"),
    ("Tilapia feed pellet extruder", "A23N 17/00"),
    ("METHOD FOR DETECTING COUNTERFEIT BANKNOTES USING INFRARED IMAGING", "G07D 7/12"),
    ("Electric tricycle with swappable battery pack", "B62K 5/02"),
    ("BRAKE CALIPER WITH WEAR INDICATOR", "F16D 66/02"),
    ("Heat pump dryer for cocoa beans", "F26B 23/00"),
    ("ANTIMICROBIAL WOUND DRESSING CONTAINING SILVER NANOPARTICLES", "A61L 15/18"),
    ("Ventilation grille with motorised damper", "F24F 13/14"),
    ("WIND TURBINE BLADE WITH SERRATED TRAILING EDGE", "F03D 1/0675"),
    ("Hydraulic press for compacting plastic waste", "B30B 9/30"),
    ("Wafer handling robot end effector", "H01L 21/677"),
    ("LIQUID COOLED POWER INVERTER HOUSING", "H05K 7/20"),
]
IPC_MORE = ["B01D 46/00", "G06T 7/00", "A61K 36/18", "F16B 5/02", "H02J 7/35", "C09D 5/16", "B29C 48/00",
            "G01N 21/64", "E02F 3/36", "A47L 9/28", "B23K 26/38", "F28D 7/10"]
VERSIONS = ["2006.01", "2006.01", "2006.01", "2012.01", "2013.01", "2018.01", "2019.01", "2021.01", "2022.01",
            "2023.01"]

MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
         "noviembre", "diciembre"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

ABSTRACT = {
    "es": "Invención: {t}. Se da a conocer un aparato que tiene un cuerpo principal, un mecanismo de ajuste montado sobre guías "
          "y una unidad de mando que regula su funcionamiento; la disposición permite armar y limpiar el "
          "conjunto sin herramientas y reduce el consumo durante la operación.",
    "en": "Invention: {t}. Disclosed is an apparatus having a main body, an adjusting mechanism mounted on guides and a control "
          "unit that governs its operation; the arrangement lets the assembly be put together and cleaned "
          "without tools and lowers consumption while it runs.",
}

LABELS = {
    "PH": [{"11": "Publication No.", "43": "Date of Publication", "45": "Date of Issue", "21": "Application No.",
            "22": "Date Filed", "30": "Priority Claim", "51": "IPC", "54": "Title", "71": "Applicant",
            "72": "Inventor", "74": "Agent/Representative", "57": "Abstract"},
           {"11": "Patent/Publication Number", "43": "Publication Date", "45": "Registration Date",
            "21": "Application Serial No.", "22": "Filing Date", "30": "Priority", "51": "Int. Class",
            "54": "Title of the Invention", "71": "Name of Applicant(s)", "72": "Name of Inventor(s)",
            "74": "Attorney-in-fact", "57": "Abstract"}],
    "AR": [{"10": "Número de Publicación", "41": "Fecha de Publicación", "21": "Número de Solicitud",
            "22": "Fecha de Presentación", "30": "Prioridad", "51": "Clasificación", "54": "Título",
            "71": "Solicitante/s", "72": "Inventor/es", "74": "Agente/s", "57": "Resumen"},
           {"10": "Publicación", "41": "Fecha Publ.", "21": "Nro. de Acta", "22": "Fecha Pres.", "30": "Prioridades",
            "51": "CIP", "54": "Denominación de la Invención", "71": "Titular/es", "72": "Inventor/es",
            "74": "Agente de la Propiedad Industrial", "57": "Resumen"}],
    "MX": [{"11": "Número de Publicación", "43": "Fecha de Publicación", "45": "Fecha de Otorgamiento",
            "21": "Número de Solicitud", "22": "Fecha de Presentación", "30": "Prioridad(es)",
            "51": "Clasificación Internacional", "54": "Título", "71": "Solicitante(s)", "72": "Inventor(es)",
            "74": "Apoderado", "57": "Resumen"},
           {"11": "Publicación", "43": "Publicada", "45": "Otorgada", "21": "Expediente", "22": "Presentada",
            "30": "Prioridad", "51": "Int. Cl.", "54": "Título de la Invención", "71": "Titular(es)",
            "72": "Inventor(es)", "74": "Mandatario", "57": "Resumen"}],
    "EP": [{"43": "Date of publication", "45": "Date of publication and mention of the grant of the patent",
            "21": "Application number", "22": "Date of filing", "30": "Priority", "51": "Int Cl.", "54": "",
            "71": "Applicant", "73": "Proprietor", "72": "Inventors", "74": "Representative", "57": ""}],
}


@dataclass
class Sealed6Sample:
    name: str
    office: str
    image: np.ndarray
    truth: dict[str, object] = field(default_factory=dict)
    body: list[np.ndarray] = field(default_factory=list)
    degraded: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)  # every string Java drew, in order
    layout: dict[str, object] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # doc number and dates as printed


# ----------------------------------------------------------------------------- content
class Doc:
    def __init__(self, r: random.Random, office: str):
        self.r, self.o = r, office
        self.es = office in ("AR", "MX")
        self.dates = {"PH": r.choice(["dmy", "words", "mdy_words"]), "AR": r.choice(["dmy", "dmy", "dot", "dash"]),
                      "MX": r.choice(["dmy", "dmy", "words_es"]), "EP": "dot"}[office]
        self.upper_given = office != "EP" and r.random() < 0.45

    def date(self, year: int) -> tuple[str, str]:
        m, d = self.r.randint(1, 12), self.r.randint(1, 28)
        st = self.dates
        shown = {"dmy": f"{d:02d}/{m:02d}/{year}", "dot": f"{d:02d}.{m:02d}.{year}", "dash": f"{d:02d}-{m:02d}-{year}",
                 "words": f"{d} {MONTHS[m - 1]} {year}", "mdy_words": f"{MONTHS[m - 1]} {d}, {year}",
                 "words_es": f"{d} de {MESES[m - 1]} de {year}"}[st]
        return shown.replace(" ", NBSP), f"{year}-{m:02d}-{d:02d}"

    def person(self, form: str) -> str:
        r = self.r
        sur, giv = {"AR": (SUR_ES, GIV_ES), "MX": (SUR_ES, GIV_ES), "PH": (SUR_PH, GIV_PH), "EP": (SUR_EP, GIV_EP)}[self.o]
        s, g = r.choice(sur), r.choice(giv)
        if self.es and r.random() < 0.35:  # two surnames
            s = f"{s} {r.choice([x for x in sur if x != s])}"
        if self.upper_given:
            g = g.upper()
        return f"{s}, {g}" if form == "sg" else f"{g} {s}"

    def company(self, first: bool) -> str:
        r, o = self.r, self.o
        if first and r.random() < 0.2:
            return r.choice(CO_LONG[o])
        if o in ("MX", "AR"):
            return r.choice(CO[o] * 2 + CO["LATAM"] + CO["INTL"])
        return r.choice(CO[o])

    def home(self, name: str) -> str:
        for key, cc in HOME:
            if key in name:
                return cc
        return self.o if self.o != "EP" else self.r.choice(["DE", "FR", "NL", "IT"])

    def address(self, cc: str) -> str:
        r = self.r
        street, city, state, pc = r.choice(STREETS.get(cc) or STREETS["US"])
        if cc == "MX":
            parts = [street, f"C.P. {pc}" if r.random() < 0.6 else "", city, state]
        elif cc in ("US", "PH", "CO"):
            parts = [street, city, f"{state} {pc}".strip() if r.random() < 0.5 else state]
        elif cc == "AR":
            parts = [street, f"({pc}) {city}" if r.random() < 0.4 else city, state]
        else:
            parts = [street, f"{pc} {city}", state]
        return ", ".join(p for p in parts if p)

    def parties(self, n: int, kind: str, mode: str, form: str) -> tuple[list[list[str]], list[tuple]]:
        """Entries as printed (each a list of lines, the first holds the name) and their truth."""
        r, o = self.r, self.o
        names: list[str] = []
        while len(names) < n:
            co = kind == "company" or (kind == "mixed" and r.random() < 0.4)
            nm = self.company(not names) if co else self.person(form)
            if nm not in names:
                names.append(nm)
        entries, truth = [], []
        if mode == "semi_addr":
            for nm in names:
                cc = self.home(nm) if r.random() < 0.75 else r.choice(sorted(STREETS))
                a = self.address(cc)
                with_cc = r.random() < 0.8
                entries.append([f"{nm}; {a}, {cc}" if with_cc else f"{nm}; {a}"])
                truth.append((nm, a, cc if with_cc else None))
        elif mode == "cont_addr":
            for nm in names:
                if o == "EP":
                    pc, town, cc = r.choice(EP_PLACES)
                    lines = ([r.choice(EP_STREETS)] if r.random() < 0.6 else []) + [f"{pc} {town} ({cc})"]
                    entries.append([nm] + lines)
                    truth.append((nm, " ".join(lines), cc))
                    continue
                cc = self.home(nm) if r.random() < 0.75 else r.choice(sorted(STREETS))
                a = self.address(cc)
                with_cc = r.random() < 0.75
                shown = (f"{a} ({cc})" if r.random() < 0.5 else f"{a}, {cc}") if with_cc else a
                entries.append([nm, shown])
                truth.append((nm, a, cc if with_cc else None))
        elif mode == "lines_cc":
            for nm in names:
                cc = self.home(nm) if r.random() < 0.6 else r.choice(["US", "MX", "AR", "DE", "PH", "JP", "KR", "CL", "CO"])
                entries.append([f"{nm} ({cc})"])
                truth.append((nm, None, cc))
        elif mode == "lines":
            for nm in names:
                entries.append([nm])
                truth.append((nm, None, None))
        else:
            sep = {"dash": " - ", "semi": "; ", "y": " y ", "and": " and "}[mode]
            with_cc = r.random() < 0.35
            items = []
            for nm in names:
                cc = (self.home(nm) if r.random() < 0.6 else r.choice(["US", "MX", "AR", "PH", "DE", "BR"])) if with_cc else None
                items.append(f"{nm} ({cc})" if cc else nm)
                truth.append((nm, None, cc))
            if mode in ("y", "and") and len(items) > 2 and not any("," in i for i in items):
                text = ", ".join(items[:-1]) + sep + items[-1]
            else:
                text = sep.join(items)
            entries.append([text])
        return entries, truth


def content(r: random.Random, o: str) -> dict:
    d = Doc(r, o)
    year = r.randint(2020, 2025)
    fil_year = year - r.choice([1, 1, 2, 2, 3])
    pub_shown, pub = d.date(year)
    fil_shown, fil = d.date(fil_year)
    if o == "PH":
        kind = r.choice(["A1", "A1", "A1", "B1", "U1"])
        t = "2" if kind == "U1" else "1"
        serial = r.randint(760000, 789999)
        num = f"{t}{fil_year}{serial}"
        app = r.choice([f"{t}-{fil_year}-{serial}", f"{t}/{fil_year}/{serial}"])
        printed = r.choice([f"PH {num} {kind}", f"PH {t}-{fil_year}-{serial} {kind}", f"PH{num}{kind}"])
        doctype = {"A1": "INVENTION APPLICATION PUBLICATION", "B1": "GRANT OF INVENTION PATENT",
                   "U1": "UTILITY MODEL REGISTRATION"}[kind]
    elif o == "AR":
        kind = r.choice(["A1", "A1", "A1", "A2", "B1"])
        num = f"{r.randint(200000, 224999)}"
        app = f"{'M' if kind == 'A2' else 'P'}{fil_year}0{r.randint(600000, 799999)}"
        printed = r.choice([f"AR{num}{kind}", f"AR {num} {kind}", f"AR{num} {kind}"])
        doctype = {"A1": "PATENTE DE INVENCIÓN - SOLICITUD", "A2": "MODELO DE UTILIDAD - SOLICITUD",
                   "B1": "PATENTE DE INVENCIÓN CONCEDIDA"}[kind]
    elif o == "MX":
        kind = r.choice(["A", "A", "A", "B", "U"])
        num = f"{r.randint(445000, 469999)}" if kind == "B" else f"{year}{r.randint(100000, 129999)}"
        app = f"MX/{'u' if kind == 'U' else 'a'}/{fil_year}/{r.randint(100000, 129999)}"
        printed = r.choice([f"MX {num} {kind}", f"MX{num}{kind}", f"MX {num} {kind}"])
        doctype = {"A": "SOLICITUD DE PATENTE PUBLICADA", "B": "TÍTULO DE PATENTE", "U": "MODELO DE UTILIDAD"}[kind]
    else:
        kind = r.choice(["A1", "A1", "A2", "B1"])
        num = f"{r.randint(2100000, 2999999)}"
        app = f"{fil_year % 100:02d}{r.randint(500000, 699999)}.{r.randint(0, 9)}"
        printed = f"EP {num[0]} {num[1:4]} {num[4:]} {kind}"
        doctype = "EUROPEAN PATENT SPECIFICATION" if kind == "B1" else "EUROPEAN PATENT APPLICATION"
    title, main = r.choice(TITLES_ES if d.es else TITLES_EN)
    syms = [main] + r.sample([s for s in IPC_MORE if s != main], r.choice([0, 0, 1, 1, 2]))
    versioned = not (o in ("AR", "PH") and r.random() < 0.3)
    vers = [r.choice(VERSIONS) for _ in syms]
    ipc_truth = [f"{s} ({v})" if versioned else s for s, v in zip(syms, vers)]
    shown_syms = [s.replace(" ", NBSP) for s in syms]
    if versioned:
        ipc_line = r.choice([", ", "; ", "\n"]).join(f"{s}{NBSP}({v})" for s, v in zip(shown_syms, vers))
    else:
        ipc_line = r.choice([", ", "; "]).join(shown_syms)

    form = "sg" if o in ("AR", "EP") or r.random() < 0.5 else "gs"
    if o == "EP":
        app_mode = r.choice(["cont_addr", "cont_addr", "lines_cc"])
        inv_mode = r.choice(["cont_addr", "cont_addr", "lines_cc", "semi", "and"])
        ag_mode = "cont_addr"
    else:
        modes = {"MX": ["semi_addr", "semi_addr", "lines", "lines_cc", "semi", "y", "cont_addr", "dash"],
                 "AR": ["dash", "dash", "lines", "lines_cc", "semi", "y", "cont_addr", "semi_addr"],
                 "PH": ["lines", "lines_cc", "semi", "and", "cont_addr", "semi_addr", "lines_cc"]}[o]
        app_mode, inv_mode = r.choice(modes), r.choice(modes)
        ag_mode = r.choice(["lines", "lines", "semi", "y" if d.es else "and"])
    n_app = r.choice([1, 1, 1, 2, 2, 3, 4])
    n_inv = r.choice([1, 2, 2, 3, 3, 4]) if r.random() < 0.8 else r.choice([5, 6])
    if app_mode in ("y", "and", "semi", "dash") and n_app == 1:
        app_mode = "lines"
    applicants, app_t = d.parties(n_app, "mixed" if r.random() < 0.25 else "company", app_mode, form)
    inventors, inv_t = d.parties(n_inv, "person", inv_mode, form)
    n_ag = r.choice([0, 1, 1, 1, 2])
    if n_ag < 2 and ag_mode in ("semi", "y", "and"):
        ag_mode = "lines"
    agents, ag_t = d.parties(n_ag, "person", ag_mode, "sg" if o in ("AR", "EP") else form) if n_ag else ([], [])

    L = dict(r.choice(LABELS[o]))
    pd = {"AR": "41", "PH": "45" if kind == "B1" else "43", "MX": "45" if kind == "B" else "43",
          "EP": "45" if kind == "B1" else "43"}[o]
    nc = "10" if o == "AR" else "11"
    if o == "EP":
        L["72"] = "Inventor" if n_inv == 1 else "Inventors"
        L["71"] = "Applicant" if n_app == 1 else "Applicants"
        wk = __import__("datetime").date.fromisoformat(pub).isocalendar()[1]
        pub_shown = f"{pub_shown}{NBSP}{NBSP}Bulletin{NBSP}{pub[:4]}/{wk:02d}"
    if o == "PH":
        header = [("REPUBLIC OF THE PHILIPPINES", 0, False, "C"), ("INTELLECTUAL PROPERTY OFFICE", 3, True, "C"),
                  ("Bureau of Patents", 0, False, "C"), (f"(12) {doctype}", 1, True, "L")]
    elif o == "AR":
        header = [("(19) REPÚBLICA ARGENTINA", 0, False, "L"), ("INPI", 4, True, "R"),
                  ("Administración Nacional de Patentes", 1, False, "C"), (f"(12) {doctype}", 0, True, "L")]
    elif o == "MX":
        header = [("(19) ESTADOS UNIDOS MEXICANOS", 0, True, "L"),
                  ("INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL", 2, True, "C"),
                  ("Dirección Divisional de Patentes", 0, False, "C"), (f"(12) {doctype}", 1, True, "L")]
    else:
        header = [("Europäisches Patentamt", 0, False, "L"), ("European Patent Office", 0, False, "L"),
                  ("Office européen des brevets", 0, False, "L"), (f"(11) {printed}", 7, True, "R"),
                  (f"(12) {doctype}", 3, True, "C")]

    blocks = []
    if o == "EP":
        blocks.append({"code": pd, "label": L[pd], "value": pub_shown, "short": True})
    else:
        blocks.append({"code": nc, "label": L[nc], "value": printed, "short": True})
    blocks.append({"code": "21", "label": L["21"], "value": app, "short": True})
    blocks.append({"code": "22", "label": L["22"], "value": fil_shown, "short": True})
    if r.random() < 0.35:
        pr_shown, _ = d.date(fil_year - 1)
        pcc = r.choice(["US", "JP", "CN", "FR", "GB", "ES"])
        prn = {"US": f"63/{r.randint(100, 399)},{r.randint(100, 999)}", "JP": f"{fil_year - 1}-{r.randint(200000, 299999)}",
               "CN": f"{fil_year - 1}1{r.randint(1000000, 9999999)}.{r.randint(0, 9)}",
               "FR": f"{(fil_year - 1) % 100}{r.randint(10000, 19999):05d}",
               "GB": f"{r.randint(2300000, 2399999)}.{r.randint(1, 9)}", "ES": f"P{fil_year - 1}3{r.randint(1000, 9999)}"}[pcc]
        blocks.append({"code": "30", "label": L["30"], "value": f"{pr_shown} {pcc} {prn}" if o in ("EP", "PH") else f"{pcc} {prn} {pr_shown}"})
    if o != "EP":
        blocks.append({"code": pd, "label": L[pd], "value": pub_shown, "short": True})
    blocks.append({"code": "51", "label": L["51"], "value": ipc_line})
    blocks.append({"code": "54", "label": L["54"], "value": title, "bold": r.random() < 0.3})
    pc = "73" if (o == "EP" and kind == "B1") else "71"
    blocks.append({"code": pc, "label": L[pc], "value": applicants, "under": r.random() < 0.35})
    blocks.append({"code": "72", "label": L["72"], "value": inventors, "under": r.random() < 0.35})
    if agents:
        blocks.append({"code": "74", "label": L["74"], "value": agents})
    tl = title.lower() if title.isupper() else title[0].lower() + title[1:]
    tail = [{"code": "57", "label": L["57"], "value": ABSTRACT["es" if d.es else "en"].format(t=tl)}]

    truth = {"office": o, "doc_number": num, "kind": kind, "publication_date": pub, "application_number": app,
             "filing_date": fil, "title": title, "ipc": ipc_truth}
    truth["assignees" if pc == "73" else "applicants"] = app_t
    truth["inventors"] = inv_t
    if agents:
        truth["agents"] = ag_t
    shown = {"doc_number": printed, "publication_date": pub_shown.replace(NBSP, " "),
             "filing_date": fil_shown.replace(NBSP, " "), "date_style": d.dates}
    modes = {"applicants": app_mode, "inventors": inv_mode, "agents": ag_mode if agents else ""}
    return {"header": header, "blocks": blocks, "tail": tail, "truth": truth, "shown": shown, "modes": modes}


def layout(r: random.Random, o: str, doc: dict, name: str) -> dict:
    """The page spec Render.java reads."""
    fam = r.choice(list(FACES))
    reg, bold, squeeze = FACES[fam]
    lay = r.choice({"PH": ["one", "one", "two", "cells"], "AR": ["rows", "cells", "one", "two"],
                    "MX": ["rows", "cells", "one", "two"], "EP": ["two", "two", "one"]}[o])
    pt = {"noto-sans-mono": r.choice([8.5, 9.0]), "noto-serif-display": r.choice([10.0, 10.5, 11.0])}.get(
        fam, r.choice([9.0, 9.5, 10.0, 10.5]))
    spec = {"name": name, "font": {"regular": reg, "bold": bold, "squeeze": squeeze}, "pt": pt,
            "lead": r.choice([1.2, 1.28, 1.36]), "angle": round(r.uniform(-0.7, 0.7), 3),
            "dx_mm": round(r.uniform(-2.5, 2.5), 2), "dy_mm": round(r.uniform(-2.5, 2.5), 2),
            "left_mm": round(r.uniform(17, 25), 1), "right_mm": round(r.uniform(15, 22), 1),
            "top_mm": round(r.uniform(14, 22), 1), "bottom_mm": 283, "layout": lay,
            "inid": r.choice(["paren", "paren", "margin", "bare"]), "labels": r.choice(["beside", "beside", "above"]),
            "mark": r.choice([":", ":", ""]), "bold_labels": r.random() < 0.5, "hang": r.random() < 0.7,
            "align": r.random() < 0.5, "gap": r.choice([0.3, 0.6, 0.9]), "header_rule": r.random() < 0.7,
            "rule_pt": r.choice([0.5, 0.75, 1.0]), "margin_mm": round(r.uniform(10, 14), 1),
            "code_mm": r.choice([10, 12]), "label_mm": r.choice([34, 40, 46]),
            "header": [{"text": t, "delta": dl, "bold": b, "align": a} for t, dl, b, a in doc["header"]]}
    blocks = [dict(b) for b in doc["blocks"]]
    tail = [dict(b) for b in doc["tail"]]
    if lay == "two":
        right_codes = ("51", "74") if o == "EP" else ("54", "71", "72", "73", "74")
        for b in blocks:
            b["col"] = "R" if b["code"] in right_codes else "L"
        if o == "EP":  # the title runs the full width under the columns, as EP prints it
            tail = [b for b in blocks if b["code"] == "54"] + tail
            blocks = [b for b in blocks if b["code"] != "54"]
        spec["split"] = round(r.uniform(0.42, 0.52), 3)
        spec["gutter_mm"] = round(r.uniform(6, 11), 1)
        spec["col_rule"] = r.random() < 0.5
    if lay == "cells":
        short = [b for b in blocks if b.get("short")]
        rest = [b for b in blocks if not b.get("short")]
        spec["cells"] = [short[i:i + 2] for i in range(0, len(short), 2)] + [[b] for b in rest]
        if spec["inid"] == "margin":
            spec["inid"] = "paren"
    if lay == "rows":
        spec["inid"] = r.choice(["paren", "bare"])
    spec["blocks"], spec["tail"] = blocks, tail
    return spec


# ----------------------------------------------------------------------------- Java
def _java_ready() -> None:
    if shutil.which("java") is None or shutil.which("javac") is None:
        raise SystemExit("sealed6 skipped: it needs a JDK (java and javac; Debian openjdk-17-jdk-headless)")


def render(specs: list[dict]) -> Path:
    """Compiles Render.java (once per source) and runs it once for every page; returns the folder of
    NAME.png and NAME.txt. A folder whose spec and source hash match is reused."""
    _java_ready()
    src = SOURCE.read_bytes()
    body = json.dumps({"pages": specs}, ensure_ascii=True, sort_keys=True)
    key = hashlib.sha1(src + body.encode()).hexdigest()[:16]
    out = BUILD / key
    if (out / "DONE").is_file():
        return out
    classes = BUILD / "classes" / hashlib.sha1(src).hexdigest()[:12]
    if not (classes / "Render.class").is_file():
        classes.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-encoding", "UTF-8", "-d", str(classes), str(SOURCE)], check=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / "spec.json").write_text(body)
    subprocess.run(["java", "-Djava.awt.headless=true", "-Xmx512m", "-XX:+UseSerialGC", "-cp", str(classes), "Render",
                    str(out / "spec.json"), str(out)], check=True)
    (out / "DONE").write_text("ok\n")
    return out


# ----------------------------------------------------------------------------- scanner
def _smooth(g: np.random.Generator, shape, cells: tuple[int, int], lo: float, hi: float) -> np.ndarray:
    grid = g.uniform(lo, hi, cells).astype(np.float32)
    return np.asarray(Image.fromarray(grid, mode="F").resize((shape[1], shape[0]), Image.BICUBIC))


def scan_office(grey: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """A 300-dpi office scanner set to black and white: soft optics, a faint toner streak down the
    page, a threshold that wanders across the sheet, ragged edges, specks, sometimes the shadows of
    two punched holes in the margin; bilevel."""
    g = np.random.default_rng(seed)
    im = Image.fromarray(grey).filter(ImageFilter.GaussianBlur(float(g.uniform(0.5, 0.9))))
    a = np.asarray(im).astype(np.float32)
    h, w = a.shape
    x = np.arange(w, dtype=np.float32)
    for _ in range(int(g.integers(0, 3))):  # a toner streak: ink lighter in a band down the page
        cx, half, s = g.uniform(0, w), g.uniform(30, 160), g.uniform(0.15, 0.4)
        band = np.clip(1 - np.abs(x - cx) / half, 0, 1) * s
        a = 255 - (255 - a) * (1 - band)[None, :]
    a += g.normal(0, 14, a.shape).astype(np.float32)
    thr = _smooth(g, a.shape, (3, 6), 140, 190)
    out = np.where(a < thr, 0, 255).astype(np.uint8)
    for _ in range(int(g.integers(25, 120))):  # specks
        y0, x0 = int(g.integers(0, h - 5)), int(g.integers(0, w - 5))
        out[y0:y0 + int(g.integers(1, 4)), x0:x0 + int(g.integers(1, 4))] = 0
    if g.random() < 0.3:  # punched holes' shadows in the left margin
        yy, xx = np.ogrid[:h, :w]
        cx = int(g.uniform(70, 120))
        for cy in (h // 2 - 480, h // 2 + 480):
            out[(yy - cy) ** 2 + (xx - cx) ** 2 < int(g.uniform(36, 46)) ** 2] = 0
    return out, 300


def scan_poor(grey: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """A poor copy: sampled at 170-200 dpi, a little motion along the lines, a fold across the
    sheet, ink washed out on dim paper, darker corners, noise, a low-quality JPEG."""
    g = np.random.default_rng(seed)
    dpi = int(g.choice([170, 180, 200]))
    h, w = grey.shape
    im = Image.fromarray(grey).resize((round(w * dpi / 300), round(h * dpi / 300)), Image.BOX)
    a = np.asarray(im).astype(np.float32)
    k = int(g.integers(2, 4))  # motion: a short horizontal smear
    a = sum(np.roll(a, i, axis=1) for i in range(k)) / k
    a = np.asarray(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(float(g.uniform(0.3, 0.7))))).astype(np.float32)
    hh, ww = a.shape
    ink, paper = g.uniform(30, 70), g.uniform(195, 230)
    a = ink + (paper - ink) * (a / 255.0)
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    r2 = ((yy - hh / 2) / (hh / 2)) ** 2 + ((xx - ww / 2) / (ww / 2)) ** 2
    a = a * (1 - g.uniform(0.05, 0.16) * r2 / 2)
    if g.random() < 0.5:  # a fold: a darker line with a light edge across the page
        y0 = g.uniform(0.3, 0.7) * hh
        slope = g.uniform(-0.03, 0.03)
        d = yy - (y0 + slope * xx)
        a = a - 28 * np.exp(-(d / 2.5) ** 2) + 12 * np.exp(-((d - 4) / 2.5) ** 2)
    a = a + g.normal(0, g.uniform(4, 9), a.shape)
    buf = io.BytesIO()
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=int(g.integers(32, 60)))
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("L")), dpi


# ----------------------------------------------------------------------------- the set
def _doc(o: str, i: int, seed: int) -> tuple[str, dict, dict, int]:
    s = seed + 1000 * (OFFICES.index(o) + 1) + i
    r = random.Random(s)
    doc = content(r, o)
    name = f"S6-{o}-{i:02d}"
    return name, doc, layout(r, o, doc, name), s


def build_all(names: list[tuple[str, int]], seed: int = SEED) -> list[Sealed6Sample]:
    docs = [_doc(o, i, seed) for o, i in names]
    out = render([spec for _, _, spec, _ in docs])
    samples = []
    for (name, doc, spec, s), (o, _) in zip(docs, names):
        grey = np.array(Image.open(out / f"{name}.png").convert("L"))
        lines = (out / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        pt = float(lines[0].split()[1])
        lay = dict(doc["modes"], face=spec["font"]["regular"].rsplit("/", 1)[1] + ("" if spec["font"]["squeeze"] == 1 else " narrow"), pt=pt, layout=spec["layout"],
                   inid=spec["inid"], labels=spec["labels"], mark=spec["mark"])
        samples.append(Sealed6Sample(name, o, grey, doc["truth"], [],
                                     {"office": scan_office(grey, s * 7 + 1), "poor": scan_poor(grey, s * 7 + 2)},
                                     lines[1:], lay, doc["shown"]))
    return samples


def _all_names() -> list[tuple[str, int]]:
    return [(o, i) for o in OFFICES for i in range(1, PER_OFFICE + 1)]


def sealed6_set(seed: int = SEED) -> list[Sealed6Sample]:
    """The reported set: 74 documents (PH 18, AR 19, MX 18, EP 19)."""
    return [s for s in build_all(_all_names(), seed) if s.name not in REGRESSION]


def regression_set(seed: int = SEED) -> list[Sealed6Sample]:
    """The six REGRESSION documents (not in the reported figure)."""
    return build_all([(n.split("-")[1], int(n.split("-")[2])) for n in REGRESSION], seed)


# ----------------------------------------------------------------------------- checks
def _parse_date(shown: str, style: str) -> str:
    """The ISO date a printed date says (the check that printed and truth agree)."""
    p = shown.replace(",", "").split()
    if style in ("dmy", "dot", "dash"):
        d, m, y = shown.replace(".", "/").replace("-", "/").split()[0].split("/")
    elif style == "words":
        d, m, y = p[0], MONTHS.index(p[1]) + 1, p[2]
    elif style == "mdy_words":
        m, d, y = MONTHS.index(p[0]) + 1, p[1], p[2]
    else:
        d, m, y = p[0], MESES.index(p[2]) + 1, p[4]
    return f"{int(y)}-{int(m):02d}-{int(d):02d}"


def printed(sample: Sealed6Sample) -> list[str]:
    """Every truth value the page does not print as Java drew it (empty: all printed). The drawn
    strings are joined by spaces, so a value wrapped over lines is found as a reader sees it."""
    text = " ".join(sample.text)
    t, sh = sample.truth, sample.shown
    missing = []
    for name in ("application_number", "title"):
        if t[name] not in text:
            missing.append(f"{name}: {t[name]}")
    shown_no = sh["doc_number"]
    if shown_no not in text or not shown_no.endswith(t["kind"]) \
            or "".join(c for c in shown_no[:-len(t["kind"])] if c.isdigit()) != t["doc_number"]:
        missing.append(f"doc_number/kind: {t['doc_number']} {t['kind']}")
    for sym in t["ipc"]:
        if sym not in text:
            missing.append(f"ipc: {sym}")
    for key in ("applicants", "assignees", "inventors", "agents"):
        for nm, addr, cc in t.get(key, []):
            if nm not in text:
                missing.append(f"{key}: {nm}")
            if addr and addr not in text:
                missing.append(f"{key} address: {addr}")
            if cc and f"({cc})" not in text and f", {cc}" not in text:
                missing.append(f"{key} country: {cc}")
    for key in ("publication_date", "filing_date"):
        if sh[key] not in text or _parse_date(sh[key], sh["date_style"]) != t[key]:
            missing.append(f"{key}: {t[key]} / {sh[key]}")
    return missing


def tesseract_check(sample: Sealed6Sample, level: str) -> float:
    """Raw ``tesseract`` CLI only: the share of the truth's words (number, title, names) found in
    its output of the scan: a check that image and truth describe each other."""
    im, dpi = sample.degraded[level]
    lang = "spa" if sample.office in ("AR", "MX") else "eng"
    with io.BytesIO() as buf:
        Image.fromarray(im).save(buf, "PNG", dpi=(dpi, dpi))
        res = subprocess.run(["tesseract", "stdin", "stdout", "-l", lang, "--dpi", str(dpi)], input=buf.getvalue(),
                             capture_output=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    got = set(res.stdout.decode("utf-8", "replace").replace(",", " ").replace(";", " ").split())
    t = sample.truth
    words = [t["doc_number"]] + t["title"].split()
    for key in ("applicants", "assignees", "inventors", "agents"):
        for nm, _, _ in t.get(key, []):
            words += nm.replace(",", " ").split()
    return sum(w in got for w in words) / len(words)


if __name__ == "__main__":
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else None
    samples = build_all(_all_names())
    bad = 0
    for smp in samples:
        miss = printed(smp)
        bad += bool(miss)
        if miss:
            print(smp.name, "NOT PRINTED:", miss)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            Image.fromarray(smp.image).save(out / f"{smp.name}.png")
            for lv, (im, dpi) in smp.degraded.items():
                Image.fromarray(im).save(out / f"{smp.name}-{lv}.png", dpi=(dpi, dpi))
            (out / f"{smp.name}.json").write_text(json.dumps({"truth": smp.truth, "layout": smp.layout,
                                                              "shown": smp.shown, "text": smp.text},
                                                             ensure_ascii=False, indent=1))
    print(f"{len(samples)} documents ({len(samples) - len(REGRESSION)} reported + {len(REGRESSION)} REGRESSION); "
          f"truth not printed on {bad}")
    if "--tesseract" in sys.argv:  # the raw CLI on every k-th document, both levels
        n = int(sys.argv[sys.argv.index("--tesseract") + 1])
        pick = samples[:: max(1, len(samples) // n)][:n]
        for lv in ("office", "poor"):
            scores = [(tesseract_check(s, lv), s.name) for s in pick]
            print(f"raw tesseract, {lv}: truth words found {sum(v for v, _ in scores) / len(scores):.3f} over "
                  f"{len(scores)} documents; lowest " + ", ".join(f"{nm} {v:.2f}" for v, nm in sorted(scores)[:3]))
