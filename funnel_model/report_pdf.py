"""The one-page report as a PDF: the same sections as the HTML report, laid out on A4 by fpdf2.

Pure. Text is set in DejaVu Sans (Cyrillic and the ₽ sign), found among the
system's fonts (Debian's fonts-dejavu-core); charts are the sections' SVGs
rendered to PNG by vl-convert. User text needs no escaping here: a PDF shows
``<script>`` as the eight characters it is.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from collections.abc import Sequence
from pathlib import Path

from funnel_model.formatting import date
from funnel_model.i18n import t
from funnel_model.report import Section

__all__ = ["FONT_DIRS", "pdf_available", "render_pdf"]

# where Debian (fonts-dejavu-core) and other systems keep DejaVu Sans
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
)
_FONT, _FONT_BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
_BLUE, _GREY, _INK = (43, 87, 151), (92, 99, 112), (29, 35, 48)
_MARGIN = 14.0  # mm
_PX = 25.4 / 96  # mm per CSS pixel: a chart keeps the size it has in the HTML report


def _font_dir() -> Path | None:
    return next((d for d in FONT_DIRS if (d / _FONT).is_file() and (d / _FONT_BOLD).is_file()), None)


def pdf_available() -> bool:
    """Whether a PDF can be made here: fpdf2 installed and DejaVu Sans found (see ``FONT_DIRS``)."""
    return importlib.util.find_spec("fpdf") is not None and _font_dir() is not None


def _png(svg: str) -> bytes | None:
    """A section's SVG chart as PNG at twice its size (sharp in print); None without vl-convert."""
    try:
        import vl_convert
    except ImportError:
        return None
    return vl_convert.svg_to_png(svg, scale=2.0)


def render_pdf(
    sections: Sequence[Section],
    *,
    title: str,
    client: str = "",
    scenario_name: str = "",
    as_of: dt.date | None = None,
    lang: str = "en",
) -> bytes:
    """The report as PDF bytes (A4), the same content as :func:`funnel_model.report.render_html`.

    Raises
    ------
    RuntimeError
        When fpdf2 or the DejaVu fonts are missing (check :func:`pdf_available` first).
    """
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    fonts = _font_dir()
    if fonts is None:
        raise RuntimeError(f"DejaVu Sans not found in {', '.join(map(str, FONT_DIRS))}")
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_MARGIN)
    pdf.add_font("DejaVu", "", str(fonts / _FONT))
    pdf.add_font("DejaVu", "B", str(fonts / _FONT_BOLD))
    pdf.set_title(title)
    pdf.set_creator("Funnel")
    pdf.set_lang(lang)
    pdf.add_page()
    width = pdf.epw

    pdf.set_text_color(*_INK)
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(width, 8, title, new_x="LMARGIN", new_y="NEXT", align="L")
    if client:
        pdf.set_text_color(*_BLUE)
        pdf.set_font("DejaVu", "", 12)
        pdf.multi_cell(width, 6, client, new_x="LMARGIN", new_y="NEXT", align="L")
    meta = t("report.meta", lang, as_of=date(as_of, lang), scenario=scenario_name or t("scenario.current", lang))
    pdf.set_text_color(*_GREY)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(width, 5, meta, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_draw_color(*_BLUE)
    pdf.set_line_width(0.6)
    pdf.line(_MARGIN, pdf.get_y() + 1, _MARGIN + width, pdf.get_y() + 1)
    pdf.ln(4)

    for section in sections:
        if pdf.will_page_break(20):  # a heading never sits alone at a page's foot
            pdf.add_page()
        pdf.set_text_color(*_BLUE)
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(width, 7, section.heading, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_text_color(*_INK)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(width, 5, section.text, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1)
        if section.table:
            pdf.set_font("DejaVu", "", 8.5)
            columns = len(section.table[0])
            with pdf.table(
                width=width,
                text_align=("LEFT", *("RIGHT",) * (columns - 1)),
                headings_style=FontFace(emphasis="BOLD", fill_color=(238, 242, 248)),
                line_height=4.5,
                borders_layout="HORIZONTAL_LINES",
            ) as table:
                for row in section.table:
                    table.row([str(cell) for cell in row])
            pdf.ln(2)
        _charts(pdf, section.charts, width)
        pdf.ln(3)

    pdf.set_text_color(*_GREY)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(width, 4, t("report.footer", lang), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def _charts(pdf, svgs: Sequence[str], width: float) -> None:
    """The section's charts side by side while they fit the line, at their HTML size (never wider than the page)."""
    from PIL import Image  # fpdf2's own dependency

    x, row_height = _MARGIN, 0.0
    for svg in svgs:
        png = _png(svg)
        if png is None:
            continue
        with Image.open(io.BytesIO(png)) as image:
            w_px, h_px = image.size
        w = min(w_px / 2 * _PX, width)  # the PNG is drawn at twice the chart's size
        h = h_px / w_px * w
        if x > _MARGIN and x + w > _MARGIN + width + 0.1:  # next line
            pdf.set_y(pdf.get_y() + row_height + 2)
            x, row_height = _MARGIN, 0.0
        if pdf.will_page_break(h):
            pdf.add_page()
            x, row_height = _MARGIN, 0.0
        pdf.image(io.BytesIO(png), x=x, y=pdf.get_y(), w=w, h=h)
        x += w + 2
        row_height = max(row_height, h)
    if row_height:
        pdf.set_y(pdf.get_y() + row_height + 1)
