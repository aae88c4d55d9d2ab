"""Which pages structure reads as drawing sheets from their words (``sections.is_drawing_page``),
on pages the real engine reads: a short page of running text is text, however few its lines; a
sheet of labels and reference numerals is a drawing."""

from __future__ import annotations

import pytest

from digitize.api import recognise
from digitize.model import PageImage
from digitize.settings import profile as profiles
from digitize.structure import build_document
from digitize.structure.sections import is_drawing_page
from digitize.synth import render_text_page

SHORT_DESCRIPTION = [  # the last lines of a description, alone on its page (three lines, 29 words)
    "La válvula de la cámara de desagüe y el cigüeñal del calefón se describen",
    "aquí; la protección de la cañería y la combustión se obtienen con una señal",
    "útil para el usuario de la caldera.",
]


@pytest.fixture(scope="module")
def profile():
    return profiles.load("mx")


def _read(lines: list[str], number: int, profile):
    return recognise(PageImage(number=number, image=render_text_page(lines, font_pt=10.5), dpi=300), profile)


def test_three_lines_of_running_text_are_a_text_page(profile):
    """The page's words are all on lines of prose: nothing a drawing sheet carries. Read as a
    drawing, its words left the description and were never asked about (issue 29)."""
    page = _read(SHORT_DESCRIPTION, 2, profile)
    assert page.kind != "drawing"
    assert not is_drawing_page(page, profile.structure)
    body = _read(["DESCRIPCIÓN", "", "Un calentador de agua con una válvula y un quemador de gas natural",
                  "que se enciende con una chispa del piezoeléctrico del equipo."], 1, profile)
    doc = build_document([body, page], profile, source="t", doc_id="t")
    assert 2 not in doc.image_pages
    assert "combustión" in " ".join(p.text for p in doc.description)


def test_a_sheet_of_labels_and_numerals_is_a_drawing(profile):
    page = _read(["FIG. 1", "", "10      12      14", "", "16   18", "", "20      22"], 3, profile)
    assert is_drawing_page(page, profile.structure)
