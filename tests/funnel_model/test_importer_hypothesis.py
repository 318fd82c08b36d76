"""Property: whatever bytes arrive, read_deals either imports or raises a domain error."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from funnel_model import read_deals
from funnel_model.errors import FunnelError

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "upload"]))
def test_arbitrary_bytes_raise_only_domain_errors(data, name):
    _check(data, name)


@st.composite
def csv_files(draw):
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    if draw(st.booleans()):
        headers[0] = "stage"  # most files should get past the column check
    rows = draw(st.lists(st.lists(CELLS, min_size=len(headers), max_size=len(headers)), max_size=15))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=quoting).writerows([headers, *rows])
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


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5),
    st.lists(st.lists(XLSX_CELLS, min_size=5, max_size=5), max_size=8),
    st.booleans(),
)
def test_arbitrary_workbooks_and_html_tables_raise_only_domain_errors(headers, rows, as_html):
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
    _check(data, "deals.xls" if as_html else "deals.xlsx")
