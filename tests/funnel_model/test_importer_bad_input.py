"""Bad input: file-level errors with a clear message, row-level problems, nothing dropped silently."""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from funnel_model import DealImportError, parsing, problems_report, read_deals, read_stage_history
from funnel_model.i18n import t
from tests.funnel_model import exports
from tests.hostile import hostile_deals_csv

HEADER = "deal_id;stage;amount;created_at\n"


def _read(text: str, **kwargs):
    return read_deals(text.encode("utf-8"), name="deals.csv", **kwargs)


def _problem(result, reason):
    return result.problems.loc[result.problems["reason"] == reason]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "importer.empty_file"),
        (b" \r\n\r\n  ", "importer.empty_file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "importer.binary_file"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "importer.binary_file"),
        (b"abc\x00def\x00" * 20, "importer.binary_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "importer.legacy_xls"),
        (b"stage;amount\n" + bytes(range(0x80, 0xC0)) + b";1\n", "importer.encoding"),
        (b"deal_id;stage;amount\n", "importer.no_data_rows"),
        (b"name;price\nA;1\nB;2\n", "importer.no_stage_column"),
        (b"<html><body><p>hello</p></body></html>", "importer.bad_html"),
    ],
    ids=[
        "empty",
        "blank",
        "png",
        "jpeg",
        "nul-bytes",
        "xls97",
        "not-cp1251",
        "header-only",
        "no-stage",
        "html-no-table",
    ],
)
def test_file_level_errors_have_a_key_and_a_message_naming_the_file(data, key):
    with pytest.raises(DealImportError) as info:
        read_deals(data, name="upload.csv")
    assert info.value.key == key
    for lang in ("en", "ru"):
        message = info.value.message(lang)
        assert "upload.csv" in message and message != key


def test_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(DealImportError) as info:
        read_deals(buf.getvalue(), name="deals.xlsx")
    assert info.value.key == "importer.bad_xlsx"


def test_missing_path_and_unsupported_source():
    with pytest.raises(DealImportError) as info:
        read_deals("/no/such/file.csv")
    assert info.value.key == "importer.file_not_found"
    with pytest.raises(DealImportError) as info:
        read_deals(12345)
    assert info.value.key == "importer.bad_source"


def test_no_stage_column_lists_the_columns_found():
    with pytest.raises(DealImportError) as info:
        read_deals(b"name;price\nA;1\n", name="x.csv")
    assert "name, price" in info.value.message("ru")


def test_bad_amounts_and_dates_are_repaired_rows_that_keep_the_deal():
    result = _read(HEADER + "1;A;abc;2024-01-01\n2;A;-500;2024-01-02\n3;A;1 000;32.13.2024\n4;A;;\n")
    deals = result.deals
    assert deals["deal_id"].tolist() == ["1", "2", "3", "4"]
    assert deals["amount"].isna().tolist() == [True, True, False, True]
    assert deals["amount"].iloc[2] == 1000
    assert deals["created_at"].isna().tolist() == [False, False, True, True]
    problems = result.problems
    assert problems[["row", "column", "value", "action", "reason"]].values.tolist() == [
        [2, "amount", "abc", "repaired", "importer.row.bad_amount"],
        [3, "amount", "-500", "repaired", "importer.row.negative_amount"],
        [4, "created_at", "32.13.2024", "repaired", "importer.row.bad_date"],
    ]


def test_an_impossible_day_first_date_is_a_repaired_row_not_the_2nd_of_march():
    result = _read(HEADER + "1;A;10;31.02.2024\n2;A;20;29.02.2024\n")
    assert result.deals["created_at"].isna().tolist() == [True, False]
    assert result.problems[["row", "column", "value", "reason"]].values.tolist() == [
        [2, "created_at", "31.02.2024", "importer.row.bad_date"]
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_impossible_times_are_repaired_rows_in_csv_and_xlsx_alike(kind):
    import openpyxl

    written = [
        "05.03.2024 10:00:60",
        "05.03.2024 24:00:00",
        "05.03.2024 10:60",
        "2024-03-05T10:00:60",
        "2024-03-05 24:00",
    ]
    rows = [[str(i + 1), "A", "10", cell] for i, cell in enumerate([*written, "05.03.2024 10:00:59"])]
    if kind == "csv":
        result = _read(HEADER + "".join(";".join(row) + "\n" for row in rows))
    else:
        wb = openpyxl.Workbook()
        wb.active.append(HEADER.strip().split(";"))
        for row in rows:
            wb.active.append(row)  # text cells, as an export writes them
        buf = io.BytesIO()
        wb.save(buf)
        result = read_deals(buf.getvalue(), name="deals.xlsx")
    assert result.deals["created_at"].tolist()[-1] == pd.Timestamp("2024-03-05 10:00:59")
    assert result.deals["created_at"].isna().tolist() == [True] * len(written) + [False]
    assert result.problems[["row", "column", "value", "action", "reason"]].values.tolist() == [
        [i + 2, "created_at", cell, "repaired", "importer.row.bad_date"] for i, cell in enumerate(written)
    ]


def test_rows_without_stage_are_rejected_and_counted():
    text = HEADER + "1;A;10;\n2;;20;\n3;B;30;\nTotal 60;;;\n"
    result = _read(text)
    assert result.deals["deal_id"].tolist() == ["1", "3"]
    rejected = result.problems.loc[result.problems["action"] == "rejected"]
    assert rejected[["row", "reason"]].values.tolist() == [[3, "importer.row.no_stage"], [5, "importer.row.not_data"]]
    assert rejected["value"].iloc[1] == "Total 60"
    assert len(result.deals) + len(rejected) == 4


def test_duplicate_ids_exact_copies_rejected_other_data_renamed():
    text = HEADER + "7;A;10;\n7;A;10;\n7;B;20;\n8;A;5;\n7;C;30;\n"
    result = _read(text)
    assert result.deals["deal_id"].tolist() == ["7", "7-2", "8", "7-3"]
    assert result.deals["amount"].tolist() == [10, 20, 5, 30]
    assert _problem(result, "importer.row.duplicate_row")["row"].tolist() == [3]
    assert _problem(result, "importer.row.duplicate_id")["row"].tolist() == [4, 6]
    assert (result.problems["action"] == "rejected").sum() + len(result.deals) == 5


def test_ids_that_are_the_same_number_written_differently_are_different_ids():
    result = _read(HEADER + "7;A;1;\n007;B;2;\n8;A;3;\n+8;C;4;\n")
    assert result.deals["deal_id"].tolist() == ["7", "007", "8", "+8"]
    assert result.problems.empty
    # ids in descending order, then a repeat among numbers out of order
    assert _read(HEADER + "9;A;1;\n8;B;2;\n7;A;3;\n").deals["deal_id"].tolist() == ["9", "8", "7"]
    assert _read(HEADER + "2;A;1;\n1;B;2;\n2;C;3;\n").deals["deal_id"].tolist() == ["2", "1", "2-2"]


def test_renamed_duplicate_ids_never_collide_with_existing_ids():
    # ids 5, 5, 5-2: the second 5 must not become 5-2, which the third row already has
    result = _read(HEADER + "5;A;1;\n5;B;2;\n5-2;C;3;\n")
    assert result.deals["deal_id"].tolist() == ["5", "5-3", "5-2"]
    assert _problem(result, "importer.row.duplicate_id")[["row", "value"]].values.tolist() == [[3, "5"]]
    # several repeats, several taken suffixes, and a repeated id that itself looks suffixed
    result = _read(HEADER + "5;A;1;\n5;B;2;\n5;C;3;\n5-2;D;4;\n5-3;E;5;\n5-2;F;6;\n9;A;1;\n")
    assert result.deals["deal_id"].tolist() == ["5", "5-4", "5-5", "5-2", "5-3", "5-2-2", "9"]
    assert result.deals["deal_id"].is_unique


def test_missing_id_column_and_empty_ids_come_from_row_numbers():
    result = _read("stage;amount\nA;1\nB;2\n")
    assert result.deals["deal_id"].tolist() == ["row-2", "row-3"]
    assert _problem(result, "importer.no_deal_id")["action"].tolist() == ["warning"]
    result = _read(HEADER + "1;A;1;\n;B;2;\n")
    assert result.deals["deal_id"].tolist() == ["1", "row-3"]
    assert _problem(result, "importer.row.missing_id")[["row", "action"]].values.tolist() == [[3, "repaired"]]


def test_row_with_extra_cells_is_rejected_and_short_rows_padded():
    result = _read(HEADER + "1;A;10;2024-01-01\n2;B;5;2024-01-01;oops;more\n3;C\n")
    assert result.deals["deal_id"].tolist() == ["1", "3"]
    assert _problem(result, "importer.row.too_many_fields")[["row", "action"]].values.tolist() == [[3, "rejected"]]


def test_blank_lines_and_preamble_are_not_deals_and_rows_keep_spreadsheet_numbers():
    text = "Report: deals\n\ndeal_id;stage;amount;owner\n1;A;x;Ann\n\n2;B;1;Bob\n"
    result = _read(text)
    assert result.deals["deal_id"].tolist() == ["1", "2"]
    assert _problem(result, "importer.row.preamble")["row"].tolist() == [1]
    assert _problem(result, "importer.row.bad_amount")["row"].tolist() == [4]


def test_unknown_status_falls_back_to_the_stage_with_a_warning():
    result = _read("deal_id;stage;status\n1;Closed Won;\n2;Negotiation;maybe\n3;Negotiation;lost\n")
    assert result.deals["status"].tolist() == ["won", "open", "lost"]
    assert _problem(result, "importer.row.unknown_status")["row"].tolist() == [3]
    # A status column closing a deal at a regular stage: the stage is where it was lost.
    assert result.deals["lost_stage"].iloc[2] == "Negotiation"
    assert result.deals["stage"].iloc[2] == "lost"


def test_probabilities_percent_or_fraction_per_column():
    result = _read("deal_id;stage;probability\n1;A;40\n2;A;0.5\n3;A;70%\n")
    # 40 and 70% vote percent, 0.5 shares: a percent column, where 0.5 does not fit
    assert result.deals["probability"].tolist()[::2] == pytest.approx([0.4, 0.7])
    assert np.isnan(result.deals["probability"].iloc[1])
    assert _problem(result, "importer.row.probability_not_percent")[["row", "value"]].values.tolist() == [[3, "0.5"]]
    result = _read("deal_id;stage;probability\n1;A;0.4\n2;A;0,5\n3;A;\n")
    assert result.deals["probability"].tolist()[:2] == pytest.approx([0.4, 0.5])
    result = _read("deal_id;stage;probability\n1;A;140\n2;A;50\n")
    assert np.isnan(result.deals["probability"].iloc[0])
    assert _problem(result, "importer.row.bad_probability")["row"].tolist() == [2]


def test_one_stray_value_does_not_rescale_a_column_of_shares():
    # the reviewer's case: 0.4, 0.5, 5 used to become 0.004, 0.005, 0.05 with no problem
    result = _read("deal_id;stage;probability\n1;A;0.4\n2;A;0.5\n3;A;5\n")
    assert result.deals["probability"].tolist()[:2] == pytest.approx([0.4, 0.5])
    assert np.isnan(result.deals["probability"].iloc[2])
    assert result.problems[["row", "value", "action", "reason"]].values.tolist() == [
        [4, "5", "repaired", "importer.row.probability_not_share"]
    ]
    text = problems_report(result.problems, "ru").iloc[0, 4]
    assert "«5»" in text and "доли" in text
    # shares win the vote 3 to 2; "7%" is a percent wherever it stands; above 100 is invalid
    result = _read("deal_id;stage;probability\n1;A;0.4\n2;A;0.5\n3;A;0.6\n4;A;5\n5;A;500\n6;A;7%\n")
    values = result.deals["probability"].tolist()
    assert values[:3] == pytest.approx([0.4, 0.5, 0.6]) and values[5] == pytest.approx(0.07)
    assert np.isnan(values[3]) and np.isnan(values[4])
    assert result.problems[["row", "value", "reason"]].values.tolist() == [
        [5, "5", "importer.row.probability_not_share"],
        [6, "500", "importer.row.bad_probability"],
    ]


def test_user_mapping_overrides_unmaps_and_validates():
    text = "id;Этап;Стадия;Бюджет\n1;A;X;5\n2;B;Y;6\n"
    auto = _read(text)
    assert auto.mapping["stage"] == "Этап" and auto.deals["stage"].tolist() == ["A", "B"]
    assert auto.deals["Стадия"].tolist() == ["X", "Y"]  # an unknown column is kept under its header
    moved = _read(text, mapping={"stage": "Стадия", "amount": None})
    assert moved.deals["stage"].tolist() == ["X", "Y"]
    assert moved.deals["amount"].isna().all() and moved.deals["Бюджет"].tolist() == ["5", "6"]
    assert "amount" not in moved.mapping
    with pytest.raises(DealImportError) as info:
        _read(text, mapping={"stage": "Nope"})
    assert info.value.key == "importer.mapping_unknown_header"
    with pytest.raises(DealImportError) as info:
        _read(text, mapping={"colour": "Этап"})
    assert info.value.key == "importer.mapping_unknown_field"


def test_problems_report_is_translated_with_values_filled_in():
    result = _read(HEADER + "1;A;abc;\n2;;1;\n")
    for lang in ("en", "ru"):
        report = problems_report(result.problems, lang)
        assert list(report.columns) == [
            t(f"importer.report.{c}", lang) for c in ("row", "column", "value", "action", "reason")
        ]
        reasons = report.iloc[:, 4].tolist()
        assert reasons[0] == t("importer.row.bad_amount", lang, column="amount", value="abc")
        assert report.iloc[:, 3].tolist() == [t("importer.action.repaired", lang), t("importer.action.rejected", lang)]
    empty = problems_report(_read(HEADER + "1;A;1;\n").problems, "ru")
    assert empty.empty and len(empty.columns) == 5


def test_every_data_row_is_a_deal_or_a_rejected_problem():
    rng = np.random.default_rng(0)
    lines = []
    for _ in range(200):
        stage = rng.choice(["A", "B", "", "Closed Won"])
        amount = rng.choice(["10", "x", "-1", "1 000,5", ""])
        lines.append(f"{rng.integers(0, 150)};{stage};{amount};{rng.choice(['2024-01-01', 'bad', ''])}")
    result = _read(HEADER + "\n".join(lines) + "\n")
    rejected = (result.problems["action"] == "rejected").sum()
    assert len(result.deals) + rejected == 200
    assert result.deals["deal_id"].is_unique


def test_stage_history_with_russian_headers_and_bad_rows():
    text = (
        "ID сделки;Этап;Дата перехода\n"
        "2;Переговоры;05.02.2024 10:00\n"
        "1;Квалификация;01.02.2024\n"
        "2;Квалификация;01.02.2024 09:00:00\n"
        "3;;01.02.2024\n"
        "4;Переговоры;когда-то\n"
        ";Переговоры;01.02.2024\n"
        "5;Переговоры;\n"
    )
    history = read_stage_history(text.encode("cp1251"), name="history.csv")
    assert history.values.tolist() == [
        ["1", "Квалификация", pd.Timestamp("2024-02-01")],
        ["2", "Квалификация", pd.Timestamp("2024-02-01 09:00")],
        ["2", "Переговоры", pd.Timestamp("2024-02-05 10:00")],
    ]
    assert history.dtypes.astype(str).tolist() == ["str", "str", "datetime64[ns]"]
    problems = history.attrs["problems"]
    assert problems[["row", "reason"]].values.tolist() == [
        [5, "importer.row.history_no_stage"],
        [6, "importer.row.history_bad_date"],
        [7, "importer.row.history_no_id"],
        [8, "importer.row.history_bad_date"],
    ]
    assert (problems["action"] == "rejected").all() and problems["value"].iloc[1] == "когда-то"
    with pytest.raises(DealImportError) as info:
        read_stage_history(b"deal;when\n1;2024-01-01\n", name="h.csv")
    assert info.value.key == "importer.history_columns"


def test_damaged_workbooks_give_a_domain_error():
    import openpyxl

    wb = openpyxl.Workbook()
    # a fixed save time and zip member times: the same bytes, so the same damage, on every run
    wb.properties.created = wb.properties.modified = datetime(2026, 1, 1)
    wb.active.append(["deal_id", "stage", "amount"])
    for i in range(30):
        wb.active.append([i, "A", i * 10])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as saved, zipfile.ZipFile(buf := io.BytesIO(), "w") as fixed:
        for info in saved.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.writestr(stamped, saved.read(info), compress_type=zipfile.ZIP_DEFLATED)
    data = buf.getvalue()
    rng = np.random.default_rng(1)
    damaged = [data[: len(data) // 2], data[:-10]]
    # enough damaged copies to hit a forged version, offset or size in the zip directory
    for _ in range(600):
        copy = bytearray(data)
        for pos in rng.integers(30, len(data), size=3):
            copy[pos] = int(rng.integers(0, 256))
        damaged.append(bytes(copy))
    for blob in damaged:
        try:
            read_deals(blob, name="deals.xlsx")
        except DealImportError as err:
            # a damaged declared size reads as a file that would inflate past the limit
            assert err.key in {"importer.bad_xlsx", "importer.binary_file", "importer.too_large_unpacked"}


def test_a_status_column_of_stage_names_is_the_stage():
    result = _read("ID;Статус;Бюджет\n1;Переговоры;10\n2;Успешно реализовано;20\n3;Закрыто и не реализовано;5\n")
    assert result.mapping["stage"] == "Статус" and "status" not in result.mapping
    assert result.deals["status"].tolist() == ["open", "won", "lost"]
    with pytest.raises(DealImportError) as info:
        _read("ID;Статус\n1;won\n2;open\n")
    assert info.value.key == "importer.no_stage_column"


AMO_HEADER = "ID;Этап сделки;Бюджет ;Компания\n"
AMO_ROWS = [
    "1;Переговоры;1 000;ООО Ромашка\n",
    "2;Успешно реализовано;2 000;ООО Лютик\n",
    "3;Закрыто и не реализовано;3 000;ИП Щукин\n",
]


def test_a_utf8_export_with_some_cp1251_lines_is_read_and_the_lines_listed():
    data = AMO_HEADER.encode() + AMO_ROWS[0].encode() + AMO_ROWS[1].encode("cp1251") + AMO_ROWS[2].encode()
    result = read_deals(data, name="mixed.csv")
    assert result.deals["stage"].tolist() == ["Переговоры", "Успешно реализовано", "Закрыто и не реализовано"]
    assert result.deals["status"].tolist() == ["open", "won", "lost"]
    assert result.deals["client_id"].tolist() == ["ООО Ромашка", "ООО Лютик", "ИП Щукин"]
    assert result.problems[["row", "action", "reason"]].values.tolist() == [[3, "repaired", "importer.row.cp1251_line"]]
    assert "Windows-1251" in problems_report(result.problems, "ru").iloc[0, 4]


def test_a_koi8r_export_is_recognised_with_a_warning():
    result = read_deals((AMO_HEADER + "".join(AMO_ROWS)).encode("koi8_r"), name="koi.csv")
    assert result.mapping["stage"] == "Этап сделки"
    assert result.deals["status"].tolist() == ["open", "won", "lost"]
    assert result.deals["amount"].sum() == 6000
    assert result.problems[["row", "value", "action", "reason"]].values.tolist() == [
        [1, "koi8_r", "warning", "importer.encoding_guessed"]
    ]


def test_a_tiny_file_in_another_encoding_gets_an_encoding_error_not_garbled_headers():
    with pytest.raises(DealImportError) as info:
        read_deals("ID;Этап\n1;А\n".encode("koi8_r"), name="tiny.csv")
    assert info.value.key == "importer.encoding_garbled"
    message = info.value.message("ru")
    assert "tiny.csv" in message and "UTF-8" in message and "KOI8-R" in message


def test_technical_detail_comes_last_marked_after_a_translated_message():
    from funnel_model import FunnelConfig
    from funnel_model.errors import ConfigError

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(DealImportError) as info:
        read_deals(buf.getvalue(), name="deals.xlsx")
    ru = info.value.message("ru")
    assert ru.startswith("Файл «deals.xlsx» похож на книгу Excel, но повреждён")
    assert ru.endswith("(Техническая подробность: KeyError)")
    for text, detail in ((b"{not json", "Expecting property name"), (b'{"funnels": [{"stages": []}]}', "KeyError")):
        with pytest.raises(ConfigError) as info:
            FunnelConfig.from_json(text)
        ru = info.value.message("ru")
        assert ru.startswith("Этот файл настройки воронок не читается")
        tail = ru[ru.index("(Техническая подробность: ") :]
        assert detail in tail and tail.endswith(")")


MESSY = (
    "ID;Этап;Статус;Бюджет;Вероятность;Дата создания;Deal - won time;Deal - lost time;"
    "Ответственный;Компания;Воронка;Сегмент\n"
    "1;Встреча;;1 200,50;30;05.03.2024 10:00:60;;;Ива\u202eн;ООО «Север»;Продажи;SMB\n"
    "1;КП;open;abc;150;31.02.2024;;;  Пётр ;ООО Юг;;малый\n"
    "2;;lost;-500;0,5;2024-03-05T24:00:00;2024-04-01;;Ма\u200bрия;;Продажи;\n"
    "3;Договор;won;1e13;x;06.03.24;07.03.2024 09:00;;Иван;ООО Север;Развитие;крупный\n"
    "4;Переговоры;lost;;;2024-03-05 10:00:00;;2024-05-01 12:00:00;Иван;ООО Запад;;\n"
    "5;Переговоры;потерян;10;;x;;05.05.2024 10:00:61;;;;\n"
    ";;;;;;;;;;;\n"
)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda d: MESSY.encode("utf-8"), id="messy"),
        pytest.param(lambda d: hostile_deals_csv(), id="hostile"),
        *(pytest.param(lambda d, b=b: b(d).path.read_bytes(), id=name) for name, b in exports.BUILDERS.items()),
    ],
)
def test_columns_parsed_in_two_threads_give_the_serial_deals_and_problems(make, tmp_path, monkeypatch):
    data = make(tmp_path)
    serial = read_deals(data, name="deals.csv")
    pools = []
    monkeypatch.setattr(parsing, "PARALLEL_ROWS", 0)  # a small file takes the large files' path
    monkeypatch.setattr(parsing, "ThreadPoolExecutor", lambda n: pools.append(n) or ThreadPoolExecutor(n))
    parallel = read_deals(data, name="deals.csv")
    # which cells are filled (each sheet), the stage, status and ids (when there are two), the other columns
    assert len(pools) >= 2 and set(pools) == {2}
    pd.testing.assert_frame_equal(parallel.deals, serial.deals)
    pd.testing.assert_frame_equal(parallel.problems, serial.problems)
