"""Values that used to vanish or change silently: each is now a problem row or a clear message."""

from __future__ import annotations

import io
import time

import numpy as np
import openpyxl
import pandas as pd
import pytest

from funnel_model import read_deals, read_stage_history
from funnel_model.errors import DealImportError
from funnel_model.importer import MAX_AMOUNT, infer_config
from funnel_model.parsing import MAX_COLUMNS


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _reasons(imported) -> list[tuple[int, str, str]]:
    return [(r.row, r.action, r.reason) for r in imported.problems.itertuples()]


def test_absurd_amounts_are_left_empty_and_reported_so_no_sum_overflows():
    text = "deal_id,stage,amount\n1,Talks,1e308\n2,Talks,1e308\n3,Talks,12345678901234567890\n4,Talks,1000000000000\n"
    imported = read_deals(text.encode(), name="big.csv")
    assert imported.deals["amount"].tolist()[:3] == [pytest.approx(np.nan, nan_ok=True)] * 3
    assert imported.deals["amount"].iloc[3] == MAX_AMOUNT  # a trillion is still an amount
    assert _reasons(imported) == [(r, "repaired", "importer.row.absurd_amount") for r in (2, 3, 4)]
    total = imported.deals["amount"].sum()
    assert np.isfinite(total) and round(total) == 10**12


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_row_of_null_and_excel_error_cells_is_reported_the_same_in_csv_and_xlsx(kind):
    rows = [["deal_id", "stage", "status", "amount"], ["1", "Talks", "open", "100"], ["N/A", "#N/A", "NULL", "#REF!"]]
    rows.append(["3", "Talks", "open", "5"])
    data = ("\n".join(",".join(r) for r in rows) + "\n").encode() if kind == "csv" else _xlsx(rows)
    imported = read_deals(data, name=f"na.{kind}")
    assert imported.deals["deal_id"].tolist() == ["1", "3"]
    assert _reasons(imported) == [(3, "rejected", "importer.row.no_stage")]


def test_a_closed_deal_without_a_stage_takes_its_funnels_closing_stage_with_a_problem_row():
    text = "deal_id,funnel,stage,status\n1,Sales,Talks,open\n2,Sales,,won\n3,Sales,Closed Won,won\n4,Sales,,lost\n"
    imported = read_deals(text.encode(), name="stageless.csv")
    assert imported.deals["stage"].tolist() == ["Talks", "Closed Won", "Closed Won", "lost"]
    assert _reasons(imported) == [
        (3, "repaired", "importer.row.no_stage_closed"),
        (5, "repaired", "importer.row.no_stage_closed"),
    ]
    funnel = infer_config(imported.deals.iloc[:3]).funnels[0]
    assert "won" not in [*funnel.stage_names, *funnel.won, *funnel.lost]


def test_a_latin1_file_is_read_as_western_text_and_the_guess_is_named():
    text = "deal_id,stage,client_id\n1,Peña,José Müller\n2,Señal,Crédit Agricole\n"
    imported = read_deals(text.encode("latin-1"), name="latin.csv")
    assert imported.deals["stage"].tolist() == ["Peña", "Señal"]
    assert imported.deals["client_id"].tolist() == ["José Müller", "Crédit Agricole"]
    assert [(r.action, r.reason, r.value) for r in imported.problems.itertuples()] == [
        ("warning", "importer.encoding_guessed", "cp1252")
    ]


def test_russian_cp1251_is_still_read_without_a_guess():
    text = "deal_id;stage;client_id\n1;Переговоры;ООО Ромашка\n2;Успешно реализовано;ООО Лютик\n"
    imported = read_deals(text.encode("cp1251"), name="ru.csv")
    assert imported.deals["client_id"].tolist() == ["ООО Ромашка", "ООО Лютик"]
    assert imported.problems.empty


@pytest.mark.parametrize(
    "text",
    [
        "deal_id,stage,amount,,\n1,Talks,100,x,y,z\n2,Won,5,,,\n",  # header ends in empty cells, rows wider
        "deal_id,stage,,\n1,Talks,100,x,y,z\n2,Won,5,,,\n",  # only two named columns over six-cell rows
        "Deals report, all funnels\nExported by admin, 2024\ndeal_id,stage\n1,Talks\n2,Won\n",  # two-line title
        "Deals report;;\nExported 2024;;\ndeal_id;stage;amount;;\n1;Talks;100;a;b\n2;Won;5;;\n",
    ],
)
def test_odd_headers_keep_the_first_deal(text):
    imported = read_deals(text.encode(), name="odd.csv")
    assert imported.deals["deal_id"].tolist() == ["1", "2"]
    assert imported.deals["stage"].tolist() == ["Talks", "Won"]
    assert not (imported.problems["action"] == "rejected").any()


def test_pipedrive_lost_time_closes_lost_deals():
    text = (
        "Deal - ID,Deal - Stage,Deal - Status,Deal - Won time,Deal - Lost time\n"
        "1,Demo,won,2024-03-01 10:00:00,\n"
        "2,Demo,lost,,2024-04-02 11:00:00\n"
        "3,Demo,open,,\n"
    )
    deals = read_deals(text.encode(), name="pipedrive.csv").deals
    assert [str(d.date()) if d == d else None for d in deals["closed_at"]] == ["2024-03-01", "2024-04-02", None]


def test_pipedrive_lost_time_alone_is_the_close_date():
    text = "Deal - ID,Deal - Stage,Deal - Status,Deal - Lost time\n1,Demo,lost,2024-04-02\n2,Demo,open,\n"
    imported = read_deals(text.encode(), name="pipedrive.csv")
    assert imported.mapping["closed_at"] == "Deal - Lost time"
    assert str(imported.deals["closed_at"].iloc[0].date()) == "2024-04-02"


def test_bidi_overrides_and_zero_width_marks_are_removed_from_names_with_a_problem_row():
    text = "deal_id,stage,owner\n1,Tal\u200bks,Ivan\u202eovteP\u202c\n2,Talks,Anna\n"
    imported = read_deals(text.encode(), name="bidi.csv")
    assert imported.deals["stage"].tolist() == ["Talks", "Talks"]
    assert imported.deals["owner"].tolist() == ["IvanovteP", "Anna"]
    problems = imported.problems
    assert [(r.row, r.column, r.value, r.reason) for r in problems.itertuples()] == [
        (2, "stage", "Talks", "importer.row.invisible_chars"),
        (2, "owner", "IvanovteP", "importer.row.invisible_chars"),
    ]


@pytest.mark.parametrize(
    "mark",
    list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200b\u200c\u200d\ufeff\u061c"),
)
def test_every_bidi_and_zero_width_mark_is_removed_from_names(mark):
    imported = read_deals(f"deal_id,stage\n1,Tal{mark}ks\n".encode(), name="marks.csv")
    assert imported.deals["stage"].tolist() == ["Talks"]
    assert _reasons(imported) == [(2, "repaired", "importer.row.invisible_chars")]


def test_a_right_to_left_override_in_a_history_stage_is_removed_and_counted_like_in_the_deals_file():
    text = "deal_id,stage,entered_at\n1,Tal\u202eskl,2024-01-02\n1,Won,2024-02-01\n2,\u200f\u202e,2024-01-03\n"
    history = read_stage_history(text.encode(), name="history.csv")
    assert history["stage"].tolist() == ["Talskl", "Won"]
    problems = history.attrs["problems"]
    assert [(r.row, r.column, r.value, r.action, r.reason) for r in problems.itertuples()] == [
        (2, "stage", "Talskl", "repaired", "importer.row.invisible_chars"),
        (4, "stage", "", "repaired", "importer.row.invisible_chars"),
        (4, "stage", "", "rejected", "importer.row.history_no_stage"),
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_right_to_left_override_in_a_deals_header_is_removed_the_column_matched_and_the_repair_counted(kind):
    rows = [["deal_id", "\u202eStage\u202c", "Amount\u200b"], ["1", "Talks", "100"], ["2", "Won", "200"]]
    data = _xlsx(rows) if kind == "xlsx" else "\n".join(",".join(r) for r in rows).encode()
    imported = read_deals(data, name=f"header.{kind}")
    assert imported.mapping["stage"] == "Stage"
    assert imported.mapping["amount"] == "Amount"
    assert imported.source_columns == ["deal_id", "Stage", "Amount"]
    assert imported.deals["amount"].tolist() == [100.0, 200.0]
    assert [(r.row, r.column, r.value, r.action, r.reason) for r in imported.problems.itertuples()] == [
        (1, "Stage", "Stage", "repaired", "importer.row.invisible_header"),
        (1, "Amount", "Amount", "repaired", "importer.row.invisible_header"),
    ]


def test_a_right_to_left_override_in_a_history_header_is_removed_and_the_column_matched():
    text = "deal_id,\u202estage,entered_at\n1,Talks,2024-01-02\n"
    history = read_stage_history(text.encode(), name="history.csv")
    assert history["stage"].tolist() == ["Talks"]
    problems = history.attrs["problems"]
    assert [(r.row, r.column, r.action, r.reason) for r in problems.itertuples()] == [
        (1, "stage", "repaired", "importer.row.invisible_header")
    ]


def _wide_csv(columns: int, delimiter: str = ",") -> bytes:
    header = delimiter.join(f"c{i}" for i in range(columns))
    return (header + "\n" + delimiter.join("1" for _ in range(columns)) + "\n").encode()


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_million_column_csv_is_refused_in_a_moment_naming_the_count(delimiter):
    # every column costs work however few the rows: a million of them took minutes and gigabytes
    start = time.perf_counter()
    with pytest.raises(DealImportError) as refused:
        read_deals(_wide_csv(1_000_000, delimiter), name="wide.csv")
    assert time.perf_counter() - start < 10  # about 0.02 s; minutes before the limit
    assert refused.value.key == "importer.too_many_columns"
    assert "1000000" in refused.value.message("ru") and str(MAX_COLUMNS) in refused.value.message("en")


def test_a_table_wider_than_the_limit_is_refused_in_every_format():
    wide = pd.DataFrame({f"c{i}": [1] for i in range(MAX_COLUMNS + 1)})
    out = io.BytesIO()
    wide.to_parquet(out)
    book = _xlsx([list(wide.columns), [1] * (MAX_COLUMNS + 1)])
    for data, name in ((out.getvalue(), "wide.parquet"), (_wide_csv(MAX_COLUMNS + 1), "wide.csv"), (book, "wide.xlsx")):
        with pytest.raises(DealImportError) as refused:
            read_deals(data, name=name)
        assert refused.value.key == "importer.too_many_columns", name


def test_a_wide_file_without_a_stage_column_names_its_first_columns_and_how_many():
    with pytest.raises(DealImportError) as refused:
        read_deals(_wide_csv(300), name="wide.csv")
    columns = refused.value.params["columns"]
    assert columns.startswith("c0, c1, ") and columns.endswith(", c39, … (300)")


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251"])
def test_an_ordinary_export_with_any_line_ends_is_not_taken_for_a_wide_one(line_end, encoding):
    # old Mac Excel writes "\r" alone: the header is its first line, not the whole file
    rows = [";".join(["ID", "Этап", "Бюджет", "Ответственный", "a", "b", "c", "d"])]
    rows += [";".join([str(i), "Переговоры", "1000", "Иван", "1", "2", "3", "4"]) for i in range(1000)]
    imported = read_deals((line_end.join(rows) + line_end).encode(encoding), name="mac.csv")
    assert len(imported.deals) == 1000


def test_a_workbook_with_a_wide_side_sheet_reads_its_deal_sheet():
    book = openpyxl.Workbook()
    book.active.append(["deal_id", "stage", "amount"])
    book.active.append(["1", "Talks", 100])
    book.create_sheet("Lookup").cell(row=1, column=MAX_COLUMNS + 1, value="x")
    out = io.BytesIO()
    book.save(out)
    assert read_deals(out.getvalue(), name="two.xlsx").deals["deal_id"].tolist() == ["1"]
