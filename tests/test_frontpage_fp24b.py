"""Issue 24, stop 35: the mechanisms behind sealed-5's wrong fields (bench/README.md, "Front
pages, sixth stop"). A rendered PH page read by the real engine (Tesseract, no mocks) for the
layout; the readers alone for the repairs of what was read.
"""

from __future__ import annotations

from digitize.model import Word
from digitize.structure import normalize
from digitize.structure.anchors import strip_label
from digitize.structure.fields import check_title
from digitize.structure.parties import entries, parse
from digitize.model import Bibliographic, Field

from test_frontpage_fp24 import _read, _sheet


def test_ph_page_hanging_indent_hyphenated_number_and_square_bracket_country():
    doc = _read(_sheet([
        (250, 200, "(19) PH"),
        (250, 300, "(12) PUBLISHED APPLICATION"),
        (250, 420, "(11) Publication No.: PH 1-2023-344941 A1"),
        (250, 500, "(21) Application No.: 1-2023-344941"),
        (250, 580, "(22) Filing Date: 09/06/2023"),
        (250, 660, "(43) Publication Date: 03/07/2025"),
        (250, 740, "(51) Int. Cl.: A47J 17/00 (2006.01)"),
        (250, 820, "(54) Title: Pedal-operated cassava grater"),
        (250, 900, "(71) Applicant(s):"),
        (330, 960, "PHILIPPINE NUCLEAR RESEARCH INSTITUTE OF THE DEPARTMENT"),
        (370, 1020, "OF SCIENCE AND TECHNOLOGY"),
        (370, 1080, "Prol. Paseo de la Reforma 880, Lomas de Santa Fe, Ciudad de Mexico"),
        (330, 1140, "PAMPANGA CERAMICS AND REFRACTORIES CORP."),
        (370, 1200, "J.P. Laurel Avenue, Bajada, Davao City (PH)"),
        (250, 1280, "(72) Inventor(s): Carlito YAP [AR]"),
        (250, 1360, "(74) Agent: Aurelio BARTOLOME"),
    ]), "ph")
    b = doc.biblio
    assert (b.value("office"), b.value("doc_number"), b.value("kind")) == ("PH", "12023344941", "A1")
    assert [(p.name, bool(p.address), p.country) for p in b.applicants] == [
        ("PHILIPPINE NUCLEAR RESEARCH INSTITUTE OF THE DEPARTMENT OF SCIENCE AND TECHNOLOGY", True, None),
        ("PAMPANGA CERAMICS AND REFRACTORIES CORP.", True, "PH")]
    assert [(p.name, p.country) for p in b.inventors] == [("Carlito YAP", "AR")]


def _words(rows: list[tuple[int, str]], h: int = 30) -> list[list[Word]]:
    out = []
    for i, (x, text) in enumerate(rows):
        ws, cx = [], x
        for k, t in enumerate(text.split()):
            ws.append(Word(id=f"w{i}_{k}", text=t, bbox=(cx, 100 * i, cx + 20 * len(t), 100 * i + h), conf=95.0))
            cx += 20 * len(t) + 15
        out.append(ws)
    return out


def test_entries_by_indent_and_not_without_one():
    rows = [(300, "COOPERATIVA DE OBRAS PUBLICAS DE VILLA"), (340, "ÁNGELA LTDA. - INSTITUTO NACIONAL (INTA)")]
    assert entries([t for _, t in rows], _words(rows)) == [
        ["COOPERATIVA DE OBRAS PUBLICAS DE VILLA ÁNGELA LTDA. - INSTITUTO NACIONAL (INTA)"]]
    flat = [(300, "ACME S.A."), (300, "BETA LTDA.")]
    assert entries([t for _, t in flat], _words(flat)) is None
    # a speck's line first, an INID code alone: no place of their own
    rows = [(250, "72"), (330, "FILOMENA JAVELLANA"), (370, "Gov. Forbes Street, Manila (PH)"), (330, "TEODORO LIM-TAN")]
    names = [p.name for p in parse([t for _, t in rows], None, _words(rows))]
    assert names[1:] == ["FILOMENA JAVELLANA", "TEODORO LIM-TAN"]


def test_party_lists_by_their_separators():
    def names(line: str) -> list[str]:
        return [p.name for p in parse([line])]

    assert names("Divina CHUA, Jocelyn ILAGAN, Carlito BARTOLOME and Bernadette FLORENDO") == [
        "Divina CHUA", "Jocelyn ILAGAN", "Carlito BARTOLOME", "Bernadette FLORENDO"]
    assert names("SEMENTES DO CERRADO LTDA., OLIVARES DE CHILECITO S.A. y BIOINSUMOS PAMPEANOS S.A.") == [
        "SEMENTES DO CERRADO LTDA.", "OLIVARES DE CHILECITO S.A.", "BIOINSUMOS PAMPEANOS S.A."]
    assert names("Jimena GÓMEZ DE LA TORRE REQUENA Cristóbal VALLEJO") == [
        "Jimena GÓMEZ DE LA TORRE REQUENA", "Cristóbal VALLEJO"]
    assert names("NORTHGATE FLUIDICS, INC.") == ["NORTHGATE FLUIDICS, INC."]
    assert [p.name for p in parse(["REQUENA, Abelardo y PALAFOX", "MÚJICA, Débora y LUNA, Inés"])] == [
        "REQUENA, Abelardo", "PALAFOX MÚJICA, Débora", "LUNA, Inés"]
    p = parse(["OLIVERA, Elías: Calle Morelos 312 Ote., Monterrey, Nuevo León, MX"])
    assert [(x.name, x.country) for x in p] == [("OLIVERA, Elías", "MX")]


def test_numbers_labels_ipc_and_title_case():
    assert normalize.parse_publication_number("PH 1-2023-344941 A1") == ("PH", "12023344941", "A1")
    assert strip_label("Titulo de la invención ;", ["Título", "Titulo", "Título de la invención"]) == ""
    assert strip_label("Denominación — ARADO DE DISCOS", ["Denominación"]) == "ARADO DE DISCOS"
    text, fixed = normalize.ipc_subclass_digits("A473 17/00 (2011.01), EO04C 2/36 (2010.01), F163 15/32")
    assert text == "A47J 17/00 (2011.01), E04C 2/36 (2010.01), F16J 15/32" and len(fixed) == 3
    b = Bibliographic()
    b.title = Field(value="pedal-operated cassava grater", confidence=95.0)
    check_title(b)
    assert b.title.value == "Pedal-operated cassava grater"
