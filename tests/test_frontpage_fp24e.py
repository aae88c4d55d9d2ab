"""Issue 24, stop 38: the mechanisms behind sealed-8's wrong fields (bench/README.md, "Front
pages, ninth stop"). A rendered page read by the real engine (Tesseract, no mocks) for the
layout; the readers alone, on words placed where the engine put them on sealed-8's pages, for
what is decided from text already read.
"""

from __future__ import annotations

from digitize.model import Block, Line, OcrPage, Word
from digitize.settings import profile as profiles
from digitize.structure import gate
from digitize.structure.anchors import Anchor, field_lines, find_anchors, read_fields
from digitize.structure.normalize import ipc_symbols_read, parse_publication_number
from digitize.structure.parties import parse

from test_frontpage_fp24 import _read, _sheet


def test_values_right_of_their_labels_under_a_centred_heading_code_are_the_fields():
    """A label column and its values beside it, under ``(12) PATENT APPLICATION PUBLICATION``
    centred above them, its code standing just right of where the values start: the values are
    their labels' fields, not the heading's; the publication number prints its application's
    slashes."""
    rows = [("(11) Patent No.:", "PH 1/2021/964430 A1"), ("(21) Application No.:", "1-2021-964430"),
            ("(22) Date Filed:", "26/06/2021"), ("(43) Date Published:", "23/05/2022"),
            ("(51) Int. Class:", "A01N 65/26 (2006.01)"),
            ("(54) Title of the Invention:", "MOSQUITO LARVICIDE TABLET FROM NEEM EXTRACT"),
            ("(71) Name of Applicant(s):", "VISAYAN MARINE BIOPRODUCTS, INC. (PH)"),
            ("(72) Name of Inventor(s):", "TALAMPAS, Edgardo"), ("(74) Attorney/Agent:", "MACAWILI, Charito")]
    items = [(800, 250, "INTELLECTUAL PROPERTY OFFICE"), (790, 400, "(12) PATENT APPLICATION PUBLICATION")]
    for k, (label, value) in enumerate(rows):
        items += [(230, 560 + 100 * k, label), (760, 560 + 100 * k, value)]
    items += [(230, 1560, "(57) ABSTRACT"), (230, 1640, "Disclosed is a mosquito larvicide tablet.")]
    b = _read(_sheet(items), "ph").biblio
    assert (b.value("doc_number"), b.value("kind")) == ("12021964430", "A1")
    assert b.value("application_number") == "1-2021-964430"
    assert (b.value("filing_date"), b.value("publication_date")) == ("2021-06-26", "2022-05-23")
    assert [c.text for c in b.ipc] == ["A01N 65/26 (2006.01)"]
    assert b.value("title") == "MOSQUITO LARVICIDE TABLET FROM NEEM EXTRACT"


def test_a_publication_number_with_its_application_s_slashes_only_under_its_own_code():
    assert parse_publication_number("Patent No. PH 2/2019/986545 U1", slashed=True) == ("PH", "22019986545", "U1")
    assert parse_publication_number("PH 1,2023/962657 Al |", slashed=True) == ("PH", "12023962657", "A1")
    assert parse_publication_number("(87) WO 2017/064781 A1") is None  # elsewhere: another document's number


_n = iter(range(10_000))


def _line(*words: tuple[str, tuple[int, int, int, int]]) -> Line:
    ws = [Word(id=f"w{next(_n)}", text=t, bbox=b, conf=90.0) for t, b in words]
    return Line(bbox=(min(b[0] for _, b in words), min(b[1] for _, b in words),
                      max(b[2] for _, b in words), max(b[3] for _, b in words)), words=ws)


def _page(*lines: Line) -> OcrPage:
    return OcrPage(number=1, width=2480, height=3508, dpi=300,
                   blocks=[Block(bbox=(0, 0, 2480, 3508), lines=list(lines))])


def test_a_code_after_a_rule_read_as_a_mark_starts_a_field():
    """A line read across both columns of a faint page: the right column's bare code after the
    rule between the columns is a code when its label follows (``… 15.07.2017 | 73 Proprietors``)."""
    page = _page(
        _line(("22", (218, 845, 256, 870)), ("Date", (270, 845, 330, 870)), ("of", (340, 845, 370, 870)),
              ("filing", (380, 845, 450, 870)), ("15.07.2017", (470, 845, 640, 870)), ("|", (1255, 840, 1262, 875)),
              ("73", (1290, 845, 1330, 870)), ("Proprietors", (1345, 845, 1520, 870)),
              ("Gesellschaft", (1540, 845, 1760, 870))),
        _line(("21", (218, 752, 251, 777)), ("Application", (270, 752, 440, 777)), ("number", (450, 752, 560, 777)),
              ("17760780.9", (580, 752, 760, 777))))
    codes = {a.code for a in find_anchors(page, None)[0]}
    assert {"22", "73", "21"} <= codes
    fields = read_fields(page, profiles.load("ep").structure)
    assert fields["73"].text.startswith("Gesellschaft")


def test_a_front_page_too_faint_to_read_is_told_by_a_code_and_a_label_together():
    """``(12) INVENTION PATENT`` and ``74. Attorney Agent`` are all a starved scan gives: the page
    is a front page nobody could read, and its fields are asked."""
    page = _page(_line(("(12)", (970, 380, 1044, 413)), ("INVENTION", (1060, 380, 1300, 413)),
                       ("PATENT", (1320, 380, 1480, 413))),
                 _line(("74.", (237, 1270, 275, 1289)), ("Attorney", (290, 1270, 420, 1289)),
                       ("Agent", (430, 1270, 520, 1289))))
    assert {name for name, _ in gate.no_front_page([page], None)} == {"filing_date", "ipc:51", "parties:72",
                                                                     "parties:74"}
    letter = _page(_line(("Dear", (237, 400, 320, 430)), ("Sir,", (330, 400, 400, 430))))
    assert gate.no_front_page([letter], None) == []


def test_a_label_and_its_value_read_as_two_lines_of_one_row_are_read_left_to_right():
    """``Patent No.:`` (label block) beside ``PH 12021964430 A1`` (value block), the value read a
    few pixels higher: the label comes first, and is taken off."""
    a = Anchor("11", (225, 542, 293, 582))
    value = [Word(id="v1", text="PH", bbox=(761, 546, 808, 576), conf=91.0),
             Word(id="v2", text="12021964430", bbox=(825, 546, 1040, 576), conf=91.0)]
    label = [Word(id="l1", text="Patent", bbox=(305, 550, 400, 580), conf=90.0),
             Word(id="l2", text="No.:", bbox=(410, 550, 470, 580), conf=90.0)]
    a.words = value + label
    a.line_of = {"v1": 5, "v2": 5, "l1": 1, "l2": 1}
    assert [[w.text for w in ws] for ws in field_lines(a)] == [["Patent", "No.:"], ["PH", "12021964430"]]


def test_a_company_form_and_another_after_a_comma_are_one_form():
    got = parse(["Blue Heron Optics, Inc. (US)", "Okayama Seimitsu Co., Ltd. (US)"])
    assert [(p.name, p.address, p.country) for p in got] == [
        ("Blue Heron Optics, Inc.", [], "US"), ("Okayama Seimitsu Co., Ltd.", [], "US")]
    assert [(p.name, p.address) for p in parse(["ACME GmbH, Berlin (DE)"])] == [("ACME GmbH", ["Berlin"])]


def test_ipc_symbols_printed_are_counted_whatever_letter_a_class_digit_was_read_as():
    assert len(ipc_symbols_read("CO9D 5/1662, AGIK 36/28")) == 2


def test_an_at_sign_inside_a_name_is_the_o_slash_the_engine_has_no_letter_for():
    from digitize.structure.parties import o_slash

    assert o_slash("TROMS@ FISKEINDUSTRI AS") == "TROMSØ FISKEINDUSTRI AS"
    assert (o_slash("GR@NBECH, Frauke"), o_slash("Bj@rn")) == ("GRØNBECH, Frauke", "Bjørn")
    assert o_slash("info@example.com") == "info@example.com"


def test_a_one_word_label_after_a_word_qualifying_it_is_no_party():
    from digitize.structure.anchors import label_table
    from digitize.structure.gate import _is_label

    table = label_table(None)
    assert _is_label("Local Agent", table) and _is_label("Resident Agent.", table)
    assert not any(_is_label(n, table) for n in ("Joselito B. MAGLAYA", "Fjord Patent AS", "SECRET AGENT"))


def test_an_ep_entry_ends_at_its_country_and_a_street_in_small_letters_is_an_address():
    """``WOJCIK, Ghislaine`` / ``6850 Dornbirn (AT)`` / ``Toth, Bjorn`` / ``ul. Piotrkowska 90`` /
    ``9027 Gyér (HU)``: two inventors, the second's address not joined to her name."""
    got = parse(["WOJCIK, Ghislaine", "6850 Dornbirn (AT)", "Toth, Bjorn", "ul. Piotrkowska 90", "9027 Gyér (HU)"])
    assert [(p.name, p.country) for p in got] == [("WOJCIK, Ghislaine", "AT"), ("Toth, Bjorn", "HU")]
