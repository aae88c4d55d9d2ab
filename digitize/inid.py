"""INID codes (WIPO ST.9): which codes a front page prints and which bibliographic field each fills.

One table for every reader of the codes: the front-page reader (anchors, parties, dates, related
documents), the audit that checks every code read was placed, a reviewer's value for an
``inid:NN`` item, and the test sets that name queue items. Data only: field names are the
attributes of ``model.Bibliographic``.
"""

from __future__ import annotations

# the codes a front page prints that the reader takes as field anchors
KNOWN = frozenset({
    "10", "11", "12", "13", "15", "19", "21", "22", "23", "24", "25", "26", "30", "31", "32", "33", "40", "41",
    "43", "44", "45", "46", "47", "48", "51", "52", "54", "56", "57", "58", "60", "62", "63", "64", "65", "66",
    "67", "68", "71", "72", "73", "74", "75", "76", "81", "83", "84", "85", "86", "87", "88"})

# code -> the Bibliographic attribute it fills ("abstract": the document's abstract, not a
# bibliographic field). A profile may name other codes for the publication date
# (``[structure] publication_date_inids``: AR prints it under (41)).
FIELD: dict[str, str] = {
    "10": "doc_number", "11": "doc_number", "12": "document_type", "13": "kind", "19": "office",
    "21": "application_number", "22": "filing_date", "24": "rights_effective_date", "30": "priorities",
    "41": "unexamined_available_date", "43": "publication_date", "45": "publication_date",
    "47": "granted_available_date", "51": "ipc", "54": "title", "57": "abstract",
    "60": "related_documents", "61": "related_documents", "62": "related_documents", "63": "related_documents",
    "64": "related_documents",
    "71": "applicants", "72": "inventors", "73": "assignees", "74": "agents",
    "84": "designated_states", "86": "pct_application", "87": "pct_publication",
}

# attribute -> its codes, in code order
CODES: dict[str, tuple[str, ...]] = {}
for _code, _attr in FIELD.items():
    CODES[_attr] = CODES.get(_attr, ()) + (_code,)
del _code, _attr

PUBLICATION_NUMBER = ("11", "10")  # in the order the reader tries them
PUBLICATION_DATE = ("43", "45")  # the default of [structure] publication_date_inids
# dates other than the publication date, each with a field of its own
DATES = ("22", "24", "41", "47")
# the party lists, in the order the reader fills them (the ST.36 order of the parties)
PARTY_CODES: tuple[tuple[str, str], ...] = tuple((c, FIELD[c]) for c in ("71", "72", "73", "74"))
PARTIES = tuple(c for c, _ in PARTY_CODES)
PCT = ("86", "87")  # the PCT application and publication
RELATED = ("62", "60", "61", "63", "64")  # related documents, in the order they are listed

# labels front pages print after a code, in the offices' languages, besides a profile's own
# ``[structure] inid_labels``: a label whose code the engine lost (``Inventors:`` without ``(72)``)
# still marks where its field starts (``structure/anchors.py``, ``label_anchors``); a bare code
# (``21 Número de solicitud``, a margin column of ``11``/``21``/``22``) is taken as a code when its
# label confirms it; the label is taken off the value
LABELS: dict[str, tuple[str, ...]] = {
    "10": ("Publication number", "Número de publicación", "Numero de publicacion", "Patent number", "Pub. No.",
           "Publicación N°", "Publicación Nº", "Publicación"),
    "11": ("Publication number", "Publication No.", "Pub. No.", "Patent number", "Patent No.", "Document number",
           "Número de publicación", "Numero de publicacion", "No. de publicación", "Nº de publicación",
           "Número de patente", "N° de publicación", "Patent/Publication Number", "Publicación"),
    "13": ("Kind", "Kind code", "Kind of document", "Tipo de documento", "Código de tipo"),
    "21": ("Application number", "Application No.", "Appl. No.", "Número de solicitud", "Numero de solicitud",
           "No. de solicitud", "N° de solicitud", "Nº de solicitud", "Acta N°", "Acta Nº", "Acta No.", "Appln. No.",
           "Application Serial No.", "Nro. de Acta", "Expediente"),
    "22": ("Date of filing", "Filing date", "Filing Date", "Date filed", "Fecha de presentación",
           "Fecha de presentacion", "Fecha de solicitud", "Presentación", "Fecha Pres.", "Presentada"),
    "30": ("Priority", "Priority data", "Priority Claim", "Prioridad", "Prioridades", "Prioridad(es)",
           "Datos de prioridad"),
    "41": ("Fecha de puesta a disposición", "Date of making available to the public", "Fecha Publ."),
    "43": ("Date of publication", "Publication date", "Fecha de publicación", "Fecha de publicacion",
           "Fecha de publicación de la solicitud", "Fecha Publ.", "Publicada"),
    "45": ("Date of grant", "Date issued", "Issue date", "Fecha de concesión", "Fecha de publicación de la concesión",
           "Fecha de otorgamiento", "Registration Date", "Date of Issue", "Otorgada"),
    "51": ("Int. Cl.", "Int Cl.", "IPC", "International Classification", "International Patent Classification",
           "Clasificación Internacional", "Clasificacion Internacional", "Clasificación", "CIP", "Int. Class"),
    "54": ("Title", "Title of the invention", "Title of invention", "Título", "Titulo", "Título de la invención",
           "Titulo de la invencion", "Denominación", "Denominacion", "Denominación de la invención"),
    "57": ("Abstract", "Resumen"),
    "71": ("Applicant", "Applicants", "Applicant(s)", "Name of applicant", "Names of applicants", "Solicitante",
           "Solicitante(s)", "Solicitantes", "Titular", "Titulares", "Titular/es", "Name of Applicant(s)", "Solicitante/s",
           "Titular(es)", "Solicitante(s) y domicilio(s)", "Titular(es) y domicilio(s)"),
    "72": ("Inventor", "Inventors", "Inventor(s)", "Inventor(es)", "Inventores", "Name of inventor",
           "Names of inventors", "Inventor/es", "Name of Inventor(s)", "Inventor(es) y domicilio(s)"),
    "73": ("Proprietor", "Proprietors", "Assignee", "Assignees", "Titular de la patente"),
    "74": ("Representative", "Agent", "Agents", "Agent(s)", "Attorney", "Attorney/Agent", "Agente", "Agentes",
           "Agente/s", "Apoderado", "Mandatario", "Representante", "Resident Agent", "Agent/Representative",
           "Attorney-in-fact", "Agente de la Propiedad Industrial", "Representante legal",
           "Apoderado legal"),
    "86": ("International application", "PCT application", "Solicitud internacional"),
    "87": ("International publication", "PCT publication", "Publicación internacional"),
}

# codes whose reviewer's value sets a single-value Field (checked against the profile's format);
# (10) is not among them: a reviewer's (10) is kept as a note (no Field takes it)
SINGLE_VALUE: dict[str, str] = {c: FIELD[c] for c in (
    "11", "12", "13", "19", "21", "22", "24", "41", "43", "45", "47", "54")}

# the list fields whose queue items are named by kind and code (``parties:72``, ``ipc:51``, ``states:84``)
LIST_ITEM = {"applicants": "parties", "inventors": "parties", "assignees": "parties", "agents": "parties",
             "ipc": "ipc", "designated_states": "states"}


def queue_names(attr: str) -> tuple[str, ...]:
    """The queue item names that put the field ``attr`` before a reviewer: its own (a list's
    ``kind:code``), then ``inid:NN`` for each of its codes."""
    codes = CODES.get(attr, ())
    own = tuple(f"{LIST_ITEM[attr]}:{c}" for c in codes) if attr in LIST_ITEM else (attr,)
    return own + tuple(f"inid:{c}" for c in codes)
