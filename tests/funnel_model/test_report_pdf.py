"""The PDF report: a valid A4 document with the HTML report's sections, user text as plain text, charts as images."""

from __future__ import annotations

import io

import pypdf
import pytest

from funnel_model.report import report_sections
from funnel_model.report_pdf import pdf_available, render_pdf
from tests.funnel_model.test_report import CONFIG, EVIL, SCENARIO, deals


def test_a_pdf_can_be_made_here():
    """fpdf2 (requirements.txt) and DejaVu Sans (CI installs fonts-dejavu-core) are both found."""
    assert pdf_available()


@pytest.fixture(scope="module")
def sections():
    return report_sections(deals(), None, CONFIG, SCENARIO, lang="ru", currency="₽")


@pytest.fixture(scope="module")
def pdf(sections) -> bytes:
    import datetime as dt

    return render_pdf(
        sections, title=EVIL, client=f"ООО {EVIL}", scenario_name=EVIL, as_of=dt.date(2024, 3, 31), lang="ru"
    )


def test_the_pdf_is_a_valid_a4_document(pdf):
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 4
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    assert reader.metadata.title == EVIL


def test_the_pdf_holds_every_section_and_the_user_text_as_typed(pdf, sections):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert flat.startswith(EVIL)  # the title, as typed: a PDF runs nothing
    assert f"ООО {EVIL}" in flat
    assert "Данные на 31.03.2024" in flat
    for section in sections:
        assert section.heading in flat, section.heading
    assert "1 000 000 ₽" in flat.replace("\u202f", " ")  # the plan, with the currency
    assert "Сделано в Funnel" in flat


def test_the_charts_are_images_in_the_pdf(pdf, sections):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == sum(len(s.charts) for s in sections) > 0
    assert all(image.image.width >= 300 for image in images)  # drawn at twice the chart's size: sharp in print
