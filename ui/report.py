"""The Report page's builder: title, client and sections chosen, the HTML made on request, previewed and offered."""

from __future__ import annotations

import hashlib

import streamlit as st

from funnel_model.report import SECTIONS, charts_available, data_as_of, render_html, report_sections
from funnel_model.report_pdf import pdf_available, render_pdf
from ui import data
from ui.formats import currency, currency_picker
from ui.i18n import lang, tr
from ui.scenario import IN_USE_KEY, capture

__all__ = ["report_builder"]

HTML_KEY = "report.html"  # (signature, html, sections, their layout) of the last report made in this session


def _available() -> list[str]:
    try:
        import funnel_model.clients as clients
    except ImportError:
        clients = None
    return [s for s in SECTIONS if s != "clients" or hasattr(clients, "client_base")]


def report_builder(dataset: data.Dataset) -> None:
    """Title, client, sections; "Make the report" builds the HTML (slow: charts), then preview and download."""
    ss = st.session_state
    st.header(tr("report.builder"))
    st.caption(tr("report.intro"))
    title_col, client_col, money_col = st.columns([3, 3, 1])
    ss.setdefault("report.title", tr("report.default_title"))
    title = title_col.text_input(tr("report.title_label"), key="report.title", max_chars=200)
    client = client_col.text_input(tr("report.client_label"), key="report.client", max_chars=200)
    currency_picker(money_col)
    available = _available()
    st.markdown(f"**{tr('report.sections_label')}**")
    boxes = st.columns(4)
    chosen = [
        s
        for i, s in enumerate(available)
        if boxes[i % len(boxes)].checkbox(tr(f"report.section.{s}"), True, key=f"report.with.{s}")
    ]
    scenario = capture(dataset, ss.get(IN_USE_KEY, ""))
    signature = hashlib.sha256(
        "\0".join([title, client, ",".join(chosen), lang(), currency(), scenario.to_json(), dataset.label]).encode()
    ).hexdigest()
    made = ss.get(HTML_KEY)
    if st.button(tr("report.make"), key="report.make", type="primary"):
        with st.spinner(tr("report.making")):
            sections = report_sections(
                dataset.deals,
                dataset.history,
                dataset.config,
                scenario,
                lang=lang(),
                currency=currency(),
                sections=chosen,
            )
            layout = {
                "title": title,
                "client": client,
                "scenario_name": scenario.name,
                "as_of": data_as_of(dataset.deals),
                "lang": lang(),
            }
            html = render_html(sections, **layout)
        ss[HTML_KEY] = made = (signature, html, sections, layout)
    if made is None:
        return
    if made[0] != signature:
        st.info(tr("report.stale"))
    _, html, sections, layout = made
    buttons = st.container(horizontal=True)
    buttons.download_button(
        tr("report.download_html"),
        html.encode("utf-8"),
        file_name="funnel_report.html",
        mime="text/html",
        key="report.download",
        on_click="ignore",
    )
    if pdf_available():
        buttons.download_button(
            tr("report.download_pdf"),
            lambda: render_pdf(sections, **layout),  # laid out on a click only: a few seconds with charts
            file_name="funnel_report.pdf",
            mime="application/pdf",
            key="report.download_pdf",
            on_click="ignore",
        )
    else:  # no fpdf2 or no DejaVu font on this server: the browser makes the PDF
        st.caption(tr("report.print_hint"))
    if not charts_available():
        st.caption(tr("report.no_charts"))
    st.subheader(tr("report.preview"))
    # every user text in the report is escaped (funnel_model.report); the iframe keeps its styles off the app
    st.iframe(html, height=900)
