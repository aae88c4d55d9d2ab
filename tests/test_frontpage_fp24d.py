"""Issue 24, stop 37: the mechanisms behind sealed-7's wrong fields (bench/README.md, "Front
pages, eighth stop"). The name lines read a second time by the Spanish model on a page rendered
and read by the real engine (Tesseract, no mocks); the readers alone for what is decided from text
already read.
"""

from __future__ import annotations

from digitize.model import PageImage
from digitize.settings import profile as profiles
from digitize.structure import marks
from digitize.structure.anchors import split_label
from digitize.structure.frontpage import _title_text
from digitize.structure.gate import title_issues
from digitize.structure.parties import parse

from test_frontpage_fp24 import _sheet


def test_a_mark_the_second_reading_sees_is_given_by_evidence_and_asked_when_in_doubt():
    """The Spanish model writes every mark it sees as its own (ä as á, ö as ó): the names'
    languages decide the letter when they write the word so, else the letter seen is given and
    asked; a common spelling seen surely is not asked."""
    assert marks.merged("MOREAU-LEGER,", "MOREAU-LÉGER") == "MOREAU-LÉGER,"
    assert marks.merged("GONCALVES", "GONCAIVES") is None  # other letters: left as read
    assert marks.merged("SMITH", "SMITH") is None
    sure = marks.decide("MOREAU-LEGER,", "MOREAU-LÉGER,", 91.0, ("en", "de", "sv", "fr"))
    assert sure.text == "MOREAU-LÉGER," and sure.why is None
    umlaut = marks.decide("HAKKINEN,", "HÁKKINEN,", 64.0, ("en", "de", "sv", "fr"))
    assert umlaut.text == "HÄKKINEN," and "HÁKKINEN" in umlaut.why  # the letter from German/Swedish usage, asked (64)
    unknown = marks.decide("QUEMENER", "QUÉMENER", 93.0, ("en", "de", "sv", "fr"))
    assert unknown.text == "QUÉMENER" and unknown.why  # no list writes it: the letter seen, asked
    spanish = marks.decide("NAVAR", "NÁVAR", 95.0, ("es", "de"))
    assert spanish.text == "NÁVAR" and spanish.why  # Swedish's ``nävar`` is no name of a Spanish page
    assert marks.decide("SOLA", "SOLÁ", 40.0, ("es", "de")) is None  # a mark seen too unsurely: a speck?
    assert marks.decide("VALVULA", "VÁLVULA", 95.0, (), allowed=marks.SPANISH).text == "VÁLVULA"


def _ep_front_page():
    """An EP front page whose inventors' names carry acute accents the English model drops."""
    return _sheet([
        (250, 300, "(11) EP 3 999 001 A1"), (250, 400, "(12) EUROPEAN PATENT APPLICATION"),
        (250, 500, "(43) Date of publication: 08.06.2022 Bulletin 2022/23"),
        (250, 600, "(21) Application number: 20707001.7"), (250, 700, "(22) Date of filing: 26.10.2020"),
        (250, 800, "(51) Int Cl.: C05F 11/00 (2006.01)"),
        (250, 900, "(71) Applicant: Orchard Biosciences Ltd (DE)"),
        (250, 1000, "(72) Inventors:"),
        (330, 1060, "MOREAU-LÉGER, Aino"), (330, 1120, "75008 Paris (FR)"),
        (330, 1180, "SZABÓ, Cosima"), (330, 1240, "1051 Budapest (HU)"),
        (250, 1350, "(54) SOIL CONDITIONER MADE OF FERMENTED FRUIT PULP"),
        (250, 1450, "(57) A soil conditioner made of fermented fruit pulp and a method of making it."),
    ])


def test_ep_names_read_again_give_their_marks_on_a_rendered_page():
    """An EP front page in English: the English model reads the names without their acute
    accents; the inventors' lines read again on the stored image give them (one engine call a
    field), each decided by the names' languages or asked."""
    from digitize.pipeline import document_with_pages, ocr_page
    from digitize.preprocess import bilevel
    from digitize.proofread import auto_correct

    image = _ep_front_page()
    prof = profiles.load("ep")
    page, prepared = ocr_page(PageImage(number=1, image=image, dpi=300), prof)
    pages, _, _ = auto_correct([page], prof)
    stored = bilevel(prepared.image, prepared.ink_level)
    plain = document_with_pages(pages, prof, source="t", doc_id="t")
    assert [p.name for p in plain.biblio.inventors] == ["MOREAU-LEGER, Aino", "SZABO, Cosima"]  # eng: no É, Ó
    doc = document_with_pages(pages, prof, source="t", doc_id="t", images={1: stored}.get)
    assert [p.name for p in doc.biblio.inventors] == ["MOREAU-LÉGER, Aino", "SZABÓ, Cosima"]
    assert {c.rule for c in doc.corrections} >= {"reread-marks"}  # each change recorded, undoable
    assert {c.old for c in doc.corrections if c.rule == "reread-marks"} == {"MOREAU-LEGER,", "SZABO,"}


def test_a_label_with_an_alternative_after_a_slash_is_taken_off():
    rest, _ = split_label("Resident Agent/Attorney PINEDA, PERLA", ["Resident Agent", "Agent", "Attorney"])
    assert rest == "PINEDA, PERLA"


def test_a_code_alone_on_the_title_s_first_line_is_no_part_of_it():
    assert _title_text(["7", "HORNO DE PAN DE LEÑA CON DOBLE BÓVEDA"]) == "HORNO DE PAN DE LEÑA CON DOBLE BÓVEDA"
    assert _title_text(["3D PRINTER HEAD"]) == "3D PRINTER HEAD"
    assert title_issues("3D PRINTER HEAD") == []


def test_the_title_s_own_label_after_it_and_another_field_s_label_inside_it():
    from digitize.structure.anchors import label_table
    from digitize.structure.frontpage import _without_label
    from digitize.structure.gate import _labels_inside

    table = label_table(None)
    assert _without_label("ABONO ORGÁNICO OBTENIDO DE ORUJO DE UVA Título,", table["54"]) == \
        "ABONO ORGÁNICO OBTENIDO DE ORUJO DE UVA"
    assert _without_label("TEJA TÉRMICA CON CÁMARA DE AIRE Denominación", table["54"]) == "TEJA TÉRMICA CON CÁMARA DE AIRE"
    assert _labels_inside("JERINGA PRELLENADA (11D) Solicitante/s COMPAÑÍA ARGENTINA S.A.I.C.", table)
    assert not _labels_inside("PRIORITY QUEUE FOR A NETWORK SWITCH", table)


def test_a_list_separated_by_semicolons_wraps_its_last_name():
    ps = parse(["UNIVERSITY OF SOUTHERN MINDANAO; PALAWAN SEAWEED PROCESSORS, INC.; GRANITE PEAK",
                "INSTRUMENTS, INC."])
    assert [p.name for p in ps] == ["UNIVERSITY OF SOUTHERN MINDANAO", "PALAWAN SEAWEED PROCESSORS, INC.",
                                    "GRANITE PEAK INSTRUMENTS, INC."]
    one_a_line = parse(["ACME S.A.; Calle 5 No. 12, Monterrey", "BETA LTDA.; Av. Sur 3, Lima"])
    assert [p.name for p in one_a_line] == ["ACME S.A.", "BETA LTDA."]  # ``NAME; address`` a line: not joined


def test_a_person_among_the_first_party_s_address_lines_starts_the_next_party():
    ps = parse(["Leonila SOLIDUM", "McArthur Highway,", "Barangay Dolores, San Fernando City, Pampanga",
                "Lilibeth MANGUBAT", "Purok 3, Barangay Bagumbayan, Tacurong City, Sultan Kudarat (PH)"])
    assert [(p.name, p.country) for p in ps] == [("Leonila SOLIDUM", None), ("Lilibeth MANGUBAT", "PH")]


def test_a_name_s_last_line_ending_in_a_misread_company_form_is_no_address():
    ps = parse(["Officine Meccaniche", "Bergamasche S.rl. (IT)"])
    assert [(p.name, p.address, p.country) for p in ps] == [("Officine Meccaniche Bergamasche S.rl.", [], "IT")]


def test_the_second_reading_leaves_a_reviewer_s_word_alone_and_the_api_takes_a_dict_of_images():
    """A word a reviewer decided as read (``SZABO,``) is not given a mark by the second reading
    (what a person decided is kept); ``api.finish`` takes the stored images as a dict."""
    from digitize import api
    from digitize.model import Decisions
    from digitize.pipeline import document_with_pages, ocr_page
    from digitize.preprocess import bilevel
    from digitize.proofread import auto_correct

    prof = profiles.load("ep")
    page, prepared = ocr_page(PageImage(number=1, image=_ep_front_page(), dpi=300), prof)
    stored = bilevel(prepared.image, prepared.ink_level)
    pages, _, _ = auto_correct([page], prof)
    szabo = next(w.id for w in pages[0].words() if w.text == "SZABO,")
    doc = document_with_pages(pages, prof, source="t", doc_id="t", images={1: stored}.get, keep={szabo})
    assert [p.name for p in doc.biblio.inventors] == ["MOREAU-LÉGER, Aino", "SZABO, Cosima"]
    page, _ = ocr_page(PageImage(number=1, image=_ep_front_page(), dpi=300), prof)
    doc = api.finish([page], prof, Decisions(words={szabo: "SZABO,"}), images={1: stored})
    assert [p.name for p in doc.biblio.inventors] == ["MOREAU-LÉGER, Aino", "SZABO, Cosima"]
