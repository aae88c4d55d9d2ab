"""Issue 24, third stop: the failure patterns sealed-2 showed (fields wrong and nobody asked), each
on rendered pages read by the real engine (Tesseract, no mocks) where a page can show it, else on
the reader's own functions with the words the engine gives.

- a field whose INID code is not read (lost by the engine, or a layout that prints labels only)
  but whose label is: found by its label, not swallowed by the field above it;
- no inventor read on a front page: queued;
- an EP applicant's name wrapped over two bulleted lines: one name, no address;
- ``SURNAME, Given Names`` and the town line under it read as one line: the given names stay in
  the name;
- a date word read with low confidence beside a bulletin number: queued;
- an application number line read as a speck: the number is the line with digits; none without.
"""

from __future__ import annotations

from test_frontpage_issue24 import SANS, _page, _queued, _read, _right_or_queued

from digitize.model import Word
from digitize.structure import parties
from digitize.structure.anchors import FieldText


def test_codes_not_printed_fields_found_by_their_labels():
    """PH: the party and title codes are not printed, only their labels (``Inventor(s):``,
    ``Agent:``, ``Title:``): each field is found by its label; the applicants' field does not
    swallow the inventors, the agents or the title."""
    rows = [(250, "(19) INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES"), (250, "(12) INVENTION PATENT"),
            (250, "(11) Publication Number: PH 12025069469 B1"), (250, "(21) Application Number: 1-2024-628902"),
            (250, "(22) Filing Date: 07.10.2024"), (250, "(43) Publication Date: 17.02.2025"),
            (250, "(51) Int. Cl.: A61K 31/506 (2006.01)"),
            (250, "(71) Applicant: LUZON AGRI-VENTURES CORPORATION (PH)"),
            (400, "Inventor(s): MACAPAGAL, Ingrid; FITZGERALD, Gretchen"),
            (400, "Agent: ZIEGLER, Harold"), (400, "Title: RICE HUSK GASIFIER"),
            (400, "Abstract: The invention relates to a rice husk gasifier.")]
    doc = _read([_page(rows, SANS)], "ph")
    b = doc.biblio
    assert [p.name for p in b.applicants] == ["LUZON AGRI-VENTURES CORPORATION"]
    assert len(b.inventors) == 2 and len(b.agents) == 1
    _right_or_queued([p.name for p in b.inventors], ["MACAPAGAL, Ingrid", "FITZGERALD, Gretchen"], doc, ["parties:72"])
    _right_or_queued([p.name for p in b.agents], ["ZIEGLER, Harold"], doc, ["parties:74"])
    assert b.title is not None and b.title.value == "RICE HUSK GASIFIER"


def test_two_columns_right_column_labels_only():
    """EP-like: numbers and dates with their codes on the left, the parties on the right under
    labels without codes, read by the engine straight across both columns."""
    left = [(250, "(11) EP 4 826 970 A1"), (250, "(21) Application number: 24748195.5"),
            (250, "(22) Date of filing: 10.10.2024"), (250, "(43) Date of publication: 22.07.2026"),
            (250, "(51) Int Cl.: C10J 3/20 (2006.01)"), (250, ""), (250, "")]
    right = [(1400, "Applicant:"), (1400, "NORTHERN LIGHTS OPTICAL LIMITED (JP)"), (1400, "Inventors:"),
             (1400, "WAKEFIELD, Rowena (NL)"), (1400, "FITZGERALD, Theresa (GB)"), (1400, "Representative:"),
             (1400, "ABERNATHY, Ingrid")]
    rows = [(250, "(19) European Patent Office"), (250, "(12) EUROPEAN PATENT APPLICATION")]
    for (lx, lt), (rx, rt) in zip(left, right):
        rows += [(lx, lt), (-rx, rt)]
    rows += [(250, ""), (250, "(54) Title: ADAPTIVE TRAFFIC SIGNAL CONTROL"), (250, "(57) Abstract: A method.")]
    doc = _read([_page(rows, SANS)], "ep")
    b = doc.biblio
    assert [(p.name, p.country) for p in b.applicants] == [("NORTHERN LIGHTS OPTICAL LIMITED", "JP")]
    assert [(p.name, p.country) for p in b.inventors] == [("WAKEFIELD, Rowena", "NL"), ("FITZGERALD, Theresa", "GB")]
    assert [p.name for p in b.agents] == ["ABERNATHY, Ingrid"]
    assert b.value("application_number") == "24748195.5"


def test_no_inventor_on_the_front_page_is_queued():
    """(72) not on the page at all (its line lost): the inventors are asked for, with the reason."""
    rows = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) SOLICITUD DE PATENTE"),
            (250, "(11) Número de publicación: MX 2024031234 A"), (250, "(43) Fecha de publicación: 12/03/2024"),
            (250, "(21) Número de solicitud: MX/a/2022/014321"), (250, "(22) Fecha de presentación: 09/11/2022"),
            (250, "(51) Int. Cl.: F16K 31/12 (2006.01)"),
            (250, "(71) Solicitante(s): SANITARIOS DEL NORTE S.A. (MX)"), (250, "(74) Agente: RUIZ, Ana"),
            (250, ""), (250, "(54) Título: VÁLVULA DE ALIVIO"), (250, "(57) Resumen: Una válvula.")]
    doc = _read([_page(rows)], "mx")
    assert doc.biblio.inventors == []
    assert "inventor" in _queued(doc).get("parties:72", "").lower(), _queued(doc)


def test_ep_bulleted_company_name_wrapped_stays_one_name():
    """EP: ``• ARCHIPELAGO FOOD`` / ``TECHNOLOGIES, INC. (US)``: one applicant, the second line
    is the name's, not its address."""
    rows = [(250, "(19) European Patent Office"), (250, "(12) EUROPEAN PATENT APPLICATION"),
            (250, "(11) EP 4 594 560 A1"), (250, "(43) Date of publication: 28.06.2022"),
            (250, "(21) Application number: 20759704.7"), (250, "(22) Date of filing: 12.01.2020"),
            (250, "(51) Int Cl.: C10J 3/20 (2006.01)"),
            (250, "(71) Applicants:"), (330, "• ARCHIPELAGO FOOD"), (370, "TECHNOLOGIES, INC. (US)"),
            (330, "• LUZON AGRI-VENTURES"), (370, "CORPORATION (PH)"),
            (250, "(72) Inventors:"), (330, "• DUBOIS, Theresa"), (370, "69003 Lyon (FR)"),
            (250, "(74) Representative: ZIEGLER, Cristina Joy"), (250, ""),
            (250, "(54) Title: MODULAR FLOOD BARRIER"), (250, "(57) Abstract: A barrier.")]
    doc = _read([_page(rows, SANS)], "ep")
    apps = [(p.name, p.address, p.country) for p in doc.biblio.applicants]
    assert apps == [("ARCHIPELAGO FOOD TECHNOLOGIES, INC.", None, "US"), ("LUZON AGRI-VENTURES CORPORATION", None, "PH")]
    assert [(p.name, p.address, p.country) for p in doc.biblio.inventors] == [("DUBOIS, Theresa", "69003 Lyon", "FR")]


def test_given_names_kept_when_the_town_line_is_read_onto_the_name():
    assert parties.split_name_address("FITZGERALD, Sean Patrick 8000 Aarhus C") == ("FITZGERALD, Sean Patrick",
                                                                                   "8000 Aarhus C")
    got = parties.parse(["FITZGERALD, Sean Patrick 8000 Aarhus C (DK)"])
    assert [(p.name, p.country) for p in got] == [("FITZGERALD, Sean Patrick", "DK")]
    assert parties.split_name_address("GRAIL, LLC, Menlo Park, California") == ("GRAIL, LLC", "Menlo Park, California")
    # a town under a name is not a wrapped line of it, whatever the geometry says
    assert parties.logical_lines(["FITZGERALD, Sean Patrick", "8000 Aarhus C (DK)"]) == [
        "FITZGERALD, Sean Patrick", "8000 Aarhus C (DK)"]


def _ft(lines: list[list[tuple[str, float]]]) -> FieldText:
    words = [[Word(id=f"w{i}_{j}", text=t, bbox=(100 + 200 * j, 100 + 60 * i, 280 + 200 * j, 140 + 60 * i), conf=c)
              for j, (t, c) in enumerate(ln)] for i, ln in enumerate(lines)]
    return FieldText([" ".join(w.text for w in ws) for ws in words], [w for ws in words for w in ws], 1, words)


def test_a_date_word_read_with_low_confidence_is_flagged_whatever_the_field_mean():
    from digitize.structure.fields import _date_field

    ft = _ft([[("01/09/2022", 65.0), ("Bol.", 96.0), ("Nro.:", 96.0), ("1396", 96.0)]])
    fld = _date_field(ft, "2022-09-01", 60.0)
    assert fld.flagged and fld.confidence == 65.0
    sure = _date_field(_ft([[("01/05/2022", 95.0), ("Bol.", 96.0)]]), "2022-05-01", 60.0)
    assert not sure.flagged


def test_application_number_is_the_line_with_digits_and_queued_without_one():
    from digitize.settings import profile as profiles
    from digitize.settings.profile import or_defaults
    from digitize.model import Bibliographic
    from digitize.structure.fields import check_numbers

    settings = or_defaults(profiles.load("ep")).structure
    b = Bibliographic()
    b.application_number = _ft([[("sas", 40.0)]]).field("sas")
    assert any("no digit" in i.reason for i in check_numbers(b, settings))


def test_title_rule_and_name_bracket_remains():
    from digitize.model import Bibliographic, Field
    from digitize.structure.fields import _clean_name, check_title

    b = Bibliographic()
    b.title = Field(value="| MECANISMO DE TRANSMISIÓN PARA BICICLETA ELÉCTRICA", confidence=90.0)
    check_title(b)
    assert b.title.value == "MECANISMO DE TRANSMISIÓN PARA BICICLETA ELÉCTRICA"
    assert _clean_name("CASTELLANOS, SOLEDAD)") == "CASTELLANOS, SOLEDAD"
    assert _clean_name("ACME (PTY) LTD.") == "ACME (PTY) LTD."
    assert parties.problems("ACME (PTY LTD.")  # an unbalanced bracket is asked about


def test_parties_after_a_bracketed_country_and_a_comma_and_dutch_postcodes():
    """``A B.V. (US), B CORP. (NL); C GmbH (MX)``: three parties; ``1095 KR`` is a postcode, not
    Korea; an address's last line ``City, Province, CC`` ends its party (the next line's name is
    not glued to it)."""
    got = parties.parse(["KONINKLIJKE ZUIDERZEE B.V. (US), LUZON AGRI-VENTURES CORPORATION (NL); WESTFALEN "
                         "KUNSTSTOFFWERK GmbH (MX)"])
    assert [(p.name, p.country) for p in got] == [("KONINKLIJKE ZUIDERZEE B.V.", "US"),
                                                   ("LUZON AGRI-VENTURES CORPORATION", "NL"),
                                                   ("WESTFALEN KUNSTSTOFFWERK GmbH", "MX")]
    got = parties.parse(["POLÍMEROS Y RESINAS DEL PACÍFICO, S.A. DE C.V.; Zuiderzeeweg 15, 1095 KR",
                         "Amsterdam, Noord-Holland, NL", "CEMENTOS DEL SUR S.A.; Av. San Martín 2150,",
                         "Mendoza, Mendoza, AR"])
    assert [(p.name, p.country) for p in got] == [("POLÍMEROS Y RESINAS DEL PACÍFICO, S.A. DE C.V.", "NL"),
                                                   ("CEMENTOS DEL SUR S.A.", "AR")]


def test_specks_around_a_name_and_a_dotted_form_cut_short():
    from digitize.structure.fields import _clean_name

    assert _clean_name("o CEMENTOS Y AGREGADOS S.A.") == "CEMENTOS Y AGREGADOS S.A."
    assert _clean_name("THE REGENTS OF THE UNIVERSITY OF CALIFORNIA a") == "THE REGENTS OF THE UNIVERSITY OF CALIFORNIA"
    assert _clean_name("MARTÍNEZ y LÓPEZ S.A.") == "MARTÍNEZ y LÓPEZ S.A."
    assert parties.problems("SIERRA MADRE ORIENTAL S.A.PI. DE C.V")  # its last full stop lost: asked
    assert parties.problems("ACME S.A. DE C.V.") == []


def test_application_number_after_its_label_on_the_same_or_the_next_line():
    """AR prints ``(21) Acta N°: P2023…`` (the label holds a digit-like ``N°``, read ``N2``), on one
    line or with the number under it: the number is what follows the colon."""
    for rows21 in ([(250, "(21) Acta N°: P20231000941")], [(250, "(21) Acta N°:"), (330, "P20231000941")]):
        rows = [(250, "(19) REPUBLICA ARGENTINA"), (250, "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL"),
                (250, "(10) AR125678 A1")] + rows21 + [
                (250, "(22) Fecha de presentación: 02/05/2023"), (250, "(41) Fecha: 20/12/2023"),
                (250, "(51) Int. Cl.: A01B 15/00 (2006.01)"), (250, "(71) Titular: METALÚRGICA PAMPA LTDA. (AR)"),
                (250, "(72) Inventor: SOSA, Raúl"), (250, ""), (250, "(54) Título: ARADO DE DISCOS"),
                (250, "(57) Resumen: Un arado.")]
        doc = _read([_page(rows)], "ar")
        assert doc.biblio.value("application_number") == "P20231000941", doc.biblio.value("application_number")
    from digitize.structure.fields import _clean_name

    assert _clean_name("‘ITZEL URQUIZA") == "ITZEL URQUIZA"
