"""The ninth sealed front-page set (issue 24): PH/AR/MX/EP front pages written by this module as
LibreOffice Writer documents (flat ODF XML, ``.fodt``), converted to PDF by ``soffice --headless``
in one batch call and rasterised by ``pdftoppm -r 300``, then scanned by this module's own scanner.

    python bench/frontpage_sealed9.py --out DIR                # .fodt, PDF, pages, scans, truth, print check
    python bench/frontpage_sealed9.py --out DIR --tesseract 24 # + raw tesseract legibility check
    python bench/frontpage_sealed9.py --overlap                # pools against the earlier sets' files
    sealed9_set()          # 80 documents (20 per office) minus the 6 of REGRESSION: the reported set
    regression_set()       # the 6 REGRESSION documents (may be kept in tests; never reported)

ONLY RUN TO REPORT (``bench/frontpage_eval.py sealed9``): rules are never developed against it.

A word processor typesets the pages (the earlier sets: PIL composers; HTML in Chromium; fpdf2 +
pdftoppm; PostScript by hand + Ghostscript; Java 2D; groff/tbl + Ghostscript; SVG + rsvg-convert):
each page is a Writer document of paragraphs with paragraph and character styles, hanging indents,
tab stops, bordered paragraphs, a two-column section with a column break, and Writer tables for the
ruled IMPI/INPI grids and boxes; Writer breaks, fills and justifies the lines itself. All pages not
yet converted go to ONE ``soffice --headless --convert-to pdf`` call (its own profile under
``build/frontpage-sealed9/profile``); a page whose PDF runs to a second sheet is set again smaller
(another batch call for those only). ``pdftoppm -r 300 -gray`` rasterises the first sheet. Faces: Lato,
EB Garamond (Debian ``fonts-lato``, ``fonts-ebgaramond``) and Charis SIL (``fonts-sil-charis``): no
earlier front-page set uses them. Without ``soffice`` or ``pdftoppm`` the set stops with one line
(Debian ``libreoffice-writer-nogui``, ``poppler-utils``).

Truth as ``synth_frontpages`` scores it: doc_number digits only, kind, ISO dates, the application
number as printed, the title as printed, IPC ``A01B 1/00 (2006.01)`` (no version when none is
printed), parties ``(name, address or None, country or None)``; an EP B1 has ``assignees``
((73) Proprietor) instead of ``applicants``. Seed ``SEED``; every document from its own
``random.Random``; the scans from ``numpy`` generators seeded by the document's name.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageFont

SEED = 9_417_263
PER_OFFICE = 20
OFFICES = ("PH", "AR", "MX", "EP")
# kept out of the reported figure (the lead may put them in tests); named before any page was built
REGRESSION = ["S9-PH-07", "S9-AR-03", "S9-AR-16", "S9-MX-10", "S9-EP-05", "S9-EP-18"]

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build" / "frontpage-sealed9"
CONVERT_VERSION = "1"  # part of the cache key: bump when the conversion commands change
NB = "\u00a0"

FAMILIES = {  # Writer family name -> regular face file (measuring label widths only)
    "Lato": "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
    "EB Garamond": "/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf",
    "Charis SIL": "/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf",
}

# ----------------------------------------------------------------------------- pools (new to this set)
SUR = {
    "PH": ["BAGATSING", "LOPEZ-VITO", "ASUNCION", "MAGSINO", "ALVIAR", "QUIRANTE", "PACQUING", "ALMARIO",
           "CABANGON", "MALVAR", "VILLAFUERTE", "DUMPIT", "AGBAYANI", "CUYEGKENG", "OBLENA", "TINIO-ABELLERA",
           "MALLILLIN", "LAGUMBAY", "NARVASA", "SIAZON", "BALUYUT", "ONGKIKO", "DIMALANTA", "PEÑAFLORIDA", "OBIÑA"],
    "AR": ["BALCARCE", "LEZAMA", "QUIRNO", "ESTRUGAMOU", "LARRETA", "OYUELA", "SOLDATI", "ZUBERBÜHLER",
           "CAMBACERES", "URIBURU", "ZAPIOLA", "GAINZA", "LEGUIZAMÓN", "MIGUENS", "SANSINENA", "UNZAGA",
           "ZORRAQUÍN", "OCANTOS", "ÁGREDA", "ÉCIJA", "ÚRIZ", "ÓDENA", "ORTIZ BASUALDO", "PEREYRA IRAOLA"],
    "MX": ["IXTLAHUAC", "MAZATZI", "URIÓSTEGUI", "OCHOTERENA", "QUINTANAR", "SOLÓRZANO", "TZOMPANTZI",
           "IXTEPAN", "ACATITLA", "XICOTÉNCATL", "COYOTZI", "TECUANHUEY", "MALINTZI", "AXOTLA", "ZERMEÑO",
           "ALEMÁN", "ÁMEZ", "ÍSOLA", "BECERRIL-ALDACO", "VÁZQUEZ MELLADO"],
    "EP": ["ÅBERG", "ÉTIENNE", "DVOŘÁK", "KOVÁČ", "ÓLAFSSON", "ÉMERY", "ZÁVODSKÝ", "MÜHLBACHER", "BERTHOLET",
           "ÜNAL", "CAVALLARO", "HOLUB", "RUUSUVUORI", "ÅSTRÖM", "ÖSTLUND", "ČERNÝ", "HÁJEK", "DE BRUYNE",
           "GIRAUD", "BIANCHERI", "KARJALAINEN", "WINKELMANN", "ÁRNASON", "ÚLFARSSON"],
}
GIV = {
    "PH": ["Ligaya", "Tirso", "Perlita", "Teodulo", "Ruffa", "Jovito", "Honorata", "Elmer", "Dionisio", "Jhonrey",
           "Leonora", "Fortunato", "Dakila", "Amihan", "Mayumi"],
    "AR": ["Casimiro", "Dalmacio", "Ernestina", "Florencio", "Isidoro", "Ludmila", "Teófila", "Saturnino",
           "Anselmo", "Ceferino", "Macedonio", "Onofre", "Sinforosa", "Zulema", "Édgar"],
    "MX": ["Gudelia", "Macrina", "Heladio", "Érika", "Yareli", "Nazario", "Acatzin", "Huitzilin", "Meztli", "Tenoch",
           "Xiadani", "Cirilo", "Cleotilde", "Doroteo", "Eufemia", "Gumaro", "Higinio", "Pánfilo", "Érick"],
    "EP": ["Ottilie", "Aurélie", "Cécile", "Jiří", "Ondřej", "Matthijs", "Signe", "Leonhard", "Mátyás", "Ömer",
           "Åke", "Émile", "Ingibjörg", "Berit", "Gérald", "Ingeborg", "Karolína", "Luboš", "Nikolaj", "Odile",
           "Pernille", "Quirin", "Rémi", "Örjan", "Éloïse", "Ólöf"],
}
CO = {
    "PH": ["BICOL ABACA FIBERCRAFT, INC.", "TAGUIG PRECISION STAMPING CORP.", "DAVAO CACAO GROWERS COOPERATIVE",
           "NEGROS MUSCOVADO MILLS, INC.", "PAMPANGA CERAMIC TILE CORPORATION", "UNIVERSITY OF THE VISAYAS IN ILOILO"],
    "AR": ["FRIGORÍFICO DEL SALADO S.A.", "METALÚRGICA TANDILENSE S.R.L.", "YERBATERA DEL ALTO URUGUAY S.A.",
           "ÓPTICA PATAGÓNICA S.A.S.", "BODEGAS DE CAFAYATE S.A.I.C.", "UNIVERSIDAD NACIONAL DE VILLA MERCEDES"],
    "MX": ["TEXTILES DE TEHUACÁN, S.A. DE C.V.", "CERÁMICA DE DOLORES HIDALGO, S. DE R.L. DE C.V.",
           "AGROINDUSTRIAS DEL PAPALOAPAN, S.P.R. DE R.L.", "MOLINOS DE NIXTAMAL DE CHIAPAS, S.A.P.I. DE C.V.",
           "ÉLITE AUTOPARTES DE SALTILLO, S.A. DE C.V.", "INSTITUTO TECNOLÓGICO DE ORIZABA"],
    "INTL": ["NORTHWIND PUMPWORKS, INC.", "GRANITE BAY SEMICONDUCTOR LLC", "HALDEN VERPACKUNGEN GMBH",
             "TEXTILWERK ÖHRINGEN AG", "OFFICINE BRESSANONE S.R.L.", "KAGAWA DENSHI CO., LTD."],
    "EP": ["Halden Verpackungen GmbH", "Textilwerk Öhringen AG", "Officine Bressanone S.r.l.",
           "Northwind Pumpworks, Inc.", "Ébénisterie Lorraine Industrielle SA", "Kagawa Denshi Co., Ltd.",
           "Åkerlund Hydraulik AB", "Vodárny Třeboň a.s.", "Brabantse Zuivelcoöperatie U.A.", "Cerámicas del Maestrazgo, S.A."],
}
CO_LONG = {
    "PH": ["PHILIPPINE COUNCIL FOR ENGINEERING RESEARCH ON INDIGENOUS MATERIALS AND RURAL TECHNOLOGIES"],
    "AR": ["FUNDACIÓN PARA EL DESARROLLO TECNOLÓGICO DE LAS ECONOMÍAS REGIONALES DEL NOROESTE ARGENTINO"],
    "MX": ["CENTRO DE INVESTIGACIÓN APLICADA EN BIOTECNOLOGÍA Y TECNOLOGÍAS ALIMENTARIAS DEL SURESTE, A.C."],
    "EP": ["Forschungsvereinigung für Oberflächenveredelung und Korrosionsschutz im Stahlleichtbau e.V."],
}
HOME = [(", A.C.", "MX"), ("S.P.R.", "MX"), ("C.V.", "MX"), ("ORIZABA", "MX"), ("S.A.I.C.", "AR"),
        ("S.A.S.", "AR"), ("VILLA MERCEDES", "AR"), ("ARGENTINO", "AR"), ("SALADO S.A.", "AR"), ("URUGUAY S.A.", "AR"),
        ("S.R.L.", "AR"), ("INC", "US"), ("Inc", "US"), ("LLC", "US"), ("GMBH", "DE"), ("GmbH", "DE"),
        ("e.V.", "DE"), ("AG", "DE"), ("S.r.l.", "IT"), ("CO., LTD.", "JP"), ("Co., Ltd.", "JP"), (" SA", "FR"),
        (" AB", "SE"), ("a.s.", "CZ"), ("U.A.", "NL"), ("S.A.", "ES")]
HOME_PH = ("ABACA", "STAMPING", "CACAO", "MUSCOVADO", "CERAMIC TILE", "VISAYAS IN ILOILO", "PHILIPPINE COUNCIL")

STREETS = {  # (street, city, state or "", postcode) by country
    "PH": [("Rizal Street, Barangay Bagumbayan", "Legazpi City", "Albay", "4500"),
           ("Apokon Road, Barangay Visayan Village", "Tagum City", "Davao del Norte", "8100"),
           ("Lacson Extension, Barangay Mandalagan", "Bacolod City", "Negros Occidental", "6100"),
           ("MacArthur Highway, Barangay Dolores", "City of San Fernando", "Pampanga", "2000")],
    "AR": [("Av. Colón 1850", "Tandil", "Buenos Aires", "B7000"),
           ("Calle Güemes Este 233", "Oberá", "Misiones", "N3360"),
           ("Paseo 105 entre Av. 2 y 3", "Villa Gesell", "Buenos Aires", "B7165"),
           ("Bulevar Almirante Brown 2650", "Puerto Madryn", "Chubut", "U9120"),
           ("Pasaje Ñaembé 71", "Posadas", "Misiones", "N3300")],
    "MX": [("Av. Hidalgo 418, Barrio de Xoloco", "Teziutlán", "Puebla", "73800"),
           ("Calle Zacatecas 14, Zona Centro", "Dolores Hidalgo", "Guanajuato", "37800"),
           ("Prolongación Ignacio Zaragoza 350", "Tuxtepec", "Oaxaca", "68300"),
           ("Calle Hidalgo Norte 255", "Ciudad Acuña", "Coahuila", "26200"),
           ("Calle Poniente 7 No. 480", "Orizaba", "Veracruz", "94300")],
    "US": [("2250 Whitman Mill Road", "Dubuque", "Iowa", "52001"), ("77 Anchor Bend Lane", "Folsom", "California", "95630")],
    "DE": [("Würzburger Weg 5", "Öhringen", "", "74613")],
    "IT": [("Via Brennero 61", "Bressanone", "", "39042")],
    "JP": [("3-8-14 Ritsurin-cho", "Takamatsu-shi, Kagawa", "", "760-0073")],
}
EP_PLACES = [("74613", "Öhringen", "DE"), ("39042", "Bressanone", "IT"), ("54000", "Nancy", "FR"),
             ("461 30", "Trollhättan", "SE"), ("379 01", "Třeboň", "CZ"), ("5211 AB", "'s-Hertogenbosch", "NL"),
             ("12001", "Castellón de la Plana", "ES"), ("4020", "Linz", "AT"), ("5000", "Odense", "DK"),
             ("1400", "Yverdon-les-Bains", "CH"), ("96100", "Rovaniemi", "FI"), ("1050", "Brussel", "BE"),
             ("8700", "Leoben", "AT"), ("2300", "Vila Real", "PT")]
EP_STREETS = ["Lindenallee 17", "Via dei Mille 4", "Rue Stanislas 29", "Kungsgatan 61", "Masarykovo náměstí 3",
              "Vughterweg 112", "Calle Enmedio 45", "Landstraße 88"]
EP_FIRMS = ["Kanzlei Brückner Eisele Patentanwälte", "Cabinet Vauthier & Associés", "Studio Torta Gambarotto S.r.l.",
            "Arnold Siedsma Octrooi B.V.", "Zacco Norrland AB"]

TITLES_ES = [  # (title as printed, IPC main symbol)
    ("ÁRBOL DE LEVAS AJUSTABLE PARA MOTOCULTOR", "F01L 1/047"),
    ("MÉTODO PARA CURTIR CUERO CON TANINOS DE QUEBRACHO", "C14C 3/28"),
    ("SECADERO DE YERBA MATE CON RECUPERACIÓN DE CALOR", "F26B 17/20"),
    ("ÉMBOLO DOSIFICADOR PARA JERINGA VETERINARIA", "A61D 7/00"),
    ("ÍNDICE LUMINOSO PARA MEDIDOR DE GAS DOMICILIARIO", "G01F 15/06"),
    ("PRENSA DE UVA CON MEMBRANA NEUMÁTICA", "B30B 9/02"),
    ("COMPOSICIÓN FUNGICIDA A BASE DE ACEITE DE JOJOBA", "A01N 65/44"),
    ("TELAR DE PEDAL PARA FIBRA DE ALPACA", "D03D 29/04"),
    ("ÓMNIBUS ARTICULADO CON PISO BAJO MODULAR", "B62D 47/02"),
    ("CONTENEDOR TÉRMICO PARA TRANSPORTE DE VACUNAS", "F25D 3/08"),
    ("PROCEDIMIENTO DE NIXTAMALIZACIÓN CON VAPOR", "A21D 13/45"),
    ("BEBIDA FERMENTADA DE PULQUE CON PROBIÓTICOS", "C12G 3/024"),
    ("ACOPLAMIENTO ELÁSTICO PARA BOMBA CENTRÍFUGA", "F16D 3/68"),
    ("ÚTIL DE CORTE PARA AZULEJOS CERÁMICOS", "B28D 1/22"),
    ("Dispositivo de riego por goteo con regulador de presión", "A01G 25/023"),
    ("Panel aislante de bagazo de caña y resina vegetal", "E04C 2/16"),
    ("SISTEMA DE MONITOREO DE COLMENAS POR ACÚSTICA", "A01K 47/02"),
    ("TOSTADOR ROTATIVO PARA GRANOS DE CACAO", "A23G 1/04"),
    ("ANCLAJE SÍSMICO PARA TANQUES DE AGUA ELEVADOS", "E04H 12/22"),
    ("Máquina descascaradora de nuez pecanera", "A23N 5/03"),
]
TITLES_EN = [
    ("ABACA FIBER REINFORCED COMPOSITE SHEET", "B32B 5/26"),
    ("Solar-powered desalination still for island communities", "C02F 1/18"),
    ("MUSCOVADO SUGAR EVAPORATION PAN WITH FLUE GAS RECOVERY", "C13B 30/02"),
    ("Typhoon shutter with self-locking slats", "E06B 9/15"),
    ("CACAO BEAN FERMENTATION BOX WITH TEMPERATURE PROBE", "A23G 1/10"),
    ("Bamboo laminated beam and method of pressing the same", "B27D 1/08"),
    ("PEDAL-DRIVEN WATER PUMP FOR RICE PADDIES", "F04B 17/06"),
    ("Coconut sap collection valve", "A01G 23/10"),
    ("HIGH-TEMPERATURE SEAL FOR ROTARY KILN OUTLET", "F27B 7/38"),
    ("Method for detecting lactose in oat beverages", "G01N 33/04"),
    ("MAGNETIC GEAR COUPLING FOR SUBSEA PUMPS", "H02K 49/10"),
    ("Rotor blade tip brake for small wind turbines", "F03D 7/0252"),
    ("TWIN-SCREW EXTRUDER FOR PLANT PROTEIN TEXTURING", "A23J 3/26"),
    ("Cable gland with strain relief insert", "H02G 15/013"),
    ("HEAT PUMP DRYER FOR TIMBER", "F26B 21/12"),
    ("Dental implant abutment with angled screw channel", "A61C 8/00"),
    ("REUSABLE LID FOR BEVERAGE CANS", "B65D 51/20"),
]
IPC_MORE = ["A01B 33/08", "B01D 53/62", "C08L 97/02", "D21H 17/25", "E21B 43/26", "F24S 10/75", "G06Q 50/02",
            "H01M 10/6567", "A47J 31/057", "B60K 6/46", "C04B 33/13", "F17C 13/04", "G01K 7/02", "H05K 7/1432"]
VERSIONS = ["2006.01", "2006.01", "2006.01", "2011.01", "2014.01", "2016.01", "2020.01", "2022.01"]
MESES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
MONTHS = "January February March April May June July August September October November December".split()
EP_STATES = ("AL AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MC ME MK MT NL NO PL PT "
             "RO RS SE SI SK SM TR")
ABSTRACT = {
    "es": "Se presenta {t}, que comprende un bastidor de chapa plegada, una tolva de carga con compuerta "
          "basculante y un conjunto de accionamiento por correa; las piezas de desgaste se reemplazan sin "
          "desmontar el bastidor, y el equipo puede operarse con la energía disponible en establecimientos "
          "rurales pequeños.",
    "en": "Provided is {t}, comprising a folded sheet frame, a loading hopper with a tilting gate and a "
          "belt drive assembly; the wear parts are replaced without dismantling the frame, and the unit "
          "can be run from the power available at small rural premises.",
}

LABELS = {  # office -> wordings (a page takes one); "" prints the code alone
    "PH": [{"11": "Document No.", "43": "Publication Date", "45": "Date of Grant", "21": "Application Serial No.",
            "22": "Filing Date", "30": "Convention Priority", "51": "IPC", "54": "Title of Invention",
            "71": "Applicant(s)", "72": "Inventor(s)", "74": "Agent/Representative", "57": "Abstract"},
           {"11": "Patent Number", "43": "Date of Publication", "45": "Issue Date", "21": "Application Number",
            "22": "Date of Application", "30": "Priority Data", "51": "International Classification",
            "54": "Title", "71": "Applicants", "72": "Inventors", "74": "Resident Agent", "57": "ABSTRACT"},
           {"11": "No.", "43": "Published", "45": "Granted", "21": "Appl. No.", "22": "Filed",
            "30": "Priority", "51": "Int. Cl.", "54": "Title", "71": "Owner", "72": "Inventor",
            "74": "Attorney", "57": "Abstract"}],
    "AR": [{"10": "Número de Publicación", "41": "Fecha de Publicación", "21": "Número de Acta",
            "22": "Fecha de Presentación", "30": "Prioridad", "51": "Clasificación Internacional de Patentes",
            "54": "Título de la Invención", "71": "Titular", "72": "Inventor/es", "74": "Agente", "57": "Resumen"},
           {"10": "Publ. Nº", "41": "Fecha Pub.", "21": "Solicitud Nº", "22": "Fecha Present.",
            "30": "Prior.", "51": "Clasif. Int.", "54": "Título", "71": "Solicitante/s", "72": "Inventores",
            "74": "Agente/Apoderado", "57": "Resumen"},
           {"10": "", "41": "", "21": "", "22": "", "30": "", "51": "", "54": "", "71": "", "72": "", "74": "",
            "57": ""}],
    "MX": [{"11": "No. de publicación", "43": "Fecha de publicación", "45": "Fecha de otorgamiento",
            "21": "No. de solicitud", "22": "Fecha de presentación", "30": "Prioridad", "51": "Clasificación",
            "54": "Título", "71": "Solicitante(s)", "72": "Inventor(es)", "74": "Agente", "57": "Resumen"},
           {"11": "Número de patente", "43": "Publicación", "45": "Otorgamiento", "21": "Solicitud",
            "22": "Fecha de solicitud", "30": "Datos de prioridad", "51": "CIP",
            "54": "Denominación de la invención", "71": "Titulares", "72": "Inventores",
            "74": "Representante legal", "57": "Resumen"}],
    "EP": [{"43": "Date of publication", "45": "Date of publication and mention of the grant of the patent",
            "21": "Application number", "22": "Date of filing", "30": "Priority", "84": "Designated Contracting States",
            "51": "Int Cl.", "54": "", "71": "Applicant", "73": "Proprietor", "72": "Inventors", "74": "Representative",
            "57": ""},
           {"43": "Date of publication", "45": "Date of publication and mention of the grant of the patent",
            "21": "Application number", "22": "Date of filing", "30": "Priority",
            "84": "Designated Contracting States", "51": "International Patent Classification (IPC)",
            "54": "", "71": "Applicant", "73": "Proprietor", "72": "Inventors", "74": "Representative", "57": ""}],
}


@dataclass
class Sealed9Sample:
    name: str
    office: str
    image: np.ndarray
    truth: dict[str, object] = field(default_factory=dict)
    body: list[np.ndarray] = field(default_factory=list)
    degraded: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)  # the PDF's text (pdftotext), line by line
    layout: dict[str, object] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # doc number and dates as printed


# ----------------------------------------------------------------------------- content
def _fmt_date(r: random.Random, style: str, y: int) -> tuple[str, str]:
    m, d = r.randint(1, 12), r.randint(1, 28)
    shown = {"slash": f"{d:02d}/{m:02d}/{y}", "dots": f"{d:02d}.{m:02d}.{y}", "dashes": f"{d:02d}-{m:02d}-{y}",
             "loose": f"{d}/{m}/{y}", "mon": f"{d:02d} {MONTHS[m - 1][:3]} {y}", "long_en": f"{MONTHS[m - 1]} {d}, {y}",
             "en_dm": f"{d} {MONTHS[m - 1]} {y}", "long_es": f"{d} de {MESES[m - 1]} de {y}"}[style]
    return shown.replace(" ", NB), f"{y}-{m:02d}-{d:02d}"


def _iso_of(shown: str, style: str) -> str:
    """The printed date read back (for the print check)."""
    s = shown.replace(NB, " ").replace(",", "")
    if style in ("slash", "dots", "dashes", "loose"):
        d, m, y = re.split(r"[/.-]", s)
    elif style == "mon":
        d, mon, y = s.split()
        m = [x[:3] for x in MONTHS].index(mon) + 1
    elif style == "long_en":
        mon, d, y = s.split()
        m = MONTHS.index(mon) + 1
    elif style == "en_dm":
        d, mon, y = s.split()
        m = MONTHS.index(mon) + 1
    else:
        p = s.split()
        d, m, y = p[0], MESES.index(p[2]) + 1, p[4]
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


class Writer:
    """One document's parties, drawn from ``r``."""

    def __init__(self, r: random.Random, o: str):
        self.r, self.o = r, o
        self.spanish = o in ("AR", "MX")
        self.upper_given = o != "EP" and r.random() < 0.5

    def person(self, inverted: bool) -> str:
        r, o = self.r, self.o
        sur, giv = r.choice(SUR[o]), r.choice(GIV[o])
        if self.spanish and " " not in sur and r.random() < 0.4:
            sur += " " + r.choice([s for s in SUR[o] if s != sur and " " not in s and "-" not in s])
        if o == "PH" and r.random() < 0.35:
            giv += " " + r.choice("BCDLMPTV") + "."
        if self.upper_given:
            giv = giv.upper()
        if o == "EP" and r.random() < 0.35:
            sur = " ".join("de" if w == "DE" else w.capitalize() for w in sur.split())
        return f"{sur}, {giv}" if inverted else f"{giv} {sur}"

    def company(self, lead: bool) -> str:
        r, o = self.r, self.o
        if lead and r.random() < 0.18:
            return CO_LONG[o][0]
        pool = CO["EP"] if o == "EP" else CO[o] * 2 + CO["INTL"]
        return r.choice(pool)

    def country(self, name: str) -> str:
        if any(k in name for k in HOME_PH):
            return "PH"
        for key, cc in HOME:
            if key in name:
                return cc
        return self.o if self.o != "EP" else self.r.choice(["DE", "FR", "SE", "CZ"])

    def address(self, cc: str) -> str:
        r = self.r
        street, city, state, pc = r.choice(STREETS.get(cc) or STREETS["US"])
        if cc == "MX":
            parts = [street, city, f"{state}, C.P. {pc}" if r.random() < 0.4 else state]
        elif cc == "AR":
            parts = [street, f"({pc}) {city}" if r.random() < 0.35 else city, state]
        elif cc in ("US", "PH"):
            parts = [street, city, f"{state} {pc}" if r.random() < 0.5 else state]
        else:
            parts = [street, f"{pc} {city}"]
        return ", ".join(parts)

    def parties(self, n: int, kind: str, how: str, inverted: bool):
        """(lines: each a forced line of the value, truth, how)"""
        r, o = self.r, self.o
        names: list[str] = []
        for _ in range(60):
            if len(names) == n:
                break
            comp = kind == "company" or (kind == "mixed" and r.random() < 0.5)
            nm = self.company(not names) if comp else self.person(inverted)
            if nm not in names:
                names.append(nm)
        lines, truth = [], []
        if how in ("dash", "semi", "y", "and"):
            cc_on = r.random() < 0.4
            items = []
            for nm in names:
                cc = (self.country(nm) if r.random() < 0.7 else r.choice(["US", "AR", "MX", "PH", "IT"])) if cc_on else None
                items.append(f"{nm} ({cc})" if cc else nm)
                truth.append((nm, None, cc))
            sep = {"dash": " - ", "semi": "; ", "y": " y ", "and": " and "}[how]
            if how in ("y", "and") and len(items) > 2 and not any("," in i for i in items):
                return [", ".join(items[:-1]) + sep + items[-1]], truth
            return [sep.join(items)], truth
        for nm in names:
            if how == "lines":
                lines.append(nm)
                truth.append((nm, None, None))
            elif how == "cc":
                cc = self.country(nm) if r.random() < 0.75 else r.choice(["US", "JP", "DE", "AR", "MX", "PH"])
                lines.append(f"{nm} ({cc})" if (o == "EP" or r.random() < 0.6) else f"{nm}, {cc}")
                truth.append((nm, None, cc))
            elif how == "semi_addr":
                cc = self.country(nm) if r.random() < 0.85 else r.choice(sorted(STREETS))
                a = self.address(cc)
                on = r.random() < 0.7
                lines.append(f"{nm}; {a}, {cc}" if on else f"{nm}; {a}")
                truth.append((nm, a, cc if on else None))
            elif o == "EP":  # next_addr, the EPO's way: name, [firm,] [street,] postcode town (CC)
                pc, town, cc = r.choice(EP_PLACES)
                extra = ([r.choice(EP_FIRMS)] if kind == "agent" and r.random() < 0.5 else []) + \
                        ([r.choice(EP_STREETS)] if r.random() < 0.7 else [])
                lines += [nm] + extra + [f"{pc} {town} ({cc})"]
                truth.append((nm, " ".join(extra + [f"{pc} {town}"]), cc))
            else:  # next_addr
                cc = self.country(nm) if r.random() < 0.85 else r.choice(sorted(STREETS))
                a = self.address(cc)
                on = r.random() < 0.65
                lines += [nm, (f"{a} ({cc})" if r.random() < 0.5 else f"{a}, {cc}") if on else a]
                truth.append((nm, a, cc if on else None))
        return lines, truth


def content(r: random.Random, o: str) -> dict:
    w = Writer(r, o)
    year = r.randint(2018, 2025)
    fil_year = year - r.choice([1, 1, 2, 3, 5])
    dstyle = {"PH": r.choice(["slash", "long_en", "en_dm", "mon"]), "AR": r.choice(["slash", "slash", "loose", "dots"]),
              "MX": r.choice(["slash", "long_es", "dashes", "slash"]), "EP": "dots"}[o]
    pub_shown, pub = _fmt_date(r, dstyle, year)
    fil_shown, fil = _fmt_date(r, dstyle, fil_year)
    if o == "PH":
        kind = r.choice(["A1", "A1", "B1", "U1"])
        t = "2" if kind == "U1" else "1"
        serial = r.randint(400000, 449999)
        num = f"{t}{fil_year}{serial}"
        app = r.choice([f"{t}-{fil_year}-{serial}", f"{t}/{fil_year}/{serial}"])
        printed = r.choice([f"PH {num} {kind}", f"PH{num} {kind}", f"PH {t}-{fil_year}-{serial} {kind}"])
        doctype = {"A1": "PUBLISHED PATENT APPLICATION", "B1": "LETTERS PATENT FOR INVENTION",
                   "U1": "UTILITY MODEL"}[kind]
    elif o == "AR":
        kind = r.choice(["A1", "A1", "A2", "B1"])
        num = f"{r.randint(290000, 299999)}"
        app = f"{'M' if kind == 'A2' else 'P'}{fil_year}0{r.randint(900000, 999999)}"
        printed = r.choice([f"AR{num}{kind}", f"AR {num} {kind}", f"AR{num} {kind}"])
        doctype = {"A1": "PATENTE DE INVENCIÓN - SOLICITUD PUBLICADA", "A2": "MODELO DE UTILIDAD - SOLICITUD",
                   "B1": "PATENTE DE INVENCIÓN CONCEDIDA"}[kind]
    elif o == "MX":
        kind = r.choice(["A", "A", "B", "U"])
        num = f"{r.randint(510000, 529999)}" if kind == "B" else f"{year}{r.randint(260000, 289999)}"
        app = f"MX/{'u' if kind == 'U' else 'a'}/{fil_year}/{r.randint(260000, 289999):06d}"
        printed = r.choice([f"MX {num} {kind}", f"MX{num}{kind}"])
        doctype = {"A": "SOLICITUD DE PATENTE", "B": "PATENTE", "U": "MODELO DE UTILIDAD"}[kind]
    else:
        kind = r.choice(["A1", "A1", "A2", "B1"])
        num = f"{r.randint(3100000, 3499999)}"
        app = f"{fil_year % 100:02d}1{r.randint(10000, 99999)}.{r.randint(0, 9)}"
        printed = f"EP{NB}{num[0]}{NB}{num[1:4]}{NB}{num[4:]}{NB}{kind}"
        doctype = "EUROPEAN PATENT SPECIFICATION" if kind == "B1" else "EUROPEAN PATENT APPLICATION"
    title, main = r.choice(TITLES_ES if w.spanish else TITLES_EN)
    syms = [main] + r.sample([s for s in IPC_MORE if s != main], r.choice([0, 1, 1, 2, 3]))
    versioned = o == "EP" or r.random() < 0.7
    vers = [r.choice(VERSIONS) for _ in syms]
    ipc_truth = [f"{s} ({v})" if versioned else s for s, v in zip(syms, vers)]
    ipc_shown = [x.replace(" ", NB) for x in ipc_truth]
    ipc_sep = r.choice(["\n", "\n", ", ", "; "])

    inverted = o in ("AR", "EP") or r.random() < 0.5
    if o == "EP":
        app_how, inv_how, ag_how = r.choice(["next_addr", "next_addr", "cc"]), r.choice(["next_addr", "next_addr", "cc", "semi"]), "next_addr"
    else:
        pool = {"PH": ["lines", "lines", "cc", "and", "semi", "dash", "next_addr", "semi_addr"],
                "AR": ["dash", "dash", "lines", "semi", "y", "cc", "next_addr", "semi_addr"],
                "MX": ["semi_addr", "lines", "y", "semi", "cc", "next_addr", "dash", "lines"]}[o]
        app_how, inv_how = r.choice(pool), r.choice(pool)
        ag_how = r.choice(["lines", "lines", "cc", "semi", "y" if w.spanish else "and"])
    n_app = r.choice([1, 1, 1, 2, 2, 3, 4])
    n_inv = r.choice([1, 2, 2, 3, 4]) if r.random() < 0.82 else r.choice([5, 6])
    n_ag = r.choice([0, 1, 1, 1, 2])
    joined = ("dash", "semi", "y", "and")
    app_how = "lines" if n_app == 1 and app_how in joined else app_how
    inv_how = "lines" if n_inv == 1 and inv_how in joined else inv_how
    ag_how = "lines" if n_ag < 2 and ag_how in joined else ag_how
    app_lines, app_t = w.parties(n_app, "mixed" if r.random() < 0.3 else "company", app_how, inverted)
    inv_lines, inv_t = w.parties(n_inv, "person", inv_how, inverted)
    ag_lines, ag_t = w.parties(n_ag, "agent" if o == "EP" else "person", ag_how, True) if n_ag else ([], [])

    L = dict(r.choice(LABELS[o]))
    pd = {"AR": "41", "PH": "45" if kind == "B1" else "43", "MX": "45" if kind == "B" else "43",
          "EP": "45" if kind == "B1" else "43"}[o]
    nc = "10" if o == "AR" else "11"
    if o == "EP":
        L["72"] = "Inventor" if n_inv == 1 else "Inventors"
        L["71"] = "Applicant" if n_app == 1 else "Applicants"
        L["73"] = "Proprietor" if n_app == 1 else "Proprietors"
        wk = (int(pub[8:]) + 31 * int(pub[5:7])) // 7  # a bulletin number of the year (printed only)
        pub_value = f"{pub_shown}{NB}{NB}Bulletin{NB}{pub[:4]}/{min(wk, 52):02d}"
    elif o == "AR" and r.random() < 0.4:
        pub_value = f"{pub_shown} - Bol. Nro. {r.randint(1400, 1499)}"
    else:
        pub_value = pub_shown

    F = []  # code, label, lines (forced lines), flags: short (a boxed cell), run (one filled paragraph)
    if o != "EP":
        F.append({"code": nc, "label": L[nc], "lines": [printed.replace(" ", NB)], "short": True})
    F.append({"code": "21", "label": L["21"], "lines": [app], "short": True})
    F.append({"code": "22", "label": L["22"], "lines": [fil_shown], "short": True})
    if r.random() < 0.3:
        prs, _ = _fmt_date(r, dstyle, fil_year - 1)
        pcc = r.choice(["US", "KR", "BR", "CL", "DE", "IN"])
        prn = {"US": f"18/{r.randint(100, 999)},{r.randint(100, 999)}", "KR": f"10-{fil_year - 1}-{r.randint(1000000, 1999999)}",
               "BR": f"10{NB}{fil_year - 1}{NB}0{r.randint(10000, 99999)}{NB}{r.randint(1, 9)}",
               "CL": f"{r.randint(100, 3999)}-{fil_year - 1}", "DE": f"10{NB}{fil_year - 1}{NB}{r.randint(100, 999)}{NB}{r.randint(100, 999)}.{r.randint(1, 9)}",
               "IN": f"{fil_year - 1}{r.randint(11000000, 11099999)}"}[pcc]
        F.append({"code": "30", "label": L["30"], "lines": [f"{pcc} {prn} {prs}" if w.spanish else f"{prs} {pcc} {prn}"],
                  "short": o != "EP"})
    if o != "EP":
        F.append({"code": pd, "label": L[pd], "lines": [pub_value], "short": True})
    else:
        F.insert(0, {"code": pd, "label": L[pd], "lines": [pub_value]})
        if kind != "B1" and r.random() < 0.5:
            F.append({"code": "84", "label": L["84"], "lines": [EP_STATES], "run": True})
    ipc_lines = ipc_shown if ipc_sep == "\n" else [ipc_sep.join(ipc_shown)]
    F.append({"code": "51", "label": L["51"], "lines": ipc_lines, "short": len(ipc_lines) == 1 and len(syms) < 3})
    F.append({"code": "54", "label": L["54"], "lines": [title], "bold": r.random() < 0.55, "run": True})
    pc = "73" if (o == "EP" and kind == "B1") else "71"
    F.append({"code": pc, "label": L[pc], "lines": app_lines, "parties": True})
    F.append({"code": "72", "label": L["72"], "lines": inv_lines, "parties": True})
    if ag_lines:
        F.append({"code": "74", "label": L["74"], "lines": ag_lines, "parties": True})
    low = title.lower() if title.isupper() else title[0].lower() + title[1:]
    if w.spanish:
        art = "una " if low.split()[0].endswith(("a", "ión", "dad")) else "un "
    else:
        art = "an " if low[0] in "aeiou" else "a "
    abstract = {"code": "57", "label": L["57"], "text": ABSTRACT["es" if w.spanish else "en"].format(t=art + low)}
    header = {"PH": ["REPUBLIC OF THE PHILIPPINES", "INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES",
                     "Bureau of Patents"],
              "AR": ["(19) REPÚBLICA ARGENTINA", "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL",
                     "Administración Nacional de Patentes"],
              "MX": ["(19) MÉXICO", "INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL", "Gaceta de la Propiedad Industrial"],
              "EP": ["(19) Europäisches Patentamt", "European Patent Office", "Office européen des brevets"]}[o]
    truth = {"office": o, "doc_number": num, "kind": kind, "publication_date": pub, "application_number": app,
             "filing_date": fil, "title": title, "ipc": ipc_truth}
    truth["assignees" if pc == "73" else "applicants"] = app_t
    truth["inventors"] = inv_t
    if ag_lines:
        truth["agents"] = ag_t
    shown = {"doc_number": printed.replace(NB, " "), "publication_date": pub_shown.replace(NB, " "),
             "filing_date": fil_shown.replace(NB, " "), "date_style": dstyle}
    hows = {"applicants": app_how, "inventors": inv_how, "agents": ag_how if ag_lines else ""}
    return {"header": header, "doctype": f"(12) {doctype}", "number": printed, "fields": F, "abstract": abstract,
            "truth": truth, "shown": shown, "hows": hows}


# ----------------------------------------------------------------------------- the Writer document
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"')


def inline(s: str) -> str:
    """Text to ODF inline content: tabs, forced line breaks, runs of spaces kept."""
    out = []
    for k, line in enumerate(s.split("\n")):
        if k:
            out.append("<text:line-break/>")
        for j, cell in enumerate(line.split("\t")):
            if j:
                out.append("<text:tab/>")
            out.append(re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group()) - 1}"/>',
                              html.escape(cell, quote=False)))
    return "".join(out)


def span(style: str, s: str) -> str:
    return f'<text:span text:style-name="{style}">{inline(s)}</text:span>' if s else ""


def page_style(r: random.Random, o: str) -> dict:
    layout = r.choice({"PH": ["runin", "tabs", "two", "margin", "boxes", "above"],
                       "AR": ["grid", "grid", "dash_runin", "tabs", "boxes", "two"],
                       "MX": ["grid", "boxes", "tabs", "two", "margin", "runin"],
                       "EP": ["two", "two", "two", "margin", "tabs"]}[o])
    body = r.choice(list(FAMILIES))
    label = body if r.random() < 0.6 else r.choice([f for f in FAMILIES if f != body])
    return {"layout": layout, "body": body, "label_family": label,
            "pt": r.choice([9.5, 10, 10.5, 11]) + (0.5 if body == "EB Garamond" else 0),
            "spacing": r.choice([0.06, 0.12, 0.2]), "inid": "margin" if layout == "margin" else r.choice(["paren", "paren", "bare"]),
            "lab_bold": r.random() < 0.55, "lab_italic": r.random() < 0.3, "mark": r.choice([":", ":", "", "."]),
            "justify": r.random() < 0.45, "hang": r.choice([0.6, 1.0, 1.4]), "left": round(r.uniform(1.8, 2.6), 2),
            "right": round(r.uniform(1.5, 2.2), 2), "top": round(r.uniform(1.3, 2.2), 2),
            "boxed_number": r.random() < 0.4, "col_rule": r.random() < 0.5, "head_rule": r.random() < 0.6,
            "label_above_in_two": r.random() < 0.4, "angle": round(r.uniform(-0.6, 0.6), 3)}


def _code(code: str, sty: dict) -> str:
    return code if sty["inid"] == "bare" else f"({code})"


def _lab(label: str, sty: dict) -> str:
    if not label:
        return ""
    return label if (label.endswith(".") and sty["mark"] == ".") else label + sty["mark"]


def _label_cm(text: str, sty: dict) -> float:
    f = ImageFont.truetype(FAMILIES[sty["label_family"]], 100)
    return f.getlength(text) / 100 * sty["pt"] * (1.08 if sty["lab_bold"] else 1.0) * 2.54 / 72


class Doc:
    def __init__(self, sty: dict):
        self.sty = sty
        self.auto: list[str] = []
        self.body: list[str] = []
        self.n = 0
        self.brk = False

    def pstyle(self, props: str, text: str = "", parent: str = "Standard", tabs: list[float] | None = None) -> str:
        self.n += 1
        name = f"P{self.n}"
        stops = ""
        if tabs:
            stops = "<style:tab-stops>" + "".join(f'<style:tab-stop style:position="{t:.2f}cm"/>' for t in tabs) + \
                    "</style:tab-stops>"
        self.auto.append(f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="{parent}">'
                         f'<style:paragraph-properties {props}>{stops}</style:paragraph-properties>'
                         + (f"<style:text-properties {text}/>" if text else "") + "</style:style>")
        return name

    def p(self, style: str, content: str):
        if self.brk:  # the same paragraph style with a column break before it
            src = next(a for a in self.auto if f'style:name="{style}"' in a)
            style = style + "b"
            self.auto.append(src.replace('style:name="' + style[:-1] + '"', f'style:name="{style}"', 1)
                             .replace("<style:paragraph-properties ", '<style:paragraph-properties fo:break-before="column" ', 1))
            self.brk = False
        self.body.append(f'<text:p text:style-name="{style}">{content}</text:p>')


def _value(f: dict, sty: dict) -> str:
    """A field's value as inline ODF: forced lines; a title in bold when the page says so."""
    txt = "\n".join(f["lines"])
    return span("Tb", txt) if f.get("bold") else inline(txt)


def fields_flow(d: Doc, fields: list[dict], sty: dict, mode: str, width: float, brk: bool = False):
    """One paragraph a field. mode: runin (code label value, hanging indent), tabs (code | label |
    value at tab stops, continuation lines at the value's stop), margin (the code out in the page
    margin), above (code and label, the value below, indented), dash_runin (INPI: ``(21) Acta - value``)."""
    sp = sty["spacing"]
    d.brk = brk  # the first paragraph starts a new column (the two-column section)
    if mode == "tabs":
        cw = _label_cm("(00)", sty) + 0.35
        lw = max(_label_cm(_lab(f["label"], sty), sty) for f in fields) + 0.4
        if cw + lw > 0.48 * width:
            mode = "above"
        else:
            st = d.pstyle(f'fo:margin-left="{cw + lw:.2f}cm" fo:text-indent="-{cw + lw:.2f}cm" '
                          f'fo:margin-bottom="{sp:.2f}cm"', tabs=[-lw, 0.0])  # stops from the indent
            for f in fields:
                d.p(st, span("Tc", _code(f["code"], sty)) + "<text:tab/>" + span("Tl", _lab(f["label"], sty))
                    + "<text:tab/>" + _value(f, sty))
            return
    if mode == "margin":
        m = _label_cm("(00)", sty) + 0.5
        st = d.pstyle(f'fo:margin-left="0cm" fo:text-indent="-{m:.2f}cm" fo:margin-bottom="{sp:.2f}cm"')
        above = sty["label_above_in_two"]
        for f in fields:
            lab = _lab(f["label"], sty)
            if above and lab:
                d.p(st, span("Tc", _code(f["code"], sty)) + "<text:tab/>" + span("Tl", lab) + "<text:line-break/>"
                    + _value(f, sty))
            else:
                d.p(st, span("Tc", _code(f["code"], sty)) + "<text:tab/>" + (span("Tl", lab) + " " if lab else "")
                    + _value(f, sty))
        return
    if mode == "above":
        st_l = d.pstyle('fo:margin-bottom="0.02cm" fo:keep-with-next="always"')
        st_v = d.pstyle(f'fo:margin-left="{sty["hang"]:.2f}cm" fo:margin-bottom="{sp + 0.05:.2f}cm"')
        for f in fields:
            d.p(st_l, span("Tc", _code(f["code"], sty)) + (" " + span("Tl", _lab(f["label"], sty)) if f["label"] else ""))
            d.p(st_v, _value(f, sty))
        return
    h = sty["hang"]
    just = ' fo:text-align="justify"' if sty["justify"] else ""
    st = d.pstyle(f'fo:margin-left="{h:.2f}cm" fo:text-indent="-{h:.2f}cm" fo:margin-bottom="{sp:.2f}cm"{just}')
    for f in fields:
        lab = _lab(f["label"], sty)
        if mode == "dash_runin":
            head = span("Tc", _code(f["code"], sty)) + " " + (span("Tl", f["label"]) + " - " if f["label"] else "")
        else:
            head = span("Tc", _code(f["code"], sty)) + " " + (span("Tl", lab) + " " if lab else "")
        d.p(st, head + _value(f, sty))


def _cell(style: str, paras: list[tuple[str, str]], span_cols: int = 1) -> str:
    extra = f' table:number-columns-spanned="{span_cols}"' if span_cols > 1 else ""
    inner = "".join(f'<text:p text:style-name="{ps}">{c}</text:p>' for ps, c in paras)
    out = f'<table:table-cell table:style-name="{style}" office:value-type="string"{extra}>{inner}</table:table-cell>'
    return out + "<table:covered-table-cell/>" * (span_cols - 1)


def fields_grid(d: Doc, fields: list[dict], sty: dict, width: float):
    """The IMPI/INPI gazette grid as a Writer table: code | label | value, every cell ruled."""
    d.n += 1
    t = f"Tab{d.n}"
    cw = _label_cm("(00)", sty) + 0.5
    lw = min(max(_label_cm(_lab(f["label"], sty), sty) for f in fields) + 0.6, 0.34 * width)
    if lw < 0.8:
        lw = 0.8
    vw = width - cw - lw
    d.auto.append(f'<style:style style:name="{t}" style:family="table"><style:table-properties style:width="{width:.2f}cm" '
                  f'table:align="left" fo:margin-bottom="0.3cm"/></style:style>')
    for k, wcm in enumerate((cw, lw, vw)):
        d.auto.append(f'<style:style style:name="{t}.C{k}" style:family="table-column">'
                      f'<style:table-column-properties style:column-width="{wcm:.2f}cm"/></style:style>')
    d.auto.append(f'<style:style style:name="{t}.X" style:family="table-cell"><style:table-cell-properties '
                  f'fo:padding="0.1cm" fo:border="0.6pt solid #000000"/></style:style>')
    pv = d.pstyle('fo:margin-bottom="0cm"')
    rows = []
    for f in fields:
        rows.append("<table:table-row>" + _cell(f"{t}.X", [(pv, span("Tc", _code(f["code"], sty)))])
                    + _cell(f"{t}.X", [(pv, span("Tl", f["label"]))]) + _cell(f"{t}.X", [(pv, _value(f, sty))])
                    + "</table:table-row>")
    d.body.append(f'<table:table table:name="G{d.n}" table:style-name="{t}">'
                  + "".join(f'<table:table-column table:style-name="{t}.C{k}"/>' for k in range(3))
                  + "".join(rows) + "</table:table>")


def fields_boxes(d: Doc, fields: list[dict], sty: dict, width: float):
    """Boxes as a Writer table of two columns: a small label above the value; long fields across."""
    d.n += 1
    t = f"Tab{d.n}"
    d.auto.append(f'<style:style style:name="{t}" style:family="table"><style:table-properties style:width="{width:.2f}cm" '
                  f'table:align="left" fo:margin-bottom="0.3cm"/></style:style>')
    d.auto.append(f'<style:style style:name="{t}.C" style:family="table-column">'
                  f'<style:table-column-properties style:column-width="{width / 2:.2f}cm"/></style:style>')
    d.auto.append(f'<style:style style:name="{t}.X" style:family="table-cell"><style:table-cell-properties '
                  f'fo:padding="0.12cm" fo:border="0.8pt solid #000000"/></style:style>')
    pl = d.pstyle('fo:margin-bottom="0.05cm"', text=f'fo:font-size="{sty["pt"] * 0.8:.1f}pt"')
    pv = d.pstyle('fo:margin-bottom="0cm"')
    short = [f for f in fields if f.get("short")]
    rows = [short[i:i + 2] for i in range(0, len(short), 2)] + [[f] for f in fields if not f.get("short")]
    out = []
    for row in rows:
        cells = ""
        for f in row:
            head = (span("Tc", _code(f["code"], sty)) + " " + span("Tl", f["label"])).strip()
            cells += _cell(f"{t}.X", [(pl, head), (pv, _value(f, sty))], 2 if len(row) == 1 else 1)
        out.append(f"<table:table-row>{cells}</table:table-row>")
    d.body.append(f'<table:table table:name="B{d.n}" table:style-name="{t}">'
                  f'<table:table-column table:style-name="{t}.C" table:number-columns-repeated="2"/>'
                  + "".join(out) + "</table:table>")


def fodt(doc: dict, sty: dict, o: str) -> str:
    d = Doc(sty)
    pt, width = sty["pt"], 21.0 - sty["left"] - sty["right"]
    fam, lfam = sty["body"], sty["label_family"]
    lang = 'fo:language="es" fo:country="AR"' if o in ("AR", "MX") else 'fo:language="en" fo:country="GB"'
    # header
    hc = d.pstyle('fo:text-align="center" fo:margin-bottom="0.05cm"', text=f'fo:font-size="{pt * 1.15:.1f}pt" fo:font-weight="bold"')
    hs = d.pstyle('fo:text-align="center" fo:margin-bottom="0.05cm"', text=f'fo:font-size="{pt:.1f}pt"')
    rule = (' fo:border-bottom="1.2pt solid #000000" fo:padding-bottom="0.12cm"' if sty["head_rule"] else "")
    dt = d.pstyle(f'fo:text-align="center" fo:margin-top="0.2cm" fo:margin-bottom="0.45cm"{rule}',
                  text=f'fo:font-size="{pt * 1.25:.1f}pt" fo:font-weight="bold"')
    if o == "EP":
        hl = d.pstyle('fo:margin-bottom="0cm"', text=f'fo:font-size="{pt:.1f}pt"')
        hr = d.pstyle('fo:text-align="end" fo:margin-bottom="0cm"', text=f'fo:font-size="{pt * 1.8:.1f}pt" fo:font-weight="bold"')
        d.n += 1
        t = f"H{d.n}"
        d.auto.append(f'<style:style style:name="{t}" style:family="table"><style:table-properties style:width="{width:.2f}cm" table:align="left"/></style:style>')
        num = inline(f"(11) {doc['number']}")
        d.body.append(f'<table:table table:name="{t}" table:style-name="{t}"><table:table-column table:number-columns-repeated="2"/>'
                      "<table:table-row>" + _cell("", [(hl, inline(x)) for x in doc["header"]]) + _cell("", [(hr, num)])
                      + "</table:table-row></table:table>")
    else:
        d.p(hc, inline(doc["header"][0]))
        d.p(hc, inline(doc["header"][1]))
        d.p(hs, inline(doc["header"][2]))
    d.p(dt, inline(doc["doctype"]))
    fields = list(doc["fields"])
    lay = sty["layout"]
    if lay not in ("grid", "boxes") and o != "EP" and sty["boxed_number"]:  # the number boxed under the header
        nf = fields[0]
        fields = fields[1:]
        bx = d.pstyle('fo:text-align="end" fo:margin-bottom="0.3cm" fo:margin-left="{:.2f}cm" fo:border="1pt solid #000000" '
                      'fo:padding="0.15cm"'.format(width * 0.5), text=f'fo:font-size="{pt * 1.3:.1f}pt" fo:font-weight="bold"')
        d.p(bx, span("Tc", _code(nf["code"], sty)) + " " + (span("Tl", _lab(nf["label"], sty)) + " " if nf["label"] else "")
            + inline(nf["lines"][0]))
    if lay in ("runin", "tabs", "margin", "above", "dash_runin"):
        fields_flow(d, fields, sty, lay, width)
    elif lay == "grid":
        fields_grid(d, fields, sty, width)
    elif lay == "boxes":
        fields_boxes(d, fields, sty, width)
    else:  # two: a Writer section of two columns, the right column after a column break
        right = ("51", "54", "71", "73", "72", "74") if o == "EP" else ("54", "71", "72", "73", "74")
        left = [f for f in fields if f["code"] not in right]
        rest = [f for f in fields if f["code"] in right]
        gap = 0.8
        colw = (width - gap) / 2
        sep = ('<style:column-sep style:width="0.6pt" style:color="#000000" style:height="100%" '
               'style:vertical-align="top"/>' if sty["col_rule"] else "")
        d.auto.append('<style:style style:name="Sect1" style:family="section"><style:section-properties '
                      'text:dont-balance-text-columns="true">'
                      f'<style:columns fo:column-count="2" fo:column-gap="{gap}cm">{sep}'
                      f'<style:column style:rel-width="1*" fo:start-indent="0cm" fo:end-indent="{gap / 2}cm"/>'
                      f'<style:column style:rel-width="1*" fo:start-indent="{gap / 2}cm" fo:end-indent="0cm"/>'
                      '</style:columns></style:section-properties></style:style>')
        mode = "above" if sty["label_above_in_two"] else "runin"
        start = len(d.body)
        fields_flow(d, left, sty, mode, colw)
        fields_flow(d, rest, sty, mode, colw, brk=True)
        cols = d.body[start:]
        del d.body[start:]
        d.body.append('<text:section text:style-name="Sect1" text:name="Columns">' + "".join(cols) + "</text:section>")
    ab = doc["abstract"]
    ah = d.pstyle('fo:margin-top="0.35cm" fo:margin-bottom="0.15cm"')
    ap = d.pstyle('fo:text-align="justify" fo:margin-bottom="0cm"')
    if sty["inid"] == "margin":
        ah = d.pstyle(f'fo:margin-top="0.35cm" fo:margin-bottom="0.15cm" fo:text-indent="-{_label_cm("(00)", sty) + 0.5:.2f}cm"')
        d.p(ah, span("Tc", _code("57", sty)) + "<text:tab/>" + span("Tl", ab["label"]))
    else:
        d.p(ah, span("Tc", _code("57", sty)) + (" " + span("Tl", ab["label"]) if ab["label"] else ""))
    d.p(ap, inline(ab["text"]))
    left = sty["left"] + (1.2 if sty["inid"] == "margin" else 0)
    lab_props = (f'style:font-name="{lfam}"' + (' fo:font-weight="bold"' if sty["lab_bold"] else "")
                 + (' fo:font-style="italic"' if sty["lab_italic"] else ""))
    # lining figures (Writer's "Family:feature" name syntax): EB Garamond's default old-style figures
    # are no patent office's
    fonts = "".join(f'<style:font-face style:name="{f}" svg:font-family="&apos;{f}{":lnum" if f == "EB Garamond" else ""}&apos;"/>'
                    for f in FAMILIES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>{fonts}</office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties style:tab-stop-distance="1.25cm"/>
<style:text-properties style:font-name="{fam}" fo:font-size="{pt}pt" {lang} fo:hyphenate="false"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:line-height="{r_lead(sty)}%"/>
<style:text-properties style:font-name="{fam}" fo:font-size="{pt}pt" {lang}/></style:style>
<style:style style:name="Tc" style:family="text"><style:text-properties {lab_props}/></style:style>
<style:style style:name="Tl" style:family="text"><style:text-properties {lab_props}/></style:style>
<style:style style:name="Tb" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="PM"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
 fo:margin-top="{sty['top']}cm" fo:margin-bottom="1.2cm" fo:margin-left="{left:.2f}cm" fo:margin-right="{sty['right']}cm"/></style:page-layout>
{chr(10).join(d.auto)}
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="PM"/></office:master-styles>
<office:body><office:text>
{chr(10).join(d.body)}
</office:text></office:body></office:document>
"""


def r_lead(sty: dict) -> int:
    return {9.5: 112, 10: 108, 10.5: 105, 11: 104, 11.5: 102, 9: 112, 8.5: 112, 8: 110}.get(sty["pt"], 106)


# ----------------------------------------------------------------------------- conversion (one batch)
def _tools() -> tuple[str, str]:
    office, raster = shutil.which("soffice"), shutil.which("pdftoppm")
    if office is None or raster is None:
        raise SystemExit("sealed9 skipped: it needs LibreOffice Writer's soffice (Debian libreoffice-writer-nogui) and "
                         "pdftoppm (poppler-utils), with the Lato, EB Garamond and Charis SIL faces "
                         "(fonts-lato, fonts-ebgaramond, fonts-sil-charis)")
    return office, raster


def _key(src: str) -> str:
    return hashlib.sha1((CONVERT_VERSION + src).encode()).hexdigest()[:12]


def convert(sources: dict[str, str]) -> dict[str, Path]:
    """name -> .fodt text  =>  name -> PDF; every PDF not already in build/ from ONE soffice call."""
    office, _ = _tools()
    BUILD.mkdir(parents=True, exist_ok=True)
    out, todo = {}, []
    for name, src in sources.items():
        stem = BUILD / f"{name}-{_key(src)}"
        out[name] = stem.with_suffix(".pdf")
        if not out[name].is_file():
            stem.with_suffix(".fodt").write_text(src, encoding="utf-8")
            todo.append(str(stem.with_suffix(".fodt")))
    if todo:
        profile = (BUILD / "profile").resolve()
        env = {"PATH": "/usr/bin:/bin", "HOME": str(profile), "LANG": "C.UTF-8", "SAL_USE_VCLPLUGIN": "svp"}
        subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(BUILD)] + todo,
                       check=True, capture_output=True, env=env, timeout=1800)
        for t in todo:
            if not Path(t).with_suffix(".pdf").is_file():
                raise SystemExit(f"sealed9: soffice wrote no PDF for {t}")
    return out


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def raster(pdf: Path) -> Path:
    """The first sheet at 300 dpi, grey, cached beside the PDF."""
    _, exe = _tools()
    png = pdf.with_suffix(".png")
    if not png.is_file():
        subprocess.run([exe, "-r", "300", "-gray", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf),
                        str(pdf.with_suffix(""))], check=True, capture_output=True)
    return png


def pdf_text(pdf: Path) -> list[str]:
    """The first sheet's text in the order Writer drew it (``pdftotext -raw``), line by line."""
    res = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, check=True)
    return [ln.replace(NB, " ") for ln in res.stdout.decode("utf-8").splitlines() if ln.strip()]


# ----------------------------------------------------------------------------- the scanner
def _rotate(grey: np.ndarray, deg: float, g: np.random.Generator) -> Image.Image:
    """The sheet a little crooked on the glass and off its corner: a true rotation and a shift."""
    im = Image.fromarray(grey).rotate(deg, resample=Image.BICUBIC, expand=False, fillcolor=255,
                                      translate=(float(g.uniform(-14, 14)), float(g.uniform(-10, 10))))
    return im


def _waves(h: int, w: int, g: np.random.Generator, n: int = 4) -> np.ndarray:
    """A smooth field in [-1, 1]: a few slanted sinusoids of a page's size (uneven toner, lamp)."""
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    f = np.zeros_like(yy)
    for _ in range(n):
        ky, kx = g.uniform(-1, 1, 2) * 2 * np.pi / g.uniform(900, 3000)
        f += np.sin(ky * yy + kx * xx + g.uniform(0, 2 * np.pi))
    f /= n
    return np.asarray(Image.fromarray(f).resize((w, h), Image.BILINEAR))


def scan_office(grey: np.ndarray, seed: int, deg: float) -> tuple[np.ndarray, int]:
    """A 300-dpi office scanner in its black-and-white mode: the sheet rotated a fraction of a degree,
    the optics' softness (a Gaussian), toner density varying over the page (slow waves shifting
    the threshold: strokes thinner in one part, fuller in another), sensor noise, a fixed threshold;
    then the lid's dark edge on one side, a few dust specks and, on some scans, a pale vertical
    dropout (a dirty sensor pixel)."""
    g = np.random.default_rng(seed)
    im = _rotate(grey, deg, g).filter(ImageFilter.GaussianBlur(float(g.uniform(0.7, 1.1))))
    a = np.asarray(im).astype(np.float32)
    h, w = a.shape
    a += 28 * _waves(h, w, g) + g.normal(0, 9, a.shape).astype(np.float32)
    out = np.where(a < float(g.uniform(140, 175)), 0, 255).astype(np.uint8)
    side = int(g.integers(0, 4))
    band = int(g.integers(8, 40))
    if side == 0:
        out[:band, :] = 0
    elif side == 1:
        out[:, w - band:] = 0
    for _ in range(int(g.integers(15, 50))):
        y, x, s = int(g.integers(0, h - 4)), int(g.integers(0, w - 4)), int(g.integers(1, 4))
        out[y:y + s, x:x + s] = 0
    if g.random() < 0.35:
        x = int(g.integers(300, w - 300))
        out[:, x:x + 2] = 255
    return out, 300


def scan_poor(grey: np.ndarray, seed: int, deg: float) -> tuple[np.ndarray, int]:
    """A poor scan: 150-200 dpi (area resampling), out of focus (Gaussian), a yellowed page and
    faded ink (contrast squeezed, gamma), a slow shading across the sheet, speckle noise and a coarse
    JPEG."""
    g = np.random.default_rng(seed)
    dpi = int(g.choice([150, 180, 200, 200]))
    im = _rotate(grey, deg * 1.6, g)
    w, h = im.size
    im = im.resize((round(w * dpi / 300), round(h * dpi / 300)), Image.BOX)
    im = im.filter(ImageFilter.GaussianBlur(float(g.uniform(0.5, 0.9))))
    a = np.asarray(im).astype(np.float32) / 255.0
    a = a ** float(g.uniform(0.85, 1.15))
    hh, ww = a.shape
    ink, paper = float(g.uniform(25, 70)), float(g.uniform(195, 235))
    v = ink + (paper - ink) * a + 12 * _waves(hh, ww, g, 3)
    v += g.normal(0, float(g.uniform(4, 8)), v.shape)
    speck = g.random(v.shape) < 0.0008
    v[speck] = ink
    buf = io.BytesIO()
    Image.fromarray(np.clip(v, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=int(g.integers(25, 55)))
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("L")), dpi


# ----------------------------------------------------------------------------- the set
def _name(o: str, i: int) -> str:
    return f"S9-{o}-{i:02d}"


def _plan(o: str, i: int, seed: int) -> tuple[dict, dict]:
    r = random.Random(f"sealed9|{seed}|{o}|{i}")
    doc = content(r, o)
    return doc, page_style(r, o)


def _smaller(sty: dict) -> dict:
    return dict(sty, pt=sty["pt"] - 0.5, spacing=max(0.02, sty["spacing"] - 0.06), top=max(1.0, sty["top"] - 0.3))


def layout_all(names: list[tuple[str, int]], seed: int = SEED) -> dict[str, tuple[dict, dict, Path]]:
    """Every page asked for converted: one soffice call for all; a page that runs onto a second
    sheet is set again half a point smaller (one more call for those), up to four times."""
    plans = {_name(o, i): (o, *_plan(o, i, seed)) for o, i in names}
    done: dict[str, tuple[dict, dict, Path]] = {}
    pending = dict(plans)
    for _ in range(5):
        pdfs = convert({n: fodt(doc, sty, o) for n, (o, doc, sty) in pending.items()})
        again = {}
        for n, (o, doc, sty) in pending.items():
            if pages_of(pdfs[n]) > 1:
                again[n] = (o, doc, _smaller(sty))
            done[n] = (doc, sty, pdfs[n])
        if not again:
            break
        pending = again
    return done


def _sample(name: str, doc: dict, sty: dict, pdf: Path, seed: int) -> Sealed9Sample:
    grey = np.array(Image.open(raster(pdf)).convert("L"))
    s = int(hashlib.sha1(f"{seed}|{name}".encode()).hexdigest()[:8], 16)
    lay = dict(doc["hows"], layout=sty["layout"], body=sty["body"], label_family=sty["label_family"], pt=sty["pt"],
               inid=sty["inid"], mark=sty["mark"], sheets=pages_of(pdf))
    return Sealed9Sample(name, name.split("-")[1], grey, doc["truth"], [],
                         {"office": scan_office(grey, s + 11, sty["angle"]), "poor": scan_poor(grey, s + 29, sty["angle"])},
                         pdf_text(pdf), lay, doc["shown"])


def build_all(names: list[tuple[str, int]], seed: int = SEED) -> list[Sealed9Sample]:
    laid = layout_all(names, seed)
    return [_sample(_name(o, i), *laid[_name(o, i)], seed) for o, i in names]


def build(o: str, i: int, seed: int = SEED) -> Sealed9Sample:
    return build_all([(o, i)], seed)[0]


def _all_names() -> list[tuple[str, int]]:
    return [(o, i) for o in OFFICES for i in range(1, PER_OFFICE + 1)]


def sealed9_set(seed: int = SEED) -> list[Sealed9Sample]:
    """The reported set: 74 documents (80 minus REGRESSION)."""
    return build_all([(o, i) for o, i in _all_names() if _name(o, i) not in REGRESSION], seed)


def regression_set(seed: int = SEED) -> list[Sealed9Sample]:
    """The six REGRESSION documents (not in the reported figure)."""
    return build_all([(n.split("-")[1], int(n.split("-")[2])) for n in REGRESSION], seed)


# ----------------------------------------------------------------------------- checks (no digitize)
def _flat(s: str) -> str:
    """Spaces ignored: pdftotext drops a no-break space Writer set as a gap, and a line's end is no
    character either (the words themselves and their order are compared)."""
    return re.sub(r"\s+", "", s.replace(NB, " "))


def unprinted(sample: Sealed9Sample) -> list[str]:
    """Every truth value not found in the PDF's own text (pdftotext of the first sheet, lines joined
    by spaces); empty when the page prints them all."""
    text = _flat(" ".join(sample.text))
    t, sh = sample.truth, sample.shown
    miss = []
    if sample.layout.get("sheets", 1) != 1:
        miss.append(f"{sample.layout['sheets']} sheets")
    for k in ("application_number", "title"):
        if _flat(t[k]) not in text:
            miss.append(f"{k}: {t[k]}")
    no = sh["doc_number"]
    digits = "".join(c for c in no[:-len(t["kind"])] if c.isdigit())
    if _flat(no) not in text or not no.endswith(t["kind"]) or digits != t["doc_number"]:
        miss.append(f"doc_number/kind: {t['doc_number']} {t['kind']}")
    miss += [f"ipc: {s}" for s in t["ipc"] if _flat(s) not in text]
    for key in ("applicants", "assignees", "inventors", "agents"):
        for nm, addr, cc in t.get(key, []):
            if _flat(nm) not in text:
                miss.append(f"{key}: {nm}")
            if addr and _flat(addr) not in text:
                miss.append(f"{key} address: {addr}")
            if cc and f"({cc})" not in text and f",{cc}" not in text:
                miss.append(f"{key} country: {cc}")
    for key in ("publication_date", "filing_date"):
        if _flat(sh[key]) not in text or _iso_of(sh[key], sh["date_style"]) != t[key]:
            miss.append(f"{key}: {t[key]} / {sh[key]}")
    return miss


def tesseract_share(sample: Sealed9Sample, level: str) -> float:
    """Raw ``tesseract`` CLI only: the share of the truth's words (number, title, party names)
    found in its reading of the scan."""
    im, dpi = sample.degraded[level]
    buf = io.BytesIO()
    Image.fromarray(im).save(buf, "PNG", dpi=(dpi, dpi))
    lang = "spa" if sample.office in ("AR", "MX") else "eng"
    res = subprocess.run(["tesseract", "-", "-", "-l", lang, "--dpi", str(dpi)], input=buf.getvalue(),
                         capture_output=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    seen = set(re.split(r"[\s,;]+", res.stdout.decode("utf-8", "replace")))
    t = sample.truth
    words = [t["doc_number"]] + t["title"].split()
    for key in ("applicants", "assignees", "inventors", "agents"):
        words += [x for nm, _, _ in t.get(key, []) for x in re.split(r"[\s,]+", nm) if x]
    return sum(x in seen or x.rstrip(".") in seen for x in words) / len(words)


EARLIER = ["digitize/synth_frontpages.py", "bench/frontpage_sealed.py", "bench/frontpage_sealed2.py",
           "bench/frontpage_sealed3.py", "bench/frontpage_sealed4.py", "bench/frontpage_sealed5.py",
           "bench/frontpage_sealed6.py", "bench/frontpage_sealed6/Render.java", "bench/frontpage_sealed7.py",
           "bench/frontpage_sealed8.py"]


def overlap() -> list[str]:
    """Pool entries of this set found in the earlier sets' files read as text (nothing imported):
    every name word of 3+ letters, every company, street, town, firm, title and IPC symbol."""
    root = HERE.parent
    txt = "\n".join((root / f).read_text(encoding="utf-8") for f in EARLIER if (root / f).is_file()).lower()
    words = set(re.findall(r"\w+", txt))
    hits = []
    for pool in (SUR, GIV):
        for lst in pool.values():
            hits += [f"name word {x!r} ({s})" for s in lst for x in re.findall(r"\w+", s)
                     if len(x) >= 3 and x.lower() in words]
    entries = [c for lst in list(CO.values()) + list(CO_LONG.values()) for c in lst] + EP_STREETS + EP_FIRMS
    entries += [x for lst in STREETS.values() for st, city, _, _ in lst for x in (st, city)]
    entries += [town for _, town, _ in EP_PLACES] + [t for t, _ in TITLES_ES + TITLES_EN]
    entries += [s for _, s in TITLES_ES + TITLES_EN] + IPC_MORE
    hits += [f"entry {e!r}" for e in entries if e.lower() in txt]
    return hits


if __name__ == "__main__":
    if "--overlap" in sys.argv:
        found = overlap()
        print("\n".join(found) or "no pool entry of sealed9 occurs in the earlier sets' files")
        sys.exit(1 if found else 0)
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else None
    names = _all_names()
    if "--only" in sys.argv:
        want = sys.argv[sys.argv.index("--only") + 1].split(",")
        names = [(o, i) for o, i in names if _name(o, i) in want]
    samples = build_all(names)
    bad = 0
    for smp in samples:
        miss = unprinted(smp)
        bad += bool(miss)
        if miss:
            print(smp.name, "NOT PRINTED:", miss)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            Image.fromarray(smp.image).save(out / f"{smp.name}.png")
            for lv, (im, dpi) in smp.degraded.items():
                Image.fromarray(im).save(out / f"{smp.name}-{lv}.png", dpi=(dpi, dpi))
            o, i = smp.name.split("-")[1], int(smp.name.split("-")[2])
            doc, sty, pdf = layout_all([(o, i)])[smp.name]
            shutil.copy(pdf, out / f"{smp.name}.pdf")
            (out / f"{smp.name}.fodt").write_text(fodt(doc, sty, o), encoding="utf-8")
            (out / f"{smp.name}.json").write_text(json.dumps({"truth": smp.truth, "layout": smp.layout,
                                                              "shown": smp.shown, "text": smp.text},
                                                             ensure_ascii=False, indent=1), encoding="utf-8")
    reg = sum(s.name in REGRESSION for s in samples)
    print(f"{len(samples)} documents ({len(samples) - reg} reported + {reg} REGRESSION); truth not printed on {bad}")
    if "--tesseract" in sys.argv:  # the raw CLI on every k-th document, both levels
        n = int(sys.argv[sys.argv.index("--tesseract") + 1])
        pick = samples[:: max(1, len(samples) // n)][:n]
        for lv in ("office", "poor"):
            got = sorted((tesseract_share(s, lv), s.name) for s in pick)
            print(f"raw tesseract, {lv}: truth words found {sum(v for v, _ in got) / len(got):.3f} over {len(got)} "
                  f"documents; lowest " + ", ".join(f"{nm} {v:.2f}" for v, nm in got[:3]))
