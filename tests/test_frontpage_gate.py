"""Issue 24, fourth stop: the failure patterns sealed-3 showed (fields wrong and nobody asked),
each on rendered pages read by the real engine (Tesseract, no mocks), and the trust gate
(``structure/gate.py``) that queues a field when the page's independent signals disagree.

- INID codes printed bare (``21 Número de solicitud``) or in a margin column of bare codes with
  their labels beside them: found when the label confirms the code;
- an abstract printed across both columns under a two-column front page: its right half is not
  the title's (nor an agent's);
- a title that ends on a connector, changes from capitals to lower case, repeats its words;
- a label read as a party (``Names of Applicants``);
- an IPC symbol without the version its neighbours print; no IPC, no filing date read;
- inventors printed one per line after a long label (issue 29's ``JORGE ORTEGA`` /
  ``HERRERA, Andrés Felipe``): each a party, or the list queued;
- one party of a list with its country, another without (a name split over two lines);
- a name word whose marked spelling is as real as the one read (``ARGUELLO``/``ARGÜELLO``).
"""

from __future__ import annotations

from test_frontpage_issue24 import SANS, _page, _queued, _read, _right_or_queued

from digitize.structure import gate
from digitize.structure.anchors import strip_label


def test_bare_codes_with_their_labels_are_codes():
    """MX: codes printed without brackets, each followed by its label and the value under it."""
    rows = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) SOLICITUD DE PATENTE"),
            (250, "11 Número de publicación"), (330, "MX 2025054512 A"),
            (250, "21 Número de solicitud"), (330, "MX/a/2023/055543"),
            (250, "22 Fecha de presentación"), (330, "21/04/2023"),
            (250, "43 Fecha de publicación"), (330, "08/12/2025"),
            (250, "51 Clasificación Internacional"), (330, "F04B 53/14 (2006.01)"),
            (250, "71 Solicitante"), (330, "BEBIDAS Y JUGOS DEL SURESTE, S.A. DE C.V. (MX)"),
            (250, "72 Inventores"), (330, "ANA BELÉN VIDELA TAPIA"),
            (250, "74 Agente"), (330, "CELIA ECHEVERRÍA"),
            (250, "54 Título"), (330, "AISLADOR SÍSMICO PARA EDIFICIOS"),
            (250, "57 Resumen"), (330, "Un aislador sísmico.")]
    doc = _read([_page(rows, SANS)], "mx")
    b = doc.biblio
    assert b.value("doc_number") == "2025054512" and b.value("kind") == "A"
    assert b.value("application_number") == "MX/a/2023/055543"
    assert b.value("filing_date") == "2023-04-21" and b.value("publication_date") == "2025-12-08"
    assert [c.text for c in b.ipc] == ["F04B 53/14 (2006.01)"]
    assert [p.name for p in b.applicants] == ["BEBIDAS Y JUGOS DEL SURESTE, S.A. DE C.V."]
    _right_or_queued([p.name for p in b.inventors], ["ANA BELÉN VIDELA TAPIA"], doc, ["parties:72"])
    assert b.title is not None and b.title.value == "AISLADOR SÍSMICO PARA EDIFICIOS"


def test_margin_column_of_bare_codes():
    """PH: the codes alone in a left margin column, each label and value beside it."""
    rows = [(250, "(19) INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES"), (250, "(12) INVENTION PATENT")]
    for code, label, value in [("11", "Pub. No.", "PH 12016086508 B1"), ("21", "Application No.", "1-2016-086508"),
                               ("22", "Filing Date", "26.01.2016"), ("45", "Date Issued", "03.02.2017"),
                               ("51", "International Classification", "C11B 1/10 (2006.01)"),
                               ("71", "Applicants", "VOSSBERG ANTRIEBSTECHNIK GmbH (DE)"),
                               ("72", "Inventor", "YULO, Perpetua (ES)"), ("74", "Agent(s)", "TOLENTINO, Ferdinand"),
                               ("54", "Title of Invention", "TEST STRIP FOR DETECTING FORMALIN"),
                               ("57", "Abstract", "Disclosed is a test strip.")]:
        rows += [(250, code), (-400, label), (400, value), (250, "")]
    doc = _read([_page(rows, SANS)], "ph")
    b = doc.biblio
    assert b.value("doc_number") == "12016086508" and b.value("application_number") == "1-2016-086508"
    assert b.value("filing_date") == "2016-01-26"
    assert [(p.name, p.country) for p in b.applicants] == [("VOSSBERG ANTRIEBSTECHNIK GmbH", "DE")]
    assert [(p.name, p.country) for p in b.inventors] == [("YULO, Perpetua", "ES")]
    assert [p.name for p in b.agents] == ["TOLENTINO, Ferdinand"]
    _right_or_queued(b.title.value, "TEST STRIP FOR DETECTING FORMALIN", doc, ["title"])


def test_full_width_abstract_under_two_columns_is_not_the_title():
    """The title ends the right-hand column; the abstract below runs across both columns: the
    right half of its lines stays in the abstract, not in the title."""
    left = [(250, "(11) MX 2022044771 B"), (250, "(21) No. de solicitud: MX/a/2019/059983"),
            (250, "(22) Fecha de presentación: 17/04/2019"), (250, "(45) Fecha de publicación: 17/06/2022"),
            (250, "(51) Int. Cl.: A61F 13/42 (2006.01)")]
    right = [(1300, "(71) Solicitante(s): GRUPO PEÑASCO, S.A. (MX)"), (1300, "(72) Inventor(es): RUIZ, Ana"),
             (1300, "(74) Agente: TAPIA, Celia"), (1300, "(54) Título: AISLADOR SÍSMICO PARA"),
             (1300, "EDIFICIOS DE PEQUEÑA ALTURA")]
    rows = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) PATENTE")]
    for (lx, lt), (rx, rt) in zip(left, right):
        rows += [(lx, lt), (-rx, rt)]
    rows += [(250, ""), (250, "(57) Resumen:"),
             (330, "La invención se refiere a un aislador sísmico para edificios de pequeña altura, que"),
             (330, "comprende un bastidor, un módulo de control y un conjunto de sensores dispuestos")]
    doc = _read([_page(rows, SANS, px=40)], "mx")
    assert doc.biblio.title.value == "AISLADOR SÍSMICO PARA EDIFICIOS DE PEQUEÑA ALTURA", doc.biblio.title.value
    assert [p.name for p in doc.biblio.agents] == ["TAPIA, Celia"]


def test_one_name_per_line_after_a_long_label_is_not_one_wrapped_name():
    """Issue 29's case: ``Inventor(es): JORGE ORTEGA`` then ``HERRERA, Andrés Felipe`` on the next
    line, the first line long because of its label: two inventors, or the list queued."""
    rows = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) SOLICITUD DE PATENTE"),
            (250, "(11) Número de publicación: MX 2024031234 A"), (250, "(43) Fecha de publicación: 12/03/2024"),
            (250, "(21) Número de solicitud: MX/a/2022/014321"), (250, "(22) Fecha de presentación: 09/11/2022"),
            (250, "(51) Int. Cl.: F16K 31/12 (2006.01)"), (250, "(71) Solicitante(s): SANITARIOS DEL NORTE S.A. (MX)"),
            (250, "(72) Inventor(es): MARÍA DE LOS ÁNGELES PEÑA VILLALBA JORGE ORTEGA"),
            (330, "HERRERA, Andrés Felipe"),
            (250, "(74) Agente: RUIZ, Ana"), (250, ""), (250, "(54) Título: VÁLVULA DE ALIVIO"),
            (250, "(57) Resumen: Una válvula.")]
    doc = _read([_page(rows, SANS)], "mx")
    names = [p.name for p in doc.biblio.inventors]
    _right_or_queued(names, ["MARÍA DE LOS ÁNGELES PEÑA VILLALBA JORGE ORTEGA", "HERRERA, Andrés Felipe"], doc,
                     ["parties:72"])


def test_label_read_as_a_party_is_dropped_and_asked():
    rows = [(250, "(19) INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES"), (250, "(12) UTILITY MODEL"),
            (250, "(11) PH 22016086129 U1"), (250, "(21) Application No.: 2-2016-086129"),
            (250, "(22) Filing Date: 26.01.2016"), (250, "(43) Publication Date: 03.02.2017"),
            (250, "(51) Int. Cl.: C11B 1/10 (2006.01)"),
            (250, "(71)"), (330, "Names of Applicants"), (330, "Halcyon Marine Systems, Inc."),
            (250, "(72) Inventor: Angelica D. DIMAGUILA"), (250, "(74) Agent: Isidro J. ESGUERRA"),
            (250, "(54) Title: TEST STRIP"), (250, "(57) Abstract: A strip.")]
    doc = _read([_page(rows, SANS)], "ph")
    names = [p.name for p in doc.biblio.applicants]
    assert "Names of Applicants" not in names
    assert names == ["Halcyon Marine Systems, Inc."]


def test_title_signals():
    assert gate.title_issues("UNGÜENTO CICATRIZANTE A BASE DE")  # its last line elsewhere
    assert gate.title_issues("AISLADOR SÍSMICO PARA EDIFICIOS para edificios de pequeña altura, que")
    assert gate.title_issues("PAÑAL DESECHABLE CON INDICADOR DE HUMEDAD desechable con indicador de humedad")
    assert gate.title_issues("of Invention SOLAR-POWERED COLD STORAGE UNIT")
    assert gate.title_issues("- Cápsula biodegradable para café")
    assert not gate.title_issues("Cápsula biodegradable para café y máquina de extracción")
    assert not gate.title_issues("DISPOSITIVO ELECTRÓNICO PORTÁTIL PARA LA MEDICIÓN SIMULTÁNEA DE PRESIÓN ARTERIAL")
    assert not gate.title_issues("Modular jeepney chassis with an electric drive train")
    assert not gate.title_issues("METHOD FOR PRODUCING A pH-SENSITIVE FILM")
    assert gate.title_issues("TEST. STRIP FOR DETECTING FORMALIN")


def test_labels_taken_off_fuzzily_and_with_a_dash():
    assert strip_label("Acta N° - P20160391289", ["Acta N°"]) == "P20160391289"
    assert strip_label("No.de solicitud Mx/a/2020/052099", ["No. de solicitud"]) == "Mx/a/2020/052099"
    assert strip_label("Inventor (s) Rodel S. DE GUZMAN", ["Inventor(s)"]) == "Rodel S. DE GUZMAN"
    assert strip_label("Titular/es: HALCYON MARINE SYSTEMS, INC.", ["Titular"]) == "HALCYON MARINE SYSTEMS, INC."
    assert strip_label("GRUPO INDUSTRIAL", ["Título"]) == "GRUPO INDUSTRIAL"


def test_ipc_and_filing_date_never_silently_empty():
    rows = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) SOLICITUD DE PATENTE"),
            (250, "(11) Número de publicación: MX 2024031234 A"), (250, "(43) Fecha de publicación: 12/03/2024"),
            (250, "(21) Número de solicitud: MX/a/2022/014321"),
            (250, "(71) Solicitante(s): SANITARIOS DEL NORTE S.A. (MX)"), (250, "(72) Inventor(es): RUIZ, Ana"),
            (250, "(54) Título: VÁLVULA DE ALIVIO"), (250, "(57) Resumen: Una válvula.")]
    doc = _read([_page(rows, SANS)], "mx")
    q = _queued(doc)
    assert doc.biblio.filing_date is None and "filing date" in q.get("filing_date", "")
    assert doc.biblio.ipc == [] and "IPC" in q.get("ipc:51", "")


def test_a_front_page_not_read_asks_for_every_field():
    """Two front-page labels and no INID code read: every field is asked for; a page of prose
    only for the mandatory ones."""
    rows = [(250, "INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "Solicitante: ACME S.A."),
            (250, "Inventor: RUIZ, Ana"), (250, "La invención se refiere a una válvula de alivio.")]
    q = _queued(_read([_page(rows, SANS)], "mx"))
    assert {"filing_date", "ipc:51", "parties:72", "parties:74", "doc_number", "title"} <= set(q)
    rows = [(250, "DESCRIPCIÓN"), (250, "La invención se refiere a una válvula de alivio para tuberías."),
            (250, "Se describe además su procedimiento de montaje.")]
    q = _queued(_read([_page(rows, SANS)], "mx"))
    assert "doc_number" in q and not {"filing_date", "ipc:51", "parties:72", "parties:74"} & set(q)


def test_one_party_with_its_country_one_without_is_asked():
    """AR: ``ELECTRÓNICA`` / ``ZARAGOZANA S.L. (ES)`` read as two parties, the first without a
    country: the list is asked about."""
    from digitize.model import Bibliographic, Party
    from digitize.structure.frontpage import FrontPage
    from digitize.model import OcrPage

    b = Bibliographic()
    b.applicants = [Party(name="ELECTRÓNICA"), Party(name="ZARAGOZANA S.L.", country="ES")]
    found = gate.check(FrontPage(b, {}, []), OcrPage(number=1, width=2480, height=3508, dpi=300), None)
    assert any(i.field == "parties:71" and "country" in i.reason for i in found)


def test_two_real_spellings_of_a_name_word_are_asked():
    """``ARGUELLO`` and ``ARGÜELLO`` are both names (Zipf 2.3 and 2.7 in Spanish): the engine's
    reading is no evidence between them, so the agents' list is queued."""
    rows = [(250, "(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL"), (250, "(12) SOLICITUD DE PATENTE"),
            (250, "(11) Número de publicación: MX 2024031234 A"), (250, "(43) Fecha de publicación: 12/03/2024"),
            (250, "(21) Número de solicitud: MX/a/2022/014321"), (250, "(22) Fecha de presentación: 09/11/2022"),
            (250, "(51) Int. Cl.: F16K 31/12 (2006.01)"), (250, "(71) Solicitante(s): SANITARIOS DEL NORTE S.A. (MX)"),
            (250, "(72) Inventor(es): RUIZ, Ana"), (250, "(74) Agente: ARGUELLO, Florencia"), (250, ""),
            (250, "(54) Título: VÁLVULA DE ALIVIO"), (250, "(57) Resumen: Una válvula.")]
    doc = _read([_page(rows, SANS)], "mx")
    assert "parties:74" in _queued(doc)


def test_a_country_code_ending_a_name_is_asked():
    """MX poor: ``…; Carretera Federal 57 Km 12, San`` / ``Luis Potosí, S.L.P., MX`` read as a
    second party (``S.L.P.`` looks like a company form, so the line is not taken as an address):
    the name ends with an ST.3 code after a comma, an address's last line."""
    from digitize.structure import parties

    assert parties.problems("Luis Potosí, S.L.P., MX")
    assert not parties.problems("GRAIL, LLC") and not parties.problems("PÉREZ, Juan")
