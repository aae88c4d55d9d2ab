"""The team's own front-page test set: MX, AR (Spanish) and PH publications typeset as the
offices print them, with their bibliographic truth.

The text is Spanish patent text the project may use (ES 2993312 T1, EPO/OEPM full text, MIT, see
``../shared/data/README.md``): its title, abstract, description paragraphs and claims, with a
sentence of ¿¡, ñ and decimal commas added. Front pages carry the INID codes and labels each office
prints (``ocr_profiles/{mx,ar,ph}.toml``); pages are rendered with the DejaVu fonts
(``digitize/synth.py``) and degraded with ``synth.degrade``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import inid
from .synth import render_text_page

WRAP = 72


@dataclass
class Publication:
    """One typeset publication: page lines and the truth a reader of the front page must get."""

    office: str
    pages: list[list[str]]  # lines of each page: front page, description, claims
    truth: dict[str, object] = field(default_factory=dict)  # Bibliographic attribute -> value
    description: str = ""  # the description page's text, for text accuracy

    def render(self, dpi: int = 300) -> list[np.ndarray]:
        return [render_text_page(lines, dpi=dpi, font_pt=10.5) for lines in self.pages]


def spanish_text(xml_path: Path) -> dict[str, object]:
    """Title, abstract, description paragraphs and claims of ES 2993312 T1."""
    xml = xml_path.read_text(encoding="utf-8")
    paras = [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r'<p id="\d+" num="\d+">(.*?)</p>', xml, re.S)]
    paras = [p for p in paras if p]
    texts = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<claim-text>(.*?)</claim-text>", xml, re.S)]
    claims = [re.sub(r"\s+", " ", t).strip() for t in texts if re.match(r"\d+\. ", t)]
    return {"title": paras[1], "abstract": next(p for p in paras if len(p) > 300)[:400].rsplit(" ", 1)[0] + ".",
            "description": [p for p in paras[3:12] if len(p) > 120][:2], "claims": claims[:3]}


EXTRA = "¿Se obtiene una señal útil? ¡Sí!: el año pasado la proporción fue de 0,25 % a 37,5 °C en el niño."


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP)


def _body(heading: str, text: dict) -> tuple[list[str], str]:
    lines = [heading, "", "CAMPO DE LA INVENCIÓN", ""]
    paras = list(text["description"]) + [EXTRA]
    for p in paras:
        if len(p) > 520:
            p = p[:520].rsplit(" ", 1)[0] + "."
        lines += _wrap(p) + [""]
    return lines, " ".join(ln for ln in lines if ln)


def _claims(text: dict) -> list[str]:
    lines = ["REIVINDICACIONES", ""]
    for c in text["claims"]:
        c = re.sub(r"^(\d+)\. (El|La) (\w+) de (acuerdo con|la) ", r"\1. \2 \3 según ", c)
        lines += _wrap(c[:330].rsplit(" ", 1)[0] + ".") + [""]
    return lines


def mx(text: dict) -> Publication:
    """IMPI: a PCT national-phase application."""
    front = ["(19) INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL", "(12) SOLICITUD DE PATENTE", "",
             "(11) Número de publicación: MX 2023012345 A", "(43) Fecha de publicación: 21/11/2023",
             "(21) Número de solicitud: MX/a/2023/012345", "(22) Fecha de presentación: 04/11/2021",
             "(30) Prioridad: 05/11/2020 US 63/110456",
             "(86) Número de solicitud internacional: PCT/US2021/058123",
             "(87) Número de publicación internacional: WO 2022/098765 12/05/2022",
             "(51) Int. Cl.: C12Q 1/6886 (2018.01)",
             "(71) Solicitante(s): GRAIL, LLC, Menlo Park, California (US)",
             "(72) Inventor(es): GROSS, Samuel; JAMSHIDI, Arash",
             "(74) Agente: OLIVARES MUÑOZ, José Luis", ""]
    front += _wrap(f"(54) Título: {text['title']}") + [""] + _wrap(f"(57) Resumen: {text['abstract']}")
    body, desc = _body("MEMORIA DESCRIPTIVA", text)
    truth = {"office": "MX", "doc_number": "2023012345", "kind": "A", "publication_date": "2023-11-21",
             "application_number": "MX/a/2023/012345", "filing_date": "2021-11-04", "title": text["title"],
             "ipc": ["C12Q 1/6886 (2018.01)"], "priorities": [("US", "63/110456", "2020-11-05")],
             "applicants": [("GRAIL, LLC", "US")], "inventors": [("GROSS, Samuel", None), ("JAMSHIDI, Arash", None)],
             "agents": [("OLIVARES MUÑOZ, José Luis", None)], "pct_application": "PCT/US2021/058123",
             "pct_publication": ("2022/098765", "2022-05-12")}
    return Publication("MX", [front, body, _claims(text)], truth, desc)


def ar(text: dict) -> Publication:
    """INPI Argentina, as the Boletín de Patentes prints an application."""
    front = ["(19) REPUBLICA ARGENTINA", "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL", "",
             "(10) AR123456 A1", "(21) P20230101234", "(22) Fecha de presentación: 14/03/2023",
             "(30) Prioridad convenio de París: 15/03/2022 US 63/318765",
             "(41) Fecha: 15/11/2023   Bol. Nro.: 1287",
             "(51) Int. Cl.: A61K 31/4439 (2006.01) C07D 401/12 (2006.01)",
             "(71) Titular: LABORATORIOS ANDINOS S.A., Av. Corrientes 1234, Buenos Aires (AR)",
             "(72) Inventor: PEÑA, María José; NÚÑEZ, Tomás",
             "(74) Agente: IBÁÑEZ, Ana", ""]
    front += _wrap(f"(54) Título: {text['title']}") + [""] + _wrap(f"(57) Resumen: {text['abstract']}")
    body, desc = _body("DESCRIPCIÓN", text)
    truth = {"office": "AR", "doc_number": "123456", "kind": "A1", "publication_date": "2023-11-15",
             "application_number": "P20230101234", "filing_date": "2023-03-14", "title": text["title"],
             "ipc": ["A61K 31/4439 (2006.01)", "C07D 401/12 (2006.01)"], "priorities": [("US", "63/318765", "2022-03-15")],
             "applicants": [("LABORATORIOS ANDINOS S.A.", "AR")],
             "inventors": [("PEÑA, María José", None), ("NÚÑEZ, Tomás", None)], "agents": [("IBÁÑEZ, Ana", None)]}
    return Publication("AR", [front, body, _claims(text)], truth, desc)


def ph(english_title: str = "LABORATORY INSTRUMENT BASE PLATE") -> Publication:
    """IPOPHL: an invention application (front page only)."""
    front = ["(19) INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES", "(12) PATENT APPLICATION", "",
             "(11) Publication Number: PH 12023050123 A1", "(43) Publication Date: 15.09.2023",
             "(21) Application Number: 1-2023-050123", "(22) Filing Date: 14.03.2023",
             "(30) Priority: 15.03.2022 US 63/318765",
             "(51) Int. Cl.: B01L 9/00 (2006.01)",
             "(71) Applicant: ACME DIAGNOSTICS, INC., Makati City (PH)",
             "(72) Inventors: DELA CRUZ, Juan; SANTOS, Maria",
             "(74) Agent: REYES, Jose", "", f"(54) Title: {english_title}", "",
             "(57) Abstract: A laboratory instrument comprising a single base plate is presented."]
    truth = {"office": "PH", "doc_number": "12023050123", "kind": "A1", "publication_date": "2023-09-15",
             "application_number": "1-2023-050123", "filing_date": "2023-03-14", "title": english_title,
             "ipc": ["B01L 9/00 (2006.01)"], "priorities": [("US", "63/318765", "2022-03-15")],
             "applicants": [("ACME DIAGNOSTICS, INC.", "PH")], "inventors": [("DELA CRUZ, Juan", None), ("SANTOS, Maria", None)],
             "agents": [("REYES, Jose", None)]}
    return Publication("PH", [front], truth)


def compare(biblio, truth: dict) -> dict[str, bool]:
    """Field name -> read exactly, for every field of ``truth``."""
    out: dict[str, bool] = {}
    for name, want in truth.items():
        if name == "ipc":
            got = [c.text for c in biblio.ipc]
        elif name == "priorities":
            got = [(p.country, p.number, p.date) for p in biblio.priorities]
        elif name in ("applicants", "inventors", "agents"):
            got = [(p.name, p.country) for p in getattr(biblio, name)]
        elif name == "pct_application":
            got = biblio.pct_application.number if biblio.pct_application else None
        elif name == "pct_publication":
            r = biblio.pct_publication
            got = (r.number, r.date) if r else None
        else:
            got = biblio.value(name)
        out[name] = got == want
    return out


# a field of ``truth`` -> the queue field names that would put it before a reviewer
QUEUE_NAMES = {name: inid.queue_names(name) for name in (
    "applicants", "inventors", "agents", "ipc", "priorities", "pct_application", "pct_publication", "title")}
