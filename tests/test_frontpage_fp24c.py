"""Issue 24, stop 36: the mechanisms behind sealed-6's wrong fields (bench/README.md, "Front
pages, seventh stop"). Rendered pages read by the real engine (Tesseract, no mocks) for the
layouts; the readers alone for what is decided from text already read.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitize.structure.anchors import label_table, split_label
from digitize.structure.parties import company_form

from test_frontpage_fp24 import SANS, _read, _sheet


def _grid(rows: list[tuple[str, str, str]], px: int = 40) -> np.ndarray:
    """An IMPI-like ruled grid: code | label | value, a rule between the columns and under each row;
    a label of two lines is ``first\\nsecond``."""
    img = Image.new("L", (2480, 3508), 255)
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(SANS, px)
    y = 500
    d.text((250, 200), "(19) ESTADOS UNIDOS MEXICANOS", font=f, fill=0)
    d.text((250, 300), "(12) SOLICITUD DE PATENTE PUBLICADA", font=f, fill=0)
    for code, label, value in rows:
        d.text((250, y), code, font=f, fill=0)
        for k, part in enumerate(label.split("\n")):
            d.text((360, y + 55 * k), part, font=f, fill=0)
        d.text((800, y), value, font=f, fill=0)
        height = 55 * (label.count("\n") + 1) + 40
        d.line([(335, y - 20), (335, y + height - 20)], fill=0, width=3)
        d.line([(240, y + height - 20), (2200, y + height - 20)], fill=0, width=3)
        y += height
    return np.array(img)


def test_mx_ruled_grid_rules_a_misread_code_and_a_wrapped_label():
    """A rule between a bare code and its label hides neither; ``34`` under the title's label is
    (54); the label's last word on the next line of its cell is no part of the title."""
    doc = _read(_grid([
        ("11", "Publicación:", "MX 2023103005 A"),
        ("21", "Expediente:", "MX/a/2022/101054"),
        ("22", "Presentada:", "13/02/2022"),
        ("43", "Publicada:", "05/03/2023"),
        ("51", "Int. Cl.:", "E05F 5/02 (2022.01)"),
        ("34", "Título de la\nInvención:", "PUERTA CORREDIZA CON FRENO MAGNÉTICO"),
        ("71", "Titular(es):", "UNIVERSIDAD TECNOLÓGICA DE LA MIXTECA"),
        ("72", "Inventor(es):", "VIRGILIO PINEYRO"),
        ("74", "Mandatario:", "PRÓSPERO OLVERA"),
    ]), "mx")
    b = doc.biblio
    assert b.value("application_number") == "MX/a/2022/101054"
    assert (b.value("filing_date"), b.value("publication_date")) == ("2022-02-13", "2023-03-05")
    assert b.value("title") == "PUERTA CORREDIZA CON FRENO MAGNÉTICO"
    assert [p.name for p in b.applicants] == ["UNIVERSIDAD TECNOLÓGICA DE LA MIXTECA"]
    assert [p.name for p in b.agents] == ["PRÓSPERO OLVERA"]


def test_ph_office_misread_and_a_title_word_split():
    """``PJ`` for PH (no ST.3 code) is given as the profile's office and asked; a title word the
    engine split (``WOL ND``) is given as the abstract prints it and asked."""
    doc = _read(_sheet([
        (250, 200, "REPUBLIC OF THE PHILIPPINES"),
        (250, 420, "(11) Publication No.: PJ 1-2024-765277 B1"),
        (250, 500, "(21) Application No.: 1-2024-765277"),
        (250, 580, "(22) Filing Date: May 26, 2024"),
        (250, 660, "(45) Registration Date: July 8, 2025"),
        (250, 740, "(51) Int. Cl.: H01L 21/677 (2006.01)"),
        (250, 820, "(54) Title: ANTIMICROBIAL WOL ND DRESSING"),
        (250, 900, "(71) Applicant: VISAYAS COCONUT OLEOCHEMICALS, INC."),
        (250, 980, "(72) Inventor: RHODORA MALLARI"),
        (250, 1060, "(57) Abstract:"),
        (250, 1120, "Invention: antimicrobial wound dressing. Disclosed is a dressing"),
        (250, 1180, "that holds silver particles in its fibres."),
    ]), "ph")
    b = doc.biblio
    items = {c.field_name: c.context for c in doc.candidates if c.kind == "field"}
    assert (b.value("office"), b.value("doc_number"), b.value("kind")) == ("PH", "12024765277", "B1")
    assert "office" in items and "no ST.3 code" in items["office"]
    assert b.value("title") == "ANTIMICROBIAL WOUND DRESSING"
    assert "title" in items and "WOL ND" in items["title"]


def test_company_forms_as_printed_or_asked():
    assert company_form("VIDRIERÍA ARTESANAL DE TONALÁ, S. DER.L. DEC.V.") == (
        "VIDRIERÍA ARTESANAL DE TONALÁ, S. DE R.L. DE C.V.", None)  # spacing only: as printed
    name, why = company_form("CRISTALERÍA DEL PLATA S.A.LC.")  # an I read L, its full stop lost
    assert name == "CRISTALERÍA DEL PLATA S.A.I.C." and why
    name, why = company_form("CONSTRUCTORA PENINSULAR DE YUCATÁN, S.A.P.L DE C.V.")
    assert name == "CONSTRUCTORA PENINSULAR DE YUCATÁN, S.A.P.I. DE C.V." and why
    assert company_form("ACME S.AQX.ZW.")[1]  # dotted capitals near no form: asked
    for same in ("ACME S.A. DE C.V.", "SONY CO., LTD.", "FONDERIA VALTELLINESE S.p.A.", "GARCÍA, J.R.",
                 "SMITH, John A.B.", "J.R.R. TOLKIEN", "UNIVERSIDAD NACIONAL DE LA PLATA"):
        assert company_form(same) == (same, None)


def test_a_label_wrapped_in_its_cell():
    table = label_table(None)
    assert split_label("Título de la PUERTA CORREDIZA", table["54"]) == ("PUERTA CORREDIZA", ["invención"])
    assert split_label("| Agente de la Propiedad | ARRIETA, Josefina", table["74"]) == (
        "ARRIETA, Josefina", ["Industrial"])
    assert split_label("Fecha de Publicación 7 de abril de 2024", table["43"]) == ("7 de abril de 2024", [])
    assert split_label("Título de la invención: PUERTA", table["54"]) == ("PUERTA", [])
