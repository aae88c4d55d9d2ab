"""Issue 24, fourth stop: the mechanisms behind sealed-4's wrong fields (bench/README.md, "Front
pages, fourth stop"). A rendered EP page read by the real engine (Tesseract, no mocks) for the
layout ones; the readers alone for the repairs of what was read.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitize.settings import profile as profiles
from digitize.structure import accents, normalize
from digitize.structure.fields import _clean_name, printed_party_count
from digitize.structure.frontpage import _in_format, _title_text
from digitize.structure.gate import _title_vs_abstract, title_issues
from digitize.structure.parties import problems

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _sheet(items: list[tuple[int, int, str]], px: int = 40) -> np.ndarray:
    """An A4 page at 300 dpi with each text at its (x, y)."""
    img = Image.new("L", (2480, 3508), 255)
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(SANS, px)
    for x, y, text in items:
        d.text((x, y), text, font=f, fill=0)
    return np.array(img)


def _read(image: np.ndarray, profile_name: str):
    from digitize.model import PageImage
    from digitize.pipeline import document_with_pages, ocr_page
    from digitize.proofread import auto_correct

    prof = profiles.load(profile_name)
    pages = [ocr_page(PageImage(number=1, image=image, dpi=300), prof)[0]]
    pages, _, _ = auto_correct(pages, prof)
    return document_with_pages(pages, prof, source="t", doc_id="t")


def test_ep_two_columns_of_bare_codes_and_a_title_without_its_label():
    """EP printed with its codes bare, in a column of their own on each side, labels beside them;
    the title's code (54) has no label, its title beside it. Both columns are columns of codes:
    (71)/(72)/(74) are not lost into the left column's fields, the title is the title, and the
    application number is the one in the office's format."""
    left = [(210, 700, "43"), (290, 700, "Date of publication:"), (290, 760, "08.06.2022 Bulletin 2022/23"),
            (210, 850, "21"), (290, 850, "Application number:"), (290, 910, "20707001.7"),
            (210, 1000, "22"), (290, 1000, "Date of filing:"), (290, 1060, "26.10.2020"),
            (210, 1150, "84"), (290, 1150, "Designated Contracting States:"), (290, 1210, "AT BE DE FR GB")]
    right = [(1300, 700, "51"), (1380, 700, "International Patent Classification (IPC):"),
             (1380, 760, "C05F 11/00 (2019.01)"),
             (1300, 850, "71"), (1380, 850, "Applicant:"), (1380, 910, "Orchard Biosciences Ltd (DE)"),
             (1300, 1000, "72"), (1380, 1000, "Inventors:"), (1380, 1060, "HUBER, Emre (JP)"),
             (1380, 1120, "COSTA, Giulia (FR)"),
             (1300, 1210, "74"), (1380, 1210, "Representative:"), (1380, 1270, "LEHMANN, Annika (DE)"),
             (1300, 1360, "54"), (1380, 1360, "SEAWEED-BASED BIOSTIMULANT"), (1380, 1420, "COMPOSITION")]
    head = [(210, 150, "(19) European Patent Office"), (1650, 330, "(11) EP 4 388 844 A1"),
            (700, 480, "(12) EUROPEAN PATENT APPLICATION"),
            (210, 1600, "57 Disclosed: a seaweed-based biostimulant composition for crops.")]
    doc = _read(_sheet(head + left + right), "ep")
    b = doc.biblio
    assert b.value("application_number") == "20707001.7"
    assert b.value("title") == "SEAWEED-BASED BIOSTIMULANT COMPOSITION"
    assert [p.name for p in b.applicants] == ["Orchard Biosciences Ltd"]
    assert [p.name for p in b.inventors] == ["HUBER, Emre", "COSTA, Giulia"]
    assert [p.name for p in b.agents] == ["LEHMANN, Annika"]


def test_names_keep_their_comma_and_company_form():
    assert _clean_name("LUCERO. Brenda") == "LUCERO, Brenda"  # the comma read as a full stop
    assert _clean_name("PIÑEIRO VALDÉS. Úrsula") == "PIÑEIRO VALDÉS, Úrsula"
    assert _clean_name("ESGUERRA,.Rommel") == "ESGUERRA, Rommel"  # a speck after the comma
    assert _clean_name("SMITH JR. Foo") == "SMITH JR. Foo"  # an abbreviation's full stop stays
    assert _clean_name("ACME INC. Holdings") == "ACME INC. Holdings"
    assert _clean_name("GRUPO INDUSTRIAL TEHUACÁN, S.A. DE CV.") == "GRUPO INDUSTRIAL TEHUACÁN, S.A. DE C.V."
    # a lone capital after a name in capitals is a speck for the queue, not dropped (``JOHN A`` exists)
    assert "a lone letter ending the name (a speck?)" in problems("UNIVERSIDAD NACIONAL DE CÓRDOBA A")


def test_a_mark_read_wrong_is_given_its_one_right_form():
    assert accents.swapped_mark("Lumiére") == "Lumière"  # the engine saw a mark: è, not é
    assert accents.swapped_mark("Férderung") == "Förderung"
    assert accents.swapped_mark("Jiirgen") == "Jürgen"  # ü read as two narrow letters
    assert accents.swapped_mark("S6ren") == "Sören"
    assert accents.swapped_mark("Séren") is None  # Sören or the Swedish såren: never a guess
    assert accents.swapped_mark("William") is None and accents.swapped_mark("Inés") is None


def test_office_name_languages_are_asked_not_given():
    """PH names keep Spanish's ñ (LOS BAÑOS) but its pages print NUNEZ too: asked, never given;
    an English page's Benoit is asked about its î."""
    from digitize.settings import profile as profiles

    langs = accents.name_langs("en", profiles.load("ph").structure.name_langs)
    assert "es:ñ" in langs and "es:ñ" not in accents.NAME_LANGS["en"]
    assert accents.usual_spelling("BANOS", langs, gain=-0.6)[0] == "BAÑOS"
    assert accents.usual_spelling("BANOS", accents.NAME_LANGS["en"], gain=0.7) is None
    assert accents.usual_spelling("JOSE", langs, gain=-0.6) is None  # no acute accents for PH
    assert accents.usual_spelling("Benoit", accents.NAME_LANGS["en"], gain=-0.6)[0] == "Benoît"


def test_ipc_subclass_read_as_a_digit():
    text, fixed = normalize.ipc_subclass_digits("A2387/02 (2022.01); B65041/04 (2019.01); F24S 10/40 (2006.01)")
    assert text.startswith("A23B 7/02 (2022.01); B65D 41/04 (2019.01); F24S 10/40")
    assert len(fixed) == 2
    assert normalize.ipc_subclass_digits("H01R 13/52 (2014.01)") == ("H01R 13/52 (2014.01)", [])
    assert len(normalize.ipc_symbols_read("A23B 7/02, HOAL 9/40")) == 2  # H04L read HOAL: counted, so asked


def test_application_number_in_the_office_format_among_the_label_remains():
    assert _in_format(["Acta N2 P20220159197"], r"P\d{11}") == "P20220159197"
    assert _in_format(["P20200163900 71"], r"P\d{11}") == "P20200163900"
    assert _in_format(["20914589.3 71"], r"\d{8}\.\d") == "20914589.3"
    assert _in_format(["Acta N2"], r"P\d{11}") is None
    assert _in_format(["P20200163900", "P20200163901"], r"P\d{11}") is None  # two: not chosen between


def test_title_specks_and_checks():
    assert _title_text(["MULTILAYER FILM WITH OXYGEN BARRIER | LAYER"]) == "MULTILAYER FILM WITH OXYGEN BARRIER LAYER"
    assert _title_text(["© RICE HULL GASIFIER WITH ROTATING  GRATE"]) == "RICE HULL GASIFIER WITH ROTATING GRATE"
    assert _title_text([".54 ANTIBODIES BINDING"]) == "ANTIBODIES BINDING"
    assert _title_text(["SEAWEED- BASED BIOSTIMULANT"]) == "SEAWEED-BASED BIOSTIMULANT"
    assert any("lone ':'" in w for w in title_issues("PROCEDIMIENTO DE ÁCIDO : LÁCTICO"))
    assert _title_vs_abstract("Charging connector for an electric-vehicle",
                              "Disclosed: charging connector for an electric vehicle, comprising") != []
    assert _title_vs_abstract("Charging connector with liquid-cooled contacts",
                              "a connector with liquid-cooled contacts") == []


def test_a_country_with_a_speck_still_counts_as_a_party_printed():
    from digitize.structure.anchors import FieldText

    ft = FieldText(["PHILIPPINE COUNCIL FOR AGRICULTURE, AQUATIC AND NATURAL",
                    "RESOURCES RESEARCH AND DEVELOPMENT (COQ) 7", "BLUEWATER FILTRATION, INC. (MX)",
                    "LUZON POWER SYSTEMS, INC. (MX)", "VISAYAS COCONUT PRODUCTS CORP. (CL)"], [], 1)
    assert printed_party_count(ft) == 4
