"""Demo publications written by us: small scans whose text is known, for ``make demo`` and tests.

Each publication is a front page with INID codes, a description page with numbered paragraphs
and a claims page, typeset in one column, then degraded like a scan and saved in one of the input
formats (G4 TIFF, scanned PDF, PNG, JPEG).

    python -m digitize.demo OUT_DIR      # writes the demo inputs (idempotent)
"""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .synth import degrade, render_text_page, write_pdf, write_tiff


@dataclass
class Publication:
    office: str
    number: str
    kind: str
    pub_date: str  # DD.MM.YYYY as printed
    app_number: str
    filing_date: str
    title: str
    applicant: str
    inventors: list[str]
    ipc: str
    abstract: str
    paragraphs: list[str]
    claims: list[str]
    headings: dict[int, str] = field(default_factory=dict)  # paragraph index -> heading before it
    agent: str = "Cruz and Partners Law Offices, Makati City (PH)"
    priority: str | None = None

    @property
    def doc_id(self) -> str:
        return f"{self.office}{self.number}{self.kind}"

    def front_lines(self) -> list[str]:
        lines = [
            "(19) PH  INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES",
            "(12) PATENT APPLICATION",
            f"(11) Publication number: {self.office} {self.number} {self.kind}",
            f"(43) Date of publication: {self.pub_date}",
            f"(21) Application number: {self.app_number}",
            f"(22) Date of filing: {self.filing_date}",
        ]
        if self.priority:
            lines.append(f"(30) Priority: {self.priority}")
        lines += [
            f"(51) Int Cl.: {self.ipc}",
            f"(71) Applicant: {self.applicant}",
            f"(72) Inventors: {'; '.join(self.inventors)}",
            f"(74) Representative: {self.agent}",
            f"(54) {self.title}",
            "",
            "(57) Abstract",
        ]
        lines += textwrap.wrap(self.abstract, 62)
        return lines

    def description_lines(self) -> list[str]:
        lines = ["DESCRIPTION", ""]
        for i, para in enumerate(self.paragraphs):
            if i in self.headings:
                lines += [self.headings[i], ""]
            wrapped = textwrap.wrap(f"[{i + 1:04d}] {para}", 62)
            lines += wrapped + [""]
        return lines

    def claims_lines(self) -> list[str]:
        lines = ["CLAIMS", ""]
        for i, claim in enumerate(self.claims):
            lines += textwrap.wrap(f"{i + 1}. {claim}", 62) + [""]
        return lines

    def pages(self) -> list[list[str]]:
        return [self.front_lines(), self.description_lines(), self.claims_lines()]

    def text(self) -> str:
        return "\n".join("\n".join(p) for p in self.pages())


RICE_BOX = Publication(
    office="PH", number="12023050123", kind="A1", pub_date="15.03.2024", app_number="1-2023-050123",
    filing_date="28.12.2023", title="INSULATED CONTAINER FOR COOKED RICE",
    applicant="Bayanihan Food Technologies Inc., Quezon City (PH)",
    inventors=["SANTOS, Maria", "REYES, Jose"], ipc="B65D 81/38 (2006.01)",
    priority="02.01.2023 US 63/123456",
    abstract=("An insulated container for cooked rice comprises an inner vessel, an outer shell and a "
              "layer of woven coconut fibre between them, so that the rice stays warm for several hours "
              "without electric power."),
    headings={0: "TECHNICAL FIELD", 1: "BACKGROUND OF THE INVENTION", 3: "SUMMARY OF THE INVENTION"},
    paragraphs=[
        "The present invention relates to containers that keep cooked food warm, and in particular to "
        "an insulated container for cooked rice.",
        "Families and small restaurants often cook rice once in the morning and serve it during the whole "
        "day. Electric warmers consume power and dry the rice.",
        "Known insulated boxes use foamed plastics, which are difficult to recycle and retain odours "
        "after repeated use.",
        "It is an object of the invention to provide a container that keeps rice warm for at least six "
        "hours and is made of renewable materials.",
        "The container comprises an inner vessel of stainless steel, an outer shell of bamboo and a layer "
        "of woven coconut fibre that fills the space between the vessel and the shell.",
    ],
    claims=[
        "An insulated container for cooked rice, comprising an inner vessel, an outer shell and an "
        "insulating layer of woven coconut fibre arranged between the inner vessel and the outer shell.",
        "The container according to claim 1, wherein the inner vessel is made of stainless steel.",
        "The container according to claim 1 or 2, wherein the outer shell is made of bamboo.",
    ],
)

SOLAR_DRYER = Publication(
    office="PH", number="12023050777", kind="A1", pub_date="22.04.2024", app_number="1-2023-050777",
    filing_date="05.09.2023", title="SOLAR DRYER FOR SEAWEED",
    applicant="Visayas Marine Cooperative, Cebu City (PH)",
    inventors=["DELA CRUZ, Ana", "GARCIA, Luis"], ipc="F26B 3/28 (2006.01)",
    abstract=("A solar dryer for seaweed has a tilted drying rack under a transparent cover and a "
              "chimney that draws warm air through the rack, which halves the drying time."),
    headings={0: "TECHNICAL FIELD", 2: "DETAILED DESCRIPTION"},
    paragraphs=[
        "The invention relates to the drying of seaweed harvested by coastal farmers.",
        "Seaweed is commonly dried on the ground, where rain and sand lower its quality and price.",
        "The dryer comprises a rack tilted towards the sun, a transparent cover and a chimney painted "
        "black, so that air heated under the cover rises through the chimney and is replaced by fresh air.",
    ],
    claims=[
        "A solar dryer for seaweed, comprising a tilted drying rack, a transparent cover above the rack "
        "and a chimney connected to the space under the cover.",
        "The dryer according to claim 1, wherein the chimney is painted black.",
    ],
)

DEMO = (RICE_BOX, SOLAR_DRYER)


def page_images(pub: Publication, level: str, seed: int) -> tuple[list[np.ndarray], int]:
    images, dpi = [], 300
    for i, lines in enumerate(pub.pages()):
        clean = render_text_page(lines, dpi=300, font_pt=12)
        img, dpi = degrade(clean, level, seed + i)
        images.append(img)
    return images, dpi


def write_demo(out_dir: Path) -> list[Path]:
    """The demo inputs: a G4 TIFF, a scanned PDF and a single PNG page. Idempotent."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    tif = out_dir / f"{RICE_BOX.doc_id}.tif"
    if not tif.exists():
        images, dpi = page_images(RICE_BOX, "office", seed=11)
        write_tiff(images, tif, dpi)
    written.append(tif)
    pdf = out_dir / f"{SOLAR_DRYER.doc_id}.pdf"
    if not pdf.exists():
        images, dpi = page_images(SOLAR_DRYER, "office", seed=21)
        write_pdf(images, pdf, dpi)
    written.append(pdf)
    png = out_dir / "letter-page.png"
    if not png.exists():
        lines = ["Notice of publication", "", *textwrap.wrap(
            "This page was scanned on its own and is processed as a document of one page. "
            "Its text is recognised and written out, but it has no bibliographic data.", 62)]
        img, _ = degrade(render_text_page(lines, dpi=300), "clean", 3)
        cv2.imwrite(str(png), img)
    written.append(png)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path("build/demo-inputs")
    for p in write_demo(out):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
