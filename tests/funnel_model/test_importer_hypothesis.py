"""Property: whatever bytes arrive, the readers import them or raise a domain error, losing no row.

For read_deals (CSV, XLSX, HTML-xls) and read_stage_history: only ``FunnelError`` subclasses
escape, and every data row of a file is either read or listed as rejected. The CI run tries about
1,900 files in about a minute of CPU; ``FUNNEL_FUZZ_SCALE=10`` multiplies every test's examples (20,000+ files)
for the long run described in the README.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from funnel_model import read_deals, read_stage_history
from funnel_model.errors import FunnelError

SCALE = int(os.environ.get("FUNNEL_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """``examples`` cases per CI run, ``SCALE`` times as many in the long run."""
    return settings(max_examples=examples * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


SETTINGS = fuzz(300)
HEADERS = ["deal_id", "stage", "amount", "Бюджет ", "Дата создания", "probability", "status", "Компания", "x", ""]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "1 200 000,50 ₽",
            "$1,200.50",
            "-5",
            "40%",
            "0.4",
            "01.02.2024",
            "45000",
            "не закрыта",
            "Closed Won",
            "Сделка провалена",
            "won",
            "lost",
            "7",
            "7",
            "1e400",
            "NaN",
            "(12)",
        ]
    ),
)


def _check(data: bytes, name: str) -> None:
    try:
        result = read_deals(data, name=name)
    except FunnelError:
        return
    rejected = int((result.problems["action"] == "rejected").sum())
    assert len(result.deals) + rejected >= 1
    assert result.deals["deal_id"].is_unique
    assert ((result.deals["amount"] >= 0) | result.deals["amount"].isna()).all()
    assert result.deals["probability"].dropna().between(0, 1).all()
    assert set(result.deals["status"]) <= {"open", "won", "lost"}


@fuzz(1000)
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "upload"]))
def test_arbitrary_bytes_raise_only_domain_errors(data, name):
    _check(data, name)


@st.composite
def csv_files(draw):
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    if draw(st.booleans()):
        headers[0] = "stage"  # most files should get past the column check
    rows = draw(st.lists(st.lists(CELLS, min_size=len(headers), max_size=len(headers)), max_size=15))
    if draw(st.booleans()):  # a title line or two above the header (reports, 1C)
        headers_line = [draw(st.sampled_from(["Deals report", "Отчёт по сделкам, 2024", ""]))]
        title = [headers_line, *([[draw(st.sampled_from(["Exported by admin", ""]))]] if draw(st.booleans()) else [])]
    else:
        title = []
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=quoting).writerows([*title, headers, *rows])
    # With every header named, each row holding a non-blank cell is a data row.
    named = all(h.strip() for h in headers)
    data_rows = sum(any(c.strip() for c in row) for row in rows) if named else None
    return buf.getvalue().encode(encoding, errors="replace"), data_rows


@SETTINGS
@given(csv_files())
def test_well_formed_csv_imports_or_raises_domain_errors(file):
    data, data_rows = file
    try:
        result = read_deals(data, name="deals.csv")
    except FunnelError:
        return
    rejected = int((result.problems["action"] == "rejected").sum())
    if data_rows is not None:
        assert len(result.deals) + rejected == data_rows
    _check(data, "deals.csv")


XLSX_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
    CELLS,
)


@fuzz(300)
@given(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5),
    st.lists(st.lists(XLSX_CELLS, min_size=5, max_size=5), max_size=8),
    st.booleans(),
)
def test_arbitrary_workbooks_and_html_tables_raise_only_domain_errors(headers, rows, as_html):
    rows = [r[: len(headers)] for r in rows]
    if as_html:
        cells = [headers, *[r[: len(headers)] for r in rows]]
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in cells)
        data = f"<html><body><table>{body}</table></body></html>".encode()
    else:
        wb = openpyxl.Workbook()
        for r in [headers, *[r[: len(headers)] for r in rows]]:
            wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in r])
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    name = "deals.xls" if as_html else "deals.xlsx"
    _check(data, name)
    if not all(h.strip() for h in headers) or len(set(headers)) < len(headers) or "stage" not in headers:
        return
    try:
        result = read_deals(data, name=name)
    except FunnelError:
        return
    # as in CSV: with every header named, each row holding a non-blank cell is a data row
    data_rows = sum(any(_filled(c, as_html) for c in row) for row in rows)
    rejected = int((result.problems["action"] == "rejected").sum())
    assert len(result.deals) + rejected == data_rows


def _filled(cell, as_html: bool) -> bool:
    text = html.escape(str(cell)) if as_html else ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell
    if cell is None:
        return as_html  # an HTML cell shows "None"
    return not isinstance(text, str) or bool(html.unescape(text).strip())


HISTORY_HEADERS = ["deal_id", "stage", "entered_at", "ID сделки", "Этап", "Дата перехода", "x", ""]
HISTORY_CELLS = st.one_of(
    CELLS, st.sampled_from(["2024-01-02 10:00", "31.12.2023", "D1", "D2", "Переговоры", "Won", "#N/A"])
)


@fuzz(300)
@given(
    st.lists(st.sampled_from(HISTORY_HEADERS), min_size=1, max_size=5),
    st.lists(st.lists(HISTORY_CELLS, min_size=5, max_size=5), max_size=12),
    st.sampled_from(["csv", "xlsx"]),
)
def test_stage_history_files_raise_only_domain_errors_and_lose_no_row(headers, rows, kind):
    rows = [r[: len(headers)] for r in rows]
    if kind == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows([headers, *rows])
        data = buf.getvalue().encode()
    else:
        wb = openpyxl.Workbook()
        for r in [headers, *rows]:
            wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in r])
        out = io.BytesIO()
        wb.save(out)
        data = out.getvalue()
    try:
        history = read_stage_history(data, name=f"history.{kind}")
    except FunnelError:
        return
    assert history["entered_at"].notna().all() and history["stage"].notna().all()
    if all(h.strip() for h in headers) and len({h.strip().casefold() for h in headers}) == len(headers):
        clean = [[ILLEGAL_CHARACTERS_RE.sub("", c) if kind == "xlsx" else c for c in row] for row in rows]
        data_rows = sum(any(c.strip() for c in row) for row in clean)
        rejected = int((history.attrs["problems"]["action"] == "rejected").sum())
        assert len(history) + rejected == data_rows
