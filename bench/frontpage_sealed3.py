"""SEALED-3 front pages: a fourth generator, for a set nobody has looked at (bench/frontpage_eval.py sealed3).

Shares no code and no people, companies, addresses, titles, IPC symbols or number ranges with the
tuning set (``digitize/synth_frontpages.py``, not imported), sealed-1 (``bench/frontpage_sealed.py``)
or sealed-2 (``bench/frontpage_sealed2.py``); besides one and two columns it prints layouts none of
them prints (margin or bare codes, flush wraps, flowing columns, the number on top, a separate
(13), the Boletín order, EP representative blocks):

* its own page builder (PIL, mixed faces on one line: labels bold or italic, titles bold), with
  per-document layout choices: INID codes inline ``(71) Label: value`` or in a left margin
  column (right-aligned, bare ``71`` or ``(71)``); labels inline, above the value, or absent;
  label wording, capitals and the mark after them (``:``, nothing, ``-``) varied, no label where
  the office prints none (EP's title, AR's acta number sometimes); wrapped rows
  under the text, flush under the code, or with a hanging indent; one column, two columns split
  by kind (numbers left, parties right) or flowing in printed order; the number in the field
  list or large at the top right; the kind sometimes in its own ``(13)``; AR Boletín order with
  ``(41)`` last; EP's real order ((84) designated states, (52) CPC, representative with firm and
  street under the name);
* its own name pools (Spanish two-surname names, Í Ñ Ü capitals, PH and European names, company
  forms S.A. DE C.V., S. DE R.L. DE C.V., LTDA., S.L., S.R.L., INC., GmbH, SAS, a name with its
  acronym in brackets), addresses, titles (Spanish with accented capitals, some in sentence
  case), IPC symbols and versions, number ranges, dates (numeric, "15 de marzo de 2024",
  "15 March 2024");
* parties: 1-4 applicants and inventors, 1-2 agents; separated by line breaks, `` - ``, ``; ``,
  `` y ``/`` and ``; an address after ``;`` on the party's line or on continuation lines under
  the name, ``(CC)`` after a name, or nothing; long names that wrap;
* fonts: this machine has only DejaVu and Liberation (no FreeFont), and each regular face was the
  text face of some earlier set; here a body face is paired per document with a label face (its
  bold or italic, or Liberation Sans Bold beside Liberation Serif) and a bold title face; sizes
  8.6-12 pt (36-50 px at 300 dpi);
* its own degradation: ``office`` = 300 dpi, slight rotation, scanner blur and noise, threshold,
  a few specks, then a real CCITT G4 TIFF written and read back; ``poor`` = 200 dpi grey, slight
  skew (0.4-1.4 degrees), grey paper with a shadow band at one edge, blur, noise, JPEG 45-65.

64 documents, 16 per office (PH, AR, MX, EP), from the fixed seed ``SEED``; every choice of a
document comes from its own ``random.Random(SEED * 1000 + i)``, so a document prints the same
alone or in the set. Truth per document, in the scorer's format (``synth_frontpages.score``):
office, doc_number, kind, publication_date, application_number, filing_date, title (as printed,
accents included), ipc, applicants, inventors, agents as ``(name, address or None, country or
None)``. Fields printed but not scored: (12), (19), (30), (52), (84), (86), (87), bulletins.

    python bench/frontpage_sealed3.py [DIR]   # writes the pages (clean/office/poor PNG) and truth
                                              # JSON to look at the set's LOOK; runs no OCR
"""
from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEED = 9_024_611
N_DOCS = 64
W, H = 2480, 3508  # A4 at 300 dpi
OFFICES = ("MX", "EP", "AR", "PH")

FD = "/usr/share/fonts/truetype/dejavu/"
FL = "/usr/share/fonts/truetype/liberation/"
# (body, label, title): the body face, the face of the labels, the face of the title
FACES = [
    (FL + "LiberationSerif-Regular.ttf", FL + "LiberationSerif-Bold.ttf", FL + "LiberationSerif-Bold.ttf"),
    (FD + "DejaVuSansCondensed.ttf", FD + "DejaVuSansCondensed-Bold.ttf", FD + "DejaVuSansCondensed-Bold.ttf"),
    (FL + "LiberationSans-Regular.ttf", FL + "LiberationSans-Italic.ttf", FL + "LiberationSans-Bold.ttf"),
    (FD + "DejaVuSerif.ttf", FD + "DejaVuSerif-Italic.ttf", FD + "DejaVuSerif-Bold.ttf"),
    (FL + "LiberationSansNarrow-Regular.ttf", FL + "LiberationSansNarrow-Bold.ttf", FL + "LiberationSansNarrow-Bold.ttf"),
    (FD + "DejaVuSerifCondensed.ttf", FD + "DejaVuSerifCondensed-Italic.ttf", FD + "DejaVuSerifCondensed-Bold.ttf"),
    (FL + "LiberationMono-Regular.ttf", FL + "LiberationMono-Bold.ttf", FL + "LiberationMono-Bold.ttf"),
    (FL + "LiberationSerif-Regular.ttf", FL + "LiberationSans-Bold.ttf", FL + "LiberationSans-Bold.ttf"),
]

# ----------------------------------------------------------------------------------- pools

SUR_ES = ["ARGÜELLO", "ÍÑIGUEZ", "OYARZÚN", "PEÑALOZA", "CIFUENTES", "ECHEVERRÍA", "LUDUEÑA", "MALDONADO",
          "SIGÜENZA", "TAPIA", "VIDELA", "ZÁRATE", "BRIZUELA", "CARREÑO", "ÁVALOS", "OLMEDO", "RENTERÍA",
          "SAAVEDRA", "UGARTE", "BERMÚDEZ", "IBÁÑEZ", "GÜIRALDES", "MONTIEL", "ESCOBEDO", "PERALTA",
          "DÍAZ DE LEÓN", "VILLASEÑOR", "ACUÑA", "LOZOYA", "ÓRDENES"]
GIV_ES = ["Álvaro", "Gonzalo", "Ítalo", "Sebastián", "Aníbal", "Araceli", "Baltasar", "Celia", "Dámaso",
          "Ernesto", "Florencia", "Guadalupe", "Hipólito", "Jesús María", "Leonor", "Mauricio", "Nahuel",
          "Paloma", "Rigoberto", "Teófilo", "Úrsula", "Wenceslao", "Yolanda", "Inmaculada", "Nuria",
          "María Fernanda", "José Ángel", "Ana Belén", "Luis Enrique", "Ámbar"]
SUR_PH = ["MACARAEG", "DIMAGUILA", "PANGILINAN", "LACSON", "QUISUMBING", "DE GUZMAN", "MANALO", "SISON",
          "TOLENTINO", "BUENAVENTURA", "DIZON", "ESGUERRA", "FAJARDO", "YULO", "SY-CHUA"]
GIV_PH = ["Reynaldo", "Nenita", "Marlon", "Perpetua", "Isidro", "Joy Anne", "Ferdinand", "Lourdes",
          "Emmanuel", "Kristine Mae", "Rodel", "Angelica"]
SUR_EU = ["BRÜCKNER", "KÜHNE", "JÄGER", "GRÖNLUND", "OSTERGAARD", "HAVERKAMP", "VERHOEVEN", "WOJCIK",
          "FAULKNER", "RADCLIFFE", "SUNDQUIST", "TAKAHASHI", "O'DONNELL", "LEFEBVRE", "MORETTI",
          "NIEDERMAYER", "ELLINGTON", "PEÑALOZA MONTIEL", "ÍÑIGUEZ SAAVEDRA", "DAHLBERG"]
GIV_EU = ["Beatrix", "Cormac", "Dorothea", "Gerhard", "Hannelore", "Jürgen", "Kristoffer", "Lorna",
          "Oskar", "Sigrid", "Timothy John", "Ulrike", "Élodie", "Matteo", "Søren", "Álvaro", "Nuria"]

FIRM_ES = ["GRUPO INDUSTRIAL PEÑASCO, S.A. DE C.V.", "PLÁSTICOS Y MOLDES DE QUERÉTARO, S. DE R.L. DE C.V.",
           "ACEROS ÑUBLE LTDA.", "CURTIEMBRE ARGÜELLO S.R.L.", "LABORATORIO FARMACÉUTICO ÍNDIGO S.A.",
           "ELECTRÓNICA ZARAGOZANA S.L.", "MAQUINARIA AGRÍCOLA DEL NORTE GRANDE S.A.",
           "SERVICIOS PETROLEROS DE LA CUENCA NEUQUINA S.A.",
           "COMERCIALIZADORA DE PRODUCTOS MARINOS DEL GOLFO DE CALIFORNIA, S. DE R.L. DE C.V.",
           "CONSEJO NACIONAL DE INVESTIGACIONES CIENTÍFICAS Y TÉCNICAS (CONICET)",
           "EQUIPAMENTOS AGRÍCOLAS SERRANA LTDA.", "BEBIDAS Y JUGOS DEL SURESTE, S.A. DE C.V.",
           "INSTITUTO TECNOLÓGICO DE ÑUÑOA", "ENERGÍAS RENOVABLES DE CASTILLA S.L.",
           "AUTOPARTES ARGÜELLES HERMANOS, S.A. DE C.V.", "HALCYON MARINE SYSTEMS, INC."]
FIRM_EN = ["HALCYON MARINE SYSTEMS, INC.", "MINDANAO BIOFUELS, INC.", "CEBU COCONUT PROCESSORS CORPORATION",
           "TERRAGEN THERAPEUTICS LIMITED", "BLUEPEAK ANALYTICS, INC.", "VOSSBERG ANTRIEBSTECHNIK GmbH",
           "KÄLTETECHNIK OBERLAND GmbH", "ZENTRUM FÜR ANGEWANDTE OPTIK GmbH", "FJORDLINE AQUACULTURE AS",
           "SOCIÉTÉ ALPINE DE CÂBLES SAS", "ENERGÍAS RENOVABLES DE CASTILLA S.L.",
           "VISAYAS RENEWABLE POWER AND INFRASTRUCTURE DEVELOPMENT CORPORATION",
           "University of Iloilo Research Foundation, Inc.", "Vossberg Antriebstechnik GmbH",
           "Kältetechnik Oberland GmbH", "Halcyon Marine Systems, Inc."]
FIRM_CC = {"GRUPO INDUSTRIAL PEÑASCO, S.A. DE C.V.": "MX", "PLÁSTICOS Y MOLDES DE QUERÉTARO, S. DE R.L. DE C.V.": "MX",
           "ACEROS ÑUBLE LTDA.": "CL", "CURTIEMBRE ARGÜELLO S.R.L.": "AR", "LABORATORIO FARMACÉUTICO ÍNDIGO S.A.": "AR",
           "ELECTRÓNICA ZARAGOZANA S.L.": "ES", "MAQUINARIA AGRÍCOLA DEL NORTE GRANDE S.A.": "AR",
           "SERVICIOS PETROLEROS DE LA CUENCA NEUQUINA S.A.": "AR",
           "COMERCIALIZADORA DE PRODUCTOS MARINOS DEL GOLFO DE CALIFORNIA, S. DE R.L. DE C.V.": "MX",
           "CONSEJO NACIONAL DE INVESTIGACIONES CIENTÍFICAS Y TÉCNICAS (CONICET)": "AR",
           "EQUIPAMENTOS AGRÍCOLAS SERRANA LTDA.": "BR", "BEBIDAS Y JUGOS DEL SURESTE, S.A. DE C.V.": "MX",
           "INSTITUTO TECNOLÓGICO DE ÑUÑOA": "CL", "ENERGÍAS RENOVABLES DE CASTILLA S.L.": "ES",
           "AUTOPARTES ARGÜELLES HERMANOS, S.A. DE C.V.": "MX", "HALCYON MARINE SYSTEMS, INC.": "US",
           "MINDANAO BIOFUELS, INC.": "PH", "CEBU COCONUT PROCESSORS CORPORATION": "PH",
           "TERRAGEN THERAPEUTICS LIMITED": "GB", "BLUEPEAK ANALYTICS, INC.": "US",
           "VOSSBERG ANTRIEBSTECHNIK GmbH": "DE", "KÄLTETECHNIK OBERLAND GmbH": "DE",
           "ZENTRUM FÜR ANGEWANDTE OPTIK GmbH": "DE", "FJORDLINE AQUACULTURE AS": "NO",
           "SOCIÉTÉ ALPINE DE CÂBLES SAS": "FR",
           "VISAYAS RENEWABLE POWER AND INFRASTRUCTURE DEVELOPMENT CORPORATION": "PH",
           "University of Iloilo Research Foundation, Inc.": "PH", "Vossberg Antriebstechnik GmbH": "DE",
           "Kältetechnik Oberland GmbH": "DE", "Halcyon Marine Systems, Inc.": "US"}

# country -> (street, town, region); printed "street, town, region, CC" or "street, town, region (CC)"
ADDR = {
    "MX": [("Av. Lázaro Cárdenas 2400", "San Pedro Garza García", "Nuevo León"),
           ("Calle Niños Héroes 118", "Guadalajara", "Jalisco"), ("Periférico Sur 4829", "Tlalpan", "Ciudad de México"),
           ("Carretera Federal 57 Km 12", "San Luis Potosí", "S.L.P.")],
    "AR": [("Av. Corrientes 1643, Piso 4", "C1042AAB Buenos Aires", "CABA"),
           ("Calle Belgrano 1370", "Bahía Blanca", "Buenos Aires"), ("Av. Pellegrini 250", "Venado Tuerto", "Santa Fe")],
    "CL": [("Av. Irarrázaval 3550", "Ñuñoa", "Santiago")],
    "BR": [("Rua das Acácias 310", "Pompéia", "São Paulo")],
    "ES": [("C/ Príncipe de Vergara 112", "28002 Madrid", "Madrid"), ("Polígono Las Atalayas, Parcela 14", "03114 Alicante", "Alicante")],
    "US": [("918 Lakeshore Parkway", "Madison", "Wisconsin"), ("45 Industrial Row", "Worcester", "Massachusetts")],
    "PH": [("Lot 7 Block 3, Light Industry and Science Park", "Cabuyao", "Laguna"),
           ("27/F Paseo de Roxas Tower", "Makati City", "Metro Manila"), ("112 Osmeña Boulevard", "Cebu City", "Cebu")],
    "DE": [("Schillerstraße 41", "70173 Stuttgart", "Baden-Württemberg")],
    "GB": [("14 Kingsway Court", "Leeds LS2 8JS", "West Yorkshire")],
}
EP_TOWNS = [("82152 Planegg", "DE"), ("4051 Basel", "CH"), ("28046 Madrid", "ES"), ("3001 Leuven", "BE"),
            ("5611 AZ Eindhoven", "NL"), ("38000 Grenoble", "FR"), ("7010 Trondheim", "NO"), ("Oxford OX2 6HT", "GB"),
            ("20121 Milano", "IT"), ("1220 Wien", "AT"), ("Kyoto 600-8008", "JP"), ("Boston, MA 02110", "US")]
EP_REPS = [("Vogelsang, Ruth", ["Kessler & Brandauer", "Patentanwälte PartG mbB", "Theresienstraße 12"], "80333 München", "DE"),
           ("Lindqvist Ahlgren, Maja", ["Nordic IP Partners AB", "Box 5184"], "102 44 Stockholm", "SE"),
           ("Ferrando Ruiz, Gema", ["Ferrando & Asociados", "C/ Goya 47"], "28001 Madrid", "ES"),
           ("Hollins, Adrian James", ["Hollins Whitcombe LLP", "9 Ropemaker Street"], "London EC2Y 9AW", "GB"),
           ("Cabinet Delorme", ["15, rue de la Paix"], "75002 Paris", "FR")]

TITLE_ES = ["MÉTODO PARA LA DESHIDRATACIÓN DE FRUTAS TROPICALES", "GRÚA TELESCÓPICA CON CONTRAPESO HIDRÁULICO",
            "HÉLICE DE PASO VARIABLE PARA AEROGENERADOR", "ÉMBOLO DE CERÁMICA PARA BOMBA DOSIFICADORA",
            "CERRADURA ELECTRÓNICA CON LECTOR BIOMÉTRICO", "PAÑAL DESECHABLE CON INDICADOR DE HUMEDAD",
            "AISLADOR SÍSMICO PARA EDIFICIOS DE PEQUEÑA ALTURA", "CAÑÓN DE NIEVE ARTIFICIAL DE BAJO CONSUMO",
            "PROCESO DE OBTENCIÓN DE BIOGÁS A PARTIR DE VINAZA", "UNGÜENTO CICATRIZANTE A BASE DE SÁBILA",
            "MÁQUINA ENVASADORA DE YERBA MATE",
            "DISPOSITIVO ELECTRÓNICO PORTÁTIL PARA LA MEDICIÓN SIMULTÁNEA DE PRESIÓN ARTERIAL, OXIGENACIÓN Y "
            "TEMPERATURA CORPORAL",
            "Método de fabricación de ladrillos ecológicos con cáscara de maní",
            "Cápsula biodegradable para café y máquina de extracción",
            "BOQUILLA DE PULVERIZACIÓN PARA FUMIGACIÓN AÉREA", "ENGRANAJE HELICOIDAL DE POLÍMERO REFORZADO",
            "TÉCNICA DE SOLDADURA POR FRICCIÓN PARA TUBERÍAS DE ALEACIÓN DE TITANIO",
            "Estufa ahorradora de leña con cámara de combustión cerámica"]
TITLE_EN = ["CONVEYOR BELT CLEANING SCRAPER", "ANTIMICROBIAL COATING FOR HOSPITAL TEXTILES",
            "METHOD FOR PRODUCING VIRGIN COCONUT OIL BY CENTRIFUGATION", "HEARING AID WITH WIRELESS CHARGING CASE",
            "AUTONOMOUS UNDERWATER HULL INSPECTION VEHICLE", "Bamboo-reinforced concrete roofing tile",
            "SYSTEM AND METHOD FOR DETECTING LEAKS IN A DISTRICT HEATING NETWORK USING DISTRIBUTED ACOUSTIC SENSING",
            "Portable water purifier powered by a hand crank",
            "SOLAR-POWERED COLD STORAGE UNIT FOR FISHING BOATS", "ROTARY KILN FOR CALCINING SEASHELLS",
            "TEST STRIP FOR DETECTING FORMALIN IN FOOD", "Modular jeepney chassis with an electric drive train"]
IPCS = ["A23B 7/02 (2006.01)", "B66C 23/70 (2006.01)", "F03D 1/06 (2006.01)", "F04B 53/14 (2006.01)",
        "E05B 47/00 (2006.01)", "A61F 13/42 (2006.01)", "E04H 9/02 (2006.01)", "F25C 3/04 (2006.01)",
        "C12P 5/02 (2006.01)", "A61K 36/886 (2006.01)", "B65B 1/04 (2006.01)", "B08B 1/00 (2024.01)",
        "A01K 61/00 (2017.01)", "G06V 40/12 (2022.01)", "H02J 7/00 (2006.01)", "A61B 5/021 (2006.01)",
        "B63G 8/00 (2006.01)", "H04R 25/00 (2006.01)", "C04B 28/02 (2006.01)", "G01M 3/24 (2006.01)",
        "C11B 1/10 (2006.01)", "A01N 25/34 (2006.01)", "B65D 85/804 (2006.01)", "C02F 1/32 (2023.01)"]
CPC = ["F16L 55/07", "G01M 3/243", "B08B 1/165", "Y02E 10/72", "A61F 13/15", "C02F 2201/3222"]
EP_STATES = ("AL AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MC ME MK MT NL NO PL PT "
             "RO RS SE SI SK SM TR")

MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
             "noviembre", "diciembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]

HEAD = {
    "PH": [["REPUBLIC OF THE PHILIPPINES", "INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES"],
           ["Intellectual Property Office of the Philippines", "Bureau of Patents"]],
    "AR": [["REPÚBLICA ARGENTINA", "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL"],
           ["REPUBLICA ARGENTINA", "Instituto Nacional de la Propiedad Industrial", "Administración Nacional de Patentes"]],
    "MX": [["INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"],
           ["ESTADOS UNIDOS MEXICANOS", "Instituto Mexicano de la Propiedad Industrial"]],
    "EP": [["Europäisches Patentamt", "European Patent Office", "Office européen des brevets"]],
}
DOCTYPE = {"PH": {"A1": "PATENT APPLICATION", "B1": "INVENTION PATENT", "U1": "UTILITY MODEL"},
           "AR": {"A1": "SOLICITUD DE PATENTE DE INVENCIÓN", "B1": "PATENTE DE INVENCIÓN"},
           "MX": {"A": "SOLICITUD DE PATENTE", "B": "PATENTE", "U": "SOLICITUD DE MODELO DE UTILIDAD"},
           "EP": {"A1": "EUROPEAN PATENT APPLICATION", "A2": "EUROPEAN PATENT APPLICATION"}}

# office -> code -> (wordings); "71s"/"72s"/"74s" the singular forms, used when one party is printed
LABELS = {
    "PH": {"11": ["Publication No.", "Publication Number", "Pub. No."], "13": ["Kind Code", ""],
           "21": ["Application No.", "Appln. No.", "Application Serial No."],
           "22": ["Filing Date", "Date Filed", "Date of Filing"], "43": ["Publication Date", "Date Published"],
           "45": ["Date of Grant Publication", "Date Issued"], "30": ["Priority Data"],
           "51": ["IPC", "Int. Cl.", "International Classification"], "54": ["Title", "Title of Invention"],
           "71": ["Applicants", "Applicant(s)", "Names of Applicants"], "71s": ["Applicant", "Name of Applicant"],
           "72": ["Inventors", "Inventor(s)"], "72s": ["Inventor", "Inventor(s)"],
           "74": ["Agents", "Agent(s)"], "74s": ["Agent", "Resident Agent", "Attorney/Agent"], "57": ["Abstract"]},
    "AR": {"10": ["Patente de Invención", ""], "13": [""], "21": ["Acta N°", "Acta Nº", "Número de Acta", ""],
           "22": ["Fecha de Presentación", "Fecha de presentación"], "41": ["Fecha", "Fecha de publicación"],
           "30": ["Prioridad convenio de París", "Prioridad"], "51": ["Int. Cl.", "Clasificación"],
           "54": ["Título", "Título de la invención"], "71": ["Titulares", "Titular/es"], "71s": ["Titular", "Titular/es"],
           "72": ["Inventores", "Inventor/es"], "72s": ["Inventor", "Inventor/es"],
           "74": ["Agentes", "Agente/s"], "74s": ["Agente", "Agente/s"], "57": ["Resumen"]},
    "MX": {"11": ["Número de publicación", "No. de publicación", "Número de Publicación"], "13": [""],
           "21": ["Número de solicitud", "No. de solicitud", "Número de Solicitud"],
           "22": ["Fecha de presentación", "Fecha de Presentación"], "43": ["Fecha de publicación", "Fecha de Publicación"],
           "45": ["Fecha de publicación de la concesión"], "51": ["Int. Cl.", "Clasificación Internacional"],
           "54": ["Título", "Título de la invención"], "71": ["Solicitantes", "Solicitante(s)"],
           "71s": ["Solicitante", "Solicitante(s)"], "72": ["Inventores", "Inventor(es)"], "72s": ["Inventor", "Inventor(es)"],
           "74": ["Agentes", "Apoderados"], "74s": ["Agente", "Apoderado"], "57": ["Resumen"],
           "86": ["Número de solicitud internacional", "Solicitud internacional"], "87": ["Publicación internacional"]},
    "EP": {"11": [""], "43": ["Date of publication"], "21": ["Application number"], "22": ["Date of filing"],
           "51": ["Int Cl.", "International Patent Classification (IPC)"], "52": ["Cooperative Patent Classification (CPC)"],
           "84": ["Designated Contracting States"], "30": ["Priority"], "54": [""], "57": ["", "Abstract"],
           "71": ["Applicants"], "71s": ["Applicant"], "72": ["Inventors"], "72s": ["Inventor"],
           "74": ["Representative"], "74s": ["Representative"]},
}


# ----------------------------------------------------------------------------------- the sample

@dataclass
class Sealed3Page:
    """One front page: the clean grey render, its truth, what was printed, and its scans."""

    name: str
    office: str
    image: np.ndarray
    truth: dict
    text: list[str] = field(default_factory=list)  # every printed row, top to bottom
    body: list[np.ndarray] = field(default_factory=list)  # no further pages
    degraded: dict = field(default_factory=dict)  # level -> (image, dpi)
    layout: dict = field(default_factory=dict)  # the document's layout choices (for a reader of the set)


class Overflow(Exception):
    pass


# ----------------------------------------------------------------------------------- the page

class Page:
    """A 300-dpi sheet with three faces; every row drawn is recorded (text, x, y)."""

    def __init__(self, faces, px: int):
        self.px = px
        self.body = ImageFont.truetype(faces[0], px)
        self.label = ImageFont.truetype(faces[1], px)
        self.title = ImageFont.truetype(faces[2], px)
        self.lead = int(round(px * 1.28))
        self.img = Image.new("L", (W, H), 255)
        self.d = ImageDraw.Draw(self.img)
        self.rows: list[tuple[int, int, str]] = []
        self.tag = "head"  # the field being drawn
        self.boxes: list[tuple[float, float, float, float]] = []  # the ink box of every row
        self.by_field: dict[str, list[str]] = {}  # code -> its rows in drawing order

    def put(self, x: float, y: float, s: str, font=None) -> float:
        """Draws ``s``; returns its right edge."""
        font = font or self.body
        if not s:
            return x
        right = x + font.getlength(s)
        if right > W - 120 or y + self.lead > H - 150 or x < 100:
            raise Overflow(s)
        l, t, rr, b = font.getbbox(s)
        box = (x + l - 2, y + 0.3 * font.size, x + rr + 2, y + 0.95 * font.size)  # the letters' body, not accents
        if any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in self.boxes):
            raise Overflow(s)  # would print over another row (the big number beside a long heading)
        self.boxes.append(box)
        self.d.text((x, y), s, font=font, fill=0)
        self.rows.append((int(y), int(x), s))
        self.by_field.setdefault(self.tag, []).append(s)
        return right

    def rule(self, y: float, x0: float = 200, x1: float = W - 200, width: int = 4) -> None:
        self.d.line([(x0, y), (x1, y)], fill=0, width=width)

    def wrap(self, text: str, font, first: float, rest: float) -> list[str]:
        """Rows of ``text`` (broken at spaces) no wider than ``first`` (the first row) / ``rest``."""
        rows, cur = [], ""
        for w in text.split(" "):
            trial = f"{cur} {w}" if cur else w
            if cur and font.getlength(trial) > (first if not rows else rest):
                rows.append(cur)
                cur = w
            else:
                cur = trial
        return rows + [cur]

    def text_rows(self) -> list[str]:
        """The printed rows in reading order (by row, then x): for the self-check and a reader."""
        return [s for _, _, s in sorted(self.rows)]


@dataclass
class Style:
    code_place: str  # "inline" | "margin"
    code_fmt: str  # "({})" | "{}"
    label_place: str  # "inline" | "above"
    label_mark: str  # ":" | "" | " -"
    label_upper: bool
    label_font: str  # "label" | "body"
    cont: str  # wrapped rows: "text" (under the text) | "flush" (under the code) | "hang" (text + indent)
    gap: float  # space after a field, in leads


def field_block(p: Page, st: Style, x0: float, x1: float, y: float, code: str, label: str,
                paras: list[str], title: bool = False, sub: list[bool] | None = None) -> float:
    """One INID field in the box x0..x1 from y: the code, the label, then each paragraph on a new
    row, wrapped at spaces. ``sub[i]``: paragraph i belongs to the one before (an address under a
    name) and is indented under it. Where a field prints several paragraphs (one party a row), a
    wrapped row is always indented, so a wrap never looks like the next party. Returns the y after
    the field."""
    code_s = st.code_fmt.format(code)
    p.tag = code
    if st.code_place == "margin":
        cw = p.body.getlength("(00)") + p.px * 0.9
        p.put(x0 + cw - p.px * 0.6 - p.body.getlength(code_s), y, code_s)
        xt = x0 + cw
    else:
        xt = p.put(x0, y, code_s) + p.body.getlength("  ")
    hang = p.px * 1.2
    lab = label.upper() if st.label_upper else label
    lab_font = p.label if st.label_font == "label" else p.body
    font = p.title if title else p.body
    many = len(paras) > 1
    row_x = xt
    if lab and st.label_place != "none":
        lrows = p.wrap(lab + st.label_mark, lab_font, x1 - xt, x1 - xt - p.px * 0.8)
        for k, lr in enumerate(lrows[:-1]):  # a label wider than its column wraps
            p.put(xt + (p.px * 0.8 if k else 0), y, lr, lab_font)
            y += p.lead
        lx = xt + (p.px * 0.8 if len(lrows) > 1 else 0)
        if st.label_place == "above":
            p.put(lx, y, lrows[-1], lab_font)
            y += p.lead
            xpara = row_x = xt + p.px * 0.8
        else:
            row_x = p.put(lx, y, lrows[-1], lab_font) + p.body.getlength(" ")
            xpara = x0 if st.cont == "flush" else xt
    else:
        xpara = x0 if st.cont == "flush" else xt
    xwrap = xpara + hang if (many or st.cont == "hang") else xpara
    sub = sub or [False] * len(paras)
    for i, para in enumerate(paras):
        if i > 0:
            row_x = xpara + hang if sub[i] else xpara
        if i == 0 and row_x > xpara and font.getlength(para.split(" ")[0]) > x1 - row_x:
            y += p.lead  # the first word does not fit beside the label: the value starts below it
            row_x = xpara
        rest_x = max(xwrap, row_x) if sub[i] else xwrap
        rows = p.wrap(para, font, x1 - row_x, x1 - rest_x)
        for k, r in enumerate(rows):
            p.put(row_x if k == 0 else rest_x, y, r, font)
            y += p.lead
    if not paras:
        y += p.lead
    return y + p.lead * st.gap


# ----------------------------------------------------------------------------------- the document

class Doc:
    def __init__(self, i: int, seed: int = SEED):
        self.i = i
        r = self.r = random.Random(seed * 1000 + i)
        self.office = o = OFFICES[i % 4]
        self.name = f"K{i:02d}-{o}"
        self.es = o in ("AR", "MX")
        self.faces = FACES[r.randrange(len(FACES))]
        mono = "Mono" in self.faces[0]
        self.px = r.choice([38, 40, 42] if mono else [36, 40, 42, 46, 50])
        # ---- numbers, kind, dates
        y_pub = r.randint(2017, 2025)  # never after the day the set was made
        y_fil = y_pub - r.choice([1, 1, 2, 3])
        self.pub = (y_pub, r.randint(1, 12), r.randint(1, 28))
        self.fil = (y_fil, r.randint(1, 12), r.randint(1, 28))
        if o == "PH":
            self.kind = r.choice(["A1", "A1", "A1", "B1", "U1"])
            t = "2" if self.kind == "U1" else "1"
            serial = r.randint(80000, 99999)
            self.number = f"{t}{y_fil}{serial:06d}"
            self.app = f"{t}-{y_fil}-{serial:06d}"
            self.printed_no = f"PH {self.number}"
        elif o == "AR":
            self.kind = r.choice(["A1", "A1", "A1", "B1"])
            self.number = f"{r.randint(180000, 199999)}"
            self.app = f"P{y_fil}0{r.randint(300000, 399999)}"
            self.printed_no = r.choice([f"AR{self.number}", f"AR {self.number}"])
        elif o == "MX":
            self.kind = r.choice(["A", "A", "A", "B", "U"])
            self.number = f"{y_pub}{r.randint(40000, 59999):06d}"
            self.app = f"MX/{'u' if self.kind == 'U' else 'a'}/{y_fil}/{r.randint(40000, 59999):06d}"
            self.printed_no = f"MX {self.number}"
        else:
            self.kind = r.choice(["A1", "A1", "A2"])
            self.number = f"{r.randint(4_900_000, 4_999_999)}"
            self.app = f"{y_fil % 100:02d}{r.randint(800000, 999999)}.{r.randint(0, 9)}"
            n = self.number
            self.printed_no = f"EP {n[0]} {n[1:4]} {n[4:]}"
        self.kind_apart = o != "EP" and r.random() < 0.2  # the kind in its own (13)
        self.date_code = "41" if o == "AR" else ("45" if self.kind in ("B1", "B") else "43")
        self.date_style = {"PH": r.choice(["dot", "dot", "words"]), "AR": "slash",
                           "MX": r.choice(["slash", "slash", "words"]), "EP": "dot"}[o]
        # ---- title, IPC
        pool = TITLE_ES if self.es else TITLE_EN  # dealt in a fixed shuffled order: every title is used
        order = random.Random(seed + (1 if self.es else 2)).sample(range(len(pool)), len(pool))
        self.title = pool[order[(i // 2) % len(pool)]]  # AR and MX are the even i, PH and EP the odd
        if o == "EP":
            self.title = self.title.upper()  # EP A publications print the title in capitals
        self.ipc = r.sample(IPCS, r.choice([1, 1, 2, 2, 3]))
        # ---- parties
        self.person_form = {"AR": r.choice(["SUR, GIV", "SUR, Giv"]), "MX": r.choice(["GIV SUR", "GIV SUR", "SUR, GIV"]),
                            "PH": r.choice(["SUR, Giv", "GIV M. SUR"]), "EP": "SUR, Giv"}[o]
        self.applicants, self.app_print = self._party_set("71")
        self.inventors, self.inv_print = self._party_set("72")
        self.agents, self.agent_print = self._party_set("74")

    # ---- parties ------------------------------------------------------------------------

    def _person(self) -> str:
        r, o = self.r, self.office
        if o in ("AR", "MX"):
            s = r.choice(SUR_ES) + ((" " + r.choice(SUR_ES)) if r.random() < 0.45 else "")
            g = r.choice(GIV_ES)
        elif o == "PH":
            s, g = r.choice(SUR_PH), r.choice(GIV_PH)
        else:
            s, g = r.choice(SUR_EU), r.choice(GIV_EU)
        f = self.person_form
        if f == "SUR, GIV":
            return f"{s}, {g.upper()}"
        if f == "SUR, Giv":
            return f"{s}, {g}"
        if f == "GIV M. SUR":
            return f"{g} {r.choice('ABCDEFGJLMRST')}. {s}"
        return f"{g.upper()} {s}"

    def _firm(self) -> str:
        r = self.r
        return r.choice(FIRM_ES if self.es else FIRM_EN)

    def _address(self, cc: str) -> str:
        street, town, region = self.r.choice(ADDR[cc])
        return f"{street}, {town}, {region}"

    def _party_set(self, code: str):
        """The parties of one code and how they are printed: (parties, (sep, form))."""
        r, o = self.r, self.office
        n = r.choice([1, 1, 2, 3, 4]) if code != "74" else r.choice([1, 1, 2])
        out, seen = [], set()
        person_applicants = code == "71" and r.random() < 0.2
        if o == "EP":
            return self._ep_parties(code, n, person_applicants)
        with_addr = code != "74" and r.random() < (0.55 if o == "MX" else 0.3)
        # how the set is printed: separator and the place of the address
        if with_addr:
            form = r.choice(["semicolon", "semicolon", "below"])
            sep = "line"
        else:
            form = "plain"
            sep = r.choice(["line", " - ", "; ", " y " if self.es else " and "])
            if o == "AR" and code == "72" and r.random() < 0.5:
                sep = " - "  # the Boletín: SURNAME, NAMES - SURNAME, NAMES
        cc_after = not with_addr and r.random() < 0.45  # NAME (CC)
        cc_mark = r.choice([", {}", " ({})"])  # the country after an address
        while len(out) < n:
            firm = code == "71" and not person_applicants
            name = self._firm() if firm else self._person()
            if name.upper() in seen:
                continue
            seen.add(name.upper())
            if with_addr:
                cc = FIRM_CC[name] if firm else r.choice([o, o, o, "US", "ES"] if o != "PH" else ["PH", "PH", "US"])
                if cc not in ADDR:
                    cc = o
                out.append((name, self._address(cc), cc))
            elif cc_after and (firm or code == "72"):
                cc = FIRM_CC[name] if firm else r.choice([o, o, "ES", "US"])
                out.append((name, None, cc))
            else:
                out.append((name, None, None))
        return out, (sep, form, cc_mark)

    def _ep_parties(self, code: str, n: int, person_applicants: bool):
        r = self.r
        out, seen = [], set()
        if code == "74":
            rep = EP_REPS[r.randrange(len(EP_REPS))]
            if r.random() < 0.6:  # the representative with firm and street: the address is those rows
                return [(rep[0], ", ".join(rep[1] + [rep[2]]), rep[3])], ("ep", "firm", None)
            return [(rep[0], rep[2], rep[3])], ("ep", "town", None)
        bullets = r.random() < 0.6
        with_town = code == "72" or r.random() < 0.8
        while len(out) < n:
            firm = code == "71" and not person_applicants
            name = r.choice([f for f in FIRM_EN if f in FIRM_CC]) if firm else self._person()
            if name.upper() in seen:
                continue
            seen.add(name.upper())
            town, cc = r.choice(EP_TOWNS)
            if firm and FIRM_CC[name] != cc:
                cc = FIRM_CC[name]
                town = {"US": "Boston, MA 02110", "DE": "82152 Planegg", "GB": "Oxford OX2 6HT", "NO": "7010 Trondheim",
                        "FR": "38000 Grenoble", "ES": "28046 Madrid", "PH": "Makati City 1226"}[cc]
            out.append((name, town if with_town else None, cc))
        return out, ("ep", "bullets" if bullets else "rows", None)

    def party_paras(self, parties, how) -> tuple[list[str], list[bool]]:
        """The printed paragraphs of a party list and which of them continue the one before."""
        sep, form, cc_mark = how
        if sep == "ep":
            paras, sub = [], []
            for name, addr, cc in parties:
                lead = "• " if form == "bullets" and len(parties) > 1 else ""
                if form == "firm":
                    rows = addr.split(", ")
                    paras += [name] + rows[:-1] + [f"{rows[-1]} ({cc})"]
                    sub += [False] + [True] * len(rows)
                elif addr:
                    paras += [lead + name, f"{addr} ({cc})"]
                    sub += [False, True]
                else:
                    paras.append(f"{lead}{name} ({cc})")
                    sub.append(False)
            return paras, sub

        def one(p):
            name, addr, cc = p
            if addr:
                return f"{name}; {addr}{cc_mark.format(cc)}"
            return f"{name} ({cc})" if cc else name
        if form == "below":
            paras, sub = [], []
            for name, addr, cc in parties:
                paras += [name, f"{addr}{cc_mark.format(cc)}"]
                sub += [False, True]
            return paras, sub
        if sep == "line":
            return [one(p) for p in parties], [False] * len(parties)
        return [sep.join(one(p) for p in parties)], [False]

    # ---- printing -------------------------------------------------------------------------

    def date(self, ymd) -> str:
        y, m, d = ymd
        if self.date_style == "dot":
            return f"{d:02d}.{m:02d}.{y}"
        if self.date_style == "slash":
            return f"{d:02d}/{m:02d}/{y}"
        if self.es:
            return f"{d} de {MONTHS_ES[m - 1]} de {y}"
        return f"{d} {MONTHS_EN[m - 1]} {y}"

    def abstract(self) -> str:
        t = self.title.lower()
        if self.es:
            return (f"La invención se refiere a {t}, que comprende un bastidor, un módulo de control y "
                    "un conjunto de sensores dispuestos de modo que el operario pueda ajustar el funcionamiento "
                    "sin herramientas. También se describe su procedimiento de montaje.")
        return (f"Disclosed is a {t} comprising a frame, a control module and a set of sensors arranged so "
                "that an operator can adjust its operation without tools. A method of assembly is also described.")

    def fields(self, r: random.Random) -> list[tuple[str, str, list[str], list[bool]]]:
        """(code, label, paragraphs, continues) in the office's printed order."""
        o, lab = self.office, LABELS[self.office]

        def L(code, n=None):  # noqa: N802 - a label, singular or plural by the count
            key = f"{code}s" if n == 1 and f"{code}s" in lab else code
            return r.choice(lab[key])
        num_code = "10" if o == "AR" else "11"
        num = self.printed_no if self.kind_apart else f"{self.printed_no} {self.kind}"
        out = []
        if not self.number_on_top:
            out.append((num_code, L(num_code), [num], None))
            if self.kind_apart:
                out.append(("13", L("13"), [self.kind], None))
        pub = self.date(self.pub)
        if o == "EP" and r.random() < 0.7:
            pub += f"  Bulletin {self.pub[0]}/{r.randint(1, 52):02d}"
        if o == "AR" and r.random() < 0.5:
            pub += f"   Bol. Nro.: {r.randint(1200, 1399)}"
        ipc_join = r.choice(["rows", "; ", ", ", "   "])
        ipc = list(self.ipc) if ipc_join == "rows" else [ipc_join.join(self.ipc)]
        app, inv, agt = (self.party_paras(self.applicants, self.app_print), self.party_paras(self.inventors, self.inv_print),
                         self.party_paras(self.agents, self.agent_print))
        pri = None
        if r.random() < 0.35:
            pc = r.choice(["US", "ES", "JP", "DE", "CN"])
            pri = ("30", L("30") if "30" in lab else "Prioridad",
                   [f"{pc} {r.randint(10, 99)}/{r.randint(100000, 999999)}  {self.date((self.fil[0] - 1, r.randint(1, 12), r.randint(1, 28)))}"],
                   None)
        date_f = (self.date_code, L(self.date_code), [pub], None)
        if o == "AR" and self.ar_boletin:  # the Boletín's order: (41) last
            out += [("21", L("21"), [self.app], None), ("22", L("22"), [self.date(self.fil)], None)]
            out += [pri] if pri else []
            out += [("51", L("51"), ipc, None), ("54", L("54"), [self.title], None),
                    ("57", L("57"), [self.abstract()], None),
                    ("71", L("71", len(self.applicants)), *app), ("72", L("72", len(self.inventors)), *inv),
                    ("74", L("74", len(self.agents)), *agt), date_f]
            return out
        if o == "EP":
            out += [date_f, ("21", L("21"), [self.app], None), ("22", L("22"), [self.date(self.fil)], None)]
            out += [("51", L("51"), ipc if ipc_join != "rows" else list(self.ipc), None)]
            if r.random() < 0.45:
                out.append(("52", L("52"), ["; ".join(r.sample(CPC, 2))], None))
            if r.random() < 0.6:
                out.append(("84", L("84"), [EP_STATES, "Designated Extension States:", "BA ME"], None))
            out += [pri] if pri else []
        else:
            out += [("21", L("21"), [self.app], None), ("22", L("22"), [self.date(self.fil)], None)]
            out += [pri] if pri else []
            out += [date_f, ("51", L("51"), ipc, None)]
            if o == "MX" and r.random() < 0.4:
                yy = self.fil[0]
                out += [("86", L("86"), [f"PCT/US{yy}/{r.randint(10000, 99999):06d}"], None),
                        ("87", L("87"), [f"WO {yy}/{r.randint(100000, 299999)}"], None)]
        out += [("71", L("71", len(self.applicants)), *app), ("72", L("72", len(self.inventors)), *inv),
                ("74", L("74", len(self.agents)), *agt),
                ("54", L("54"), [self.title], None), ("57", L("57"), [self.abstract()], None)]
        return out

    def render(self) -> tuple[np.ndarray, list[str], dict]:
        """The clean grey page; tries smaller type when a choice of layout does not fit the page."""
        for attempt in range(6):
            r = random.Random(self.r.getrandbits(32))
            try:
                return self._render(r, shrink=attempt)
            except Overflow:
                continue
        raise RuntimeError(f"{self.name}: does not fit the page")

    def _render(self, r: random.Random, shrink: int):
        o = self.office
        p = Page(self.faces, max(30, self.px - 4 * shrink))
        self.number_on_top = o == "EP" and r.random() < 0.75 or o != "EP" and r.random() < 0.25
        self.ar_boletin = o == "AR" and r.random() < 0.5
        margin = o != "EP" and r.random() < 0.45
        st = Style(code_place="margin" if margin else "inline",
                   code_fmt="{}" if margin and r.random() < 0.4 else "({})",
                   label_place=r.choice(["inline", "inline", "above"]) if o != "EP" else r.choice(["inline", "above"]),
                   label_mark=(" -" if o == "AR" and r.random() < 0.3 else r.choice([":", ":", ""]) if o != "EP" else ":"),
                   label_upper=o != "EP" and r.random() < 0.3,
                   label_font=r.choice(["label", "body"]),
                   cont=r.choice(["text", "text", "hang", "flush"]) if not margin else r.choice(["text", "hang"]),
                   gap=r.choice([0.25, 0.5, 0.8]))
        if st.label_place == "above" and st.label_mark == " -":
            st.label_mark = ":"
        if st.label_upper and not st.label_mark and st.label_place == "inline" and st.label_font == "body":
            st.label_mark = ":"  # a label in capitals, in the value's face, before a name in capitals: the colon shows where it ends
        columns = r.choice(["one", "split", "flow"]) if o != "EP" else r.choice(["split", "split", "one"])
        x0, x1 = r.choice([170, 200, 240]), W - r.choice([170, 200, 240])
        # ---- header
        y = r.choice([150, 190, 230])
        head = r.choice(HEAD[o])
        centre = r.random() < 0.5
        hcode = r.random() < 0.6
        for k, h in enumerate(head):
            s = f"(19) {h}" if hcode and k == 0 else h
            f = p.title if k == 0 else p.body
            x = (W - f.getlength(s)) / 2 if centre else x0
            p.put(x, y, s, f)
            y += p.lead
        if self.number_on_top:
            big = ImageFont.truetype(self.faces[2], int(p.px * 1.45))
            num = f"{self.printed_no} {self.kind}" if not self.kind_apart else self.printed_no
            code = "(10)" if o == "AR" else "(11)"
            s = f"{code} {num}"
            ytop = r.choice([150, 190, 230]) if not centre else y + p.lead * 0.3
            xr = x1 - big.getlength(s)
            p.put(xr, ytop, s, big)
            if ytop > y - p.lead:
                y = ytop + p.lead * 1.6
            if self.kind_apart:
                p.put(xr, ytop + int(p.px * 1.9), f"(13) {self.kind}", p.body)
                y = max(y, ytop + int(p.px * 1.9) + p.lead * 1.4)
        y += p.lead * 0.5
        dt = DOCTYPE[o][self.kind]
        s = f"(12) {dt}"
        p.put((W - p.title.getlength(s)) / 2 if (centre or o == "EP") else x0, y, s, p.title)
        y += p.lead * 1.2
        if r.random() < 0.6:
            p.rule(y, x0, x1, r.choice([3, 5]))
            y += p.lead * 0.7
        y += p.lead * 0.4
        # ---- fields
        f = self.fields(r)
        bottom_codes = ("54", "57")
        if columns == "one":
            for code, label, paras, sub in f:
                y = field_block(p, st, x0, x1, y, code, label, paras, title=code == "54" and r.random() < 0.5, sub=sub)
        else:
            mid = (x0 + x1) / 2
            gut = p.px * 1.2
            cols = [(x0, mid - gut / 2), (mid + gut / 2, x1)]
            if columns == "split":
                left = [x for x in f if x[0] not in ("71", "72", "74", "84") + bottom_codes]
                right = [x for x in f if x[0] in ("71", "72", "74")]
                wide = [x for x in f if x[0] == "84"]
                bottom = [x for x in f if x[0] in bottom_codes]
                if o == "EP" and wide:  # EP: (84) across the page, then applicants left, representative right
                    yl = yr = y
                    for x in left[:3]:
                        yl = field_block(p, st, *cols[0], yl, x[0], x[1], x[2], sub=x[3])
                    for x in left[3:]:
                        yr = field_block(p, st, *cols[1], yr, x[0], x[1], x[2], sub=x[3])
                    y = max(yl, yr)
                    for x in wide:
                        y = field_block(p, st, x0, x1, y, x[0], x[1], x[2], sub=x[3])
                    yl = yr = y
                    for x in right:
                        if x[0] == "74":
                            yr = field_block(p, st, *cols[1], yr, x[0], x[1], x[2], sub=x[3])
                        else:
                            yl = field_block(p, st, *cols[0], yl, x[0], x[1], x[2], sub=x[3])
                    y = max(yl, yr)
                else:
                    yl = yr = y
                    for x in left:
                        yl = field_block(p, st, *cols[0], yl, x[0], x[1], x[2], sub=x[3])
                    for x in right:
                        yr = field_block(p, st, *cols[1], yr, x[0], x[1], x[2], sub=x[3])
                    y = max(yl, yr)
                if r.random() < 0.5:
                    p.rule(y, x0, x1, 2)
                    y += p.lead * 0.5
                for x in bottom:
                    y = field_block(p, st, x0, x1, y, x[0], x[1], x[2], title=x[0] == "54" and r.random() < 0.5, sub=x[3])
            else:  # flow: the fields in printed order, down the left column, then the right
                main = [x for x in f if x[0] != "57"]
                half = (len(main) + 1) // 2
                yl = yr = y
                for x in main[:half]:
                    yl = field_block(p, st, *cols[0], yl, x[0], x[1], x[2], sub=x[3])
                for x in main[half:]:
                    yr = field_block(p, st, *cols[1], yr, x[0], x[1], x[2], sub=x[3])
                y = max(yl, yr)
                for x in f:
                    if x[0] == "57":
                        y = field_block(p, st, x0, x1, y, x[0], x[1], x[2], sub=x[3])
        layout = {"columns": columns, "code_place": st.code_place, "code_fmt": st.code_fmt, "label_place": st.label_place,
                  "label_mark": st.label_mark, "label_upper": st.label_upper, "cont": st.cont,
                  "number_on_top": self.number_on_top, "kind_apart": self.kind_apart, "ar_boletin": self.ar_boletin,
                  "face": self.faces[0].rsplit("/", 1)[1], "label_face": (self.faces[1] if st.label_font == "label" else self.faces[0]).rsplit("/", 1)[1],
                  "px": p.px, "date_style": self.date_style,
                  "parties": {c: how[:2] for c, how in (("71", self.app_print), ("72", self.inv_print), ("74", self.agent_print))}}
        self.by_field = p.by_field
        return np.array(p.img), p.text_rows(), layout

    def truth(self) -> dict:
        iso = lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"  # noqa: E731
        return {"office": self.office, "doc_number": self.number, "kind": self.kind,
                "publication_date": iso(self.pub), "application_number": self.app, "filing_date": iso(self.fil),
                "title": self.title, "ipc": list(self.ipc), "applicants": list(self.applicants),
                "inventors": list(self.inventors), "agents": list(self.agents)}


# ----------------------------------------------------------------------------------- the scans

def office_scan(grey: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """A production scanner, 300 dpi, stored as CCITT G4 (written and read back)."""
    g = np.random.default_rng(seed)
    img = Image.fromarray(grey).rotate(float(g.uniform(-0.45, 0.45)), resample=Image.BILINEAR, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(float(g.uniform(0.5, 0.9))))
    a = np.asarray(img, dtype=np.float32) + g.normal(0, float(g.uniform(6, 12)), (H, W)).astype(np.float32)
    ink = a < float(g.uniform(135, 165))
    for _ in range(int(g.integers(10, 60))):  # specks
        y, x = int(g.integers(0, H - 3)), int(g.integers(0, W - 3))
        ink[y:y + 2, x:x + int(g.integers(1, 3))] = True
    bil = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)).convert("1")
    buf = io.BytesIO()
    bil.save(buf, format="TIFF", compression="group4", dpi=(300, 300))
    back = Image.open(io.BytesIO(buf.getvalue()))
    assert back.info.get("compression") == "group4"
    return np.array(back.convert("L")), 300


def poor_scan(grey: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """A copier or phone: 200 dpi grey, a slight skew, grey paper with a shadow band at one edge,
    blur, noise, JPEG."""
    g = np.random.default_rng(seed)
    img = Image.fromarray(grey).resize((W * 2 // 3, H * 2 // 3), Image.LANCZOS)
    ang = float(g.uniform(0.4, 1.4)) * (1 if g.random() < 0.5 else -1)
    img = img.rotate(ang, resample=Image.BICUBIC, fillcolor=255)
    a = np.asarray(img, dtype=np.float32) / 255.0
    h, w = a.shape
    paper, ink = float(g.uniform(205, 235)), float(g.uniform(25, 70))
    a = ink + a * (paper - ink)
    side = int(g.integers(0, 2))
    band = np.clip(1 - np.linspace(0, 1, w)[None, :] / float(g.uniform(0.05, 0.12)), 0, 1)
    if side:
        band = band[:, ::-1]
    a = a * (1 - 0.45 * band)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(float(g.uniform(0.5, 0.9))))
    b = np.asarray(out, dtype=np.float32) + g.normal(0, float(g.uniform(6, 12)), (h, w)).astype(np.float32)
    buf = io.BytesIO()
    Image.fromarray(np.clip(b, 0, 255).astype(np.uint8)).save(buf, format="JPEG", quality=int(g.integers(45, 66)))
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("L")), 200


# ----------------------------------------------------------------------------------- the set

def check_printed(doc: Doc) -> None:
    """Every truth value is printed in its own field (the field's rows joined by spaces, as a
    wrap breaks at spaces): a guard against a truth the page does not print."""
    t, f = doc.truth(), {c: " " + " ".join(rows) + " " for c, rows in doc.by_field.items()}
    num_code = "10" if doc.office == "AR" else "11"
    head = f.get("head", "")
    wants = [("21", t["application_number"]), ("54", t["title"]), (doc.date_code, doc.date(doc.pub)),
             ("22", doc.date(doc.fil))]
    wants += [("51", c) for c in t["ipc"]]
    for code, key in (("71", "applicants"), ("72", "inventors"), ("74", "agents")):
        for name, addr, cc in t[key]:
            wants += [(code, name)] + ([(code, f"({cc})" if not addr else cc)] if cc else [])
            if addr and doc.office != "EP":
                wants.append((code, addr))
    if doc.number_on_top:
        wants.append(("head", f"({num_code}) {doc.printed_no}"))
        wants.append(("head", f"{doc.kind}" if doc.kind_apart else f"{doc.printed_no} {doc.kind}"))
    else:
        wants.append((num_code, doc.printed_no if doc.kind_apart else f"{doc.printed_no} {doc.kind}"))
        if doc.kind_apart:
            wants.append(("13", f" {doc.kind} "))
    for code, w in wants:
        if w not in f.get(code, ""):
            raise AssertionError(f"{doc.name}: {w!r} not printed under ({code}): {f.get(code)!r}")
    assert head and all(c in f for c in ("21", "22", "51", "54", "71", "72", "74", doc.date_code)), doc.name


def document(i: int, seed: int = SEED) -> Sealed3Page:
    d = Doc(i, seed)
    grey, rows, layout = d.render()
    check_printed(d)
    s = Sealed3Page(d.name, d.office, grey, d.truth(), rows, layout=layout)
    k = seed + 7919 * i
    s.degraded = {"office": office_scan(grey, k), "poor": poor_scan(grey, k + 1)}
    return s


def sealed3_set(n: int = N_DOCS, seed: int = SEED) -> list[Sealed3Page]:
    return [document(i, seed) for i in range(n)]


if __name__ == "__main__":  # the pages and their truth, to look at the set's look (no OCR)
    import sys
    from pathlib import Path
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else "build/frontpage-sealed3/look")
    dest.mkdir(parents=True, exist_ok=True)
    for s in sealed3_set():
        Image.fromarray(s.image).save(dest / f"{s.name}-clean.png")
        for level, (img, _dpi) in s.degraded.items():
            Image.fromarray(img).save(dest / f"{s.name}-{level}.png")
        (dest / f"{s.name}.json").write_text(json.dumps({"truth": s.truth, "layout": s.layout, "printed": s.text},
                                                        ensure_ascii=False, indent=1), encoding="utf-8")
    print(dest)
