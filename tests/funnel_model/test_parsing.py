"""Parsing primitives: localized numbers, dates, probabilities, encodings, CSV dialects."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from funnel_model.errors import DealImportError
from funnel_model.parsing import (
    _BLANKS,
    MIXED_ENCODING,
    _count_non_ascii,
    _count_plausible,
    _cp1251_chunk,
    _filled,
    _whole_day_first,
    cell_text,
    clean_text,
    contains_any,
    decode_text,
    import_allocator,
    load_source,
    parse_amounts,
    parse_dates,
    parse_probabilities,
    read_table,
    starts_with_any,
    text_where,
)


def _text(*values):
    return pd.Series(list(values), dtype="str")


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1 200 000,50 ₽", 1_200_000.50),
        ("1 200 000", 1_200_000),
        ("1\u00a0200\u00a0000", 1_200_000),
        ("1\u202f200\u202f000,5", 1_200_000.5),
        ("$1,200.50", 1200.50),
        ("1.200.000,50", 1_200_000.50),
        ("1,200,000", 1_200_000),
        ("1 200 000 руб.", 1_200_000),
        ("USD 1,200.50", 1200.50),
        ("1200", 1200),
        ("1200.5", 1200.5),
        ("0,5", 0.5),
        ("  42  ", 42),
    ],
)
def test_amount_formats(cell, value):
    values, bad, negative = parse_amounts(_text(cell, "7"))
    assert values.iloc[0] == pytest.approx(value)
    assert not bad.any() and not negative.any()


def test_amounts_empty_bad_negative():
    values, bad, negative = parse_amounts(_text("", "abc", "-5", "(300)", None, "не закрыта", "1e400", "1,2,3"))
    assert values.isna().all()
    assert bad.tolist() == [False, True, False, False, False, False, True, True]
    assert negative.tolist() == [False, False, True, True, False, False, False, False]


def test_a_column_read_as_localized_text_whichever_of_its_cells_shows_it():
    # the first cells decide whether the plain-number pass is worth running; the values may not depend on it
    late = parse_amounts(_text(*(["1.5"] * 1500), "1 200,50"))[0]
    assert late.iloc[:1500].eq(1.5).all() and late.iloc[1500] == 1200.5
    early = parse_amounts(_text("1 200,50", *(["1.5"] * 1500)))[0]
    assert early.tolist() == late.iloc[::-1].tolist()
    assert parse_amounts(_text("", "не закрыта", "1,200", "7"))[0].tolist()[2:] == [1200, 7]


def test_ambiguous_separator_is_decided_per_column():
    # "1,200" means 1200 in a column that uses "." for decimals, 1.2 where "," is the decimal mark.
    assert parse_amounts(_text("1,200", "$5.50"))[0].tolist() == [1200, 5.5]
    assert parse_amounts(_text("1,200", "2,5"))[0].tolist() == [1.2, 2.5]
    assert parse_amounts(_text("1.200", "1.200.000,5"))[0].tolist() == [1200, 1_200_000.5]


def test_native_numbers_from_excel():
    cells = pd.Series([1200, 3.5, "1 000,5", None, float("nan")], dtype="object")
    values, bad, _ = parse_amounts(cells)
    assert values.tolist()[:3] == [1200, 3.5, 1000.5]
    assert not bad.any()


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("01.02.2024", "2024-02-01"),
        ("1.2.2024", "2024-02-01"),
        ("01.02.2024 10:30", "2024-02-01 10:30"),
        ("01.02.2024 10:30:15", "2024-02-01 10:30:15"),
        ("15.01.24", "2024-01-15"),
        ("2024-02-01", "2024-02-01"),
        ("2024-02-01 10:30:00", "2024-02-01 10:30"),
        ("2024-02-01T10:30:00Z", "2024-02-01 10:30"),
        ("2024-02-01T13:30:00+03:00", "2024-02-01 13:30"),  # wall-clock time as exported
        ("2024-02-01 13:30:00.250 -0500", "2024-02-01 13:30:00.250"),
        ("45000", "2023-03-15"),
        ("45000.5", "2023-03-15 12:00"),
    ],
)
def test_date_formats(cell, value):
    values, bad = parse_dates(_text(cell))
    assert values.iloc[0] == pd.Timestamp(value)
    assert not bad.any()
    assert str(values.dtype) == "datetime64[ns]"


def test_time_zones_are_dropped_without_converting():
    # a Moscow close at 00:30 on 1 April stays in April (in UTC it was 21:30 on 31 March)
    text = _text("2024-04-01T00:30:00+03:00", "2024-03-31T23:30:00Z", "2024-04-01")
    assert parse_dates(text)[0].tolist() == [
        pd.Timestamp("2024-04-01 00:30"),
        pd.Timestamp("2024-03-31 23:30"),
        pd.Timestamp("2024-04-01"),
    ]
    aware = pd.Series(pd.to_datetime(["2024-04-01T00:30:00+03:00"]))
    assert parse_dates(aware)[0].tolist() == [pd.Timestamp("2024-04-01 00:30")]
    moscow = dt.timezone(dt.timedelta(hours=3))
    native = pd.Series([dt.datetime(2024, 4, 1, 0, 30, tzinfo=moscow)], dtype="object")
    assert parse_dates(native)[0].tolist() == [pd.Timestamp("2024-04-01 00:30")]


def test_slash_dates_are_month_first_unless_a_day_shows_otherwise():
    assert parse_dates(_text("3/4/2024", "12/25/2024"))[0].tolist() == [
        pd.Timestamp("2024-03-04"),
        pd.Timestamp("2024-12-25"),
    ]
    assert parse_dates(_text("3/4/2024", "25/12/2024"))[0].tolist() == [
        pd.Timestamp("2024-04-03"),
        pd.Timestamp("2024-12-25"),
    ]


def test_dates_empty_and_bad():
    values, bad = parse_dates(_text("", None, "не закрыта", "-", "garbage", "32.13.2024", "2024", "0001-01-01", "12"))
    assert values.isna().all()
    assert bad.tolist() == [False, False, False, False, True, True, True, True, True]


@pytest.mark.parametrize(
    "cell",
    ["31.02.2024", "29.02.2023", "31.04.2024 10:00", "30.02.24", "2/30/2024", "2024-02-31", "2024-02-30 10:00:00"],
)
def test_impossible_calendar_dates_are_bad_not_rolled_into_the_next_month(cell):
    # strptime alone reads 31.02.2024 as 2 March: the day written must be the day read
    values, bad = parse_dates(_text(cell, "29.02.2024"))
    assert values.isna().tolist() == [True, False]
    assert bad.tolist() == [True, False]


@pytest.mark.parametrize(
    "cell",
    [
        "05.03.2024 10:00:60",
        "05.03.2024 10:00:61",
        "05.03.2024 23:59:60",
        "31.12.2024 23:59:60",
        "5.3.2024 10:00: 60",
        "05.03.2024 24:00:00",
        "05.03.2024 10:60:00",
        "05.03.2024 24:00",
        "3/5/2024 10:00:60",
        "3/5/2024 10:00:60 AM",
        "2024-03-05 10:00:60",
        "2024-03-05T10:00:60",
        "2024-03-05T24:00:00",
        "2024-03-05 10:60",
        "2024-03-05T10:00:60+03:00",
    ],
)
def test_impossible_times_are_bad_not_rolled_into_the_next_minute(cell):
    # strptime takes the leap seconds :60 and :61 and reads 10:00:60 as 10:01:00
    for cells in ([cell], [cell, "05.03.2024 10:00:00"], [cell, "2024-03-05 10:00:00"]):
        values, bad = parse_dates(_text(*cells))
        assert values.isna().tolist() == [True] + [False] * (len(cells) - 1), cells
        assert bad.tolist() == [True] + [False] * (len(cells) - 1), cells


_WRITTEN_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
]


@pytest.mark.parametrize("fmt", _WRITTEN_FORMATS)
def test_every_date_and_time_field_out_of_range_is_bad_as_pythons_strptime_says(fmt):
    # the oracle: Python's datetime refuses day 30 of February, hour 24, minute 60 and second 60 alike
    rng = np.random.default_rng(14)
    fields = {
        "%Y": [2023, 2024],
        "%y": [23, 24],
        "%m": [0, 1, 2, 4, 12] + ([] if fmt.startswith("%m") else [13]),  # a first field above 12 means D/M
        "%d": [0, 1, 28, 29, 30, 31, 32],
        "%H": [0, 9, 23, 24, 25],
        "%I": [0, 1, 11, 12, 13],
        "%M": [0, 1, 59, 60],
        "%S": [0, 1, 59, 60, 61, 62],
        "%p": ["AM", "PM"],
    }
    cells = []
    for _ in range(80):
        cell = fmt
        for code, choices in fields.items():
            value = choices[rng.integers(len(choices))]
            cell = cell.replace(code, value if isinstance(value, str) else f"{value:0{4 if code == '%Y' else 2}d}")
        cells.append(cell)

    def oracle(cell):
        try:
            return pd.Timestamp(dt.datetime.strptime(cell, fmt))
        except ValueError:
            return pd.NaT

    expected = [oracle(cell) for cell in cells]
    assert any(pd.isna(e) for e in expected) and not all(pd.isna(e) for e in expected)
    values, bad = parse_dates(_text(*cells))
    pd.testing.assert_series_equal(values, pd.Series(expected, dtype="datetime64[ns]"))
    assert bad.tolist() == [pd.isna(e) for e in expected]
    good = [cell for cell, e in zip(cells, expected, strict=True) if not pd.isna(e)]
    for cell in sorted(set(cells) - set(good)):
        values, bad = parse_dates(_text(cell, *good))  # alone among readable cells: the fast paths try them
        assert bad.tolist() == [True] + [False] * len(good), cell
        assert pd.isna(values.iloc[0]) and values.iloc[1:].tolist() == [e for e in expected if not pd.isna(e)], cell


def test_dates_among_empty_cells_land_on_their_own_rows():
    cells = _text("", "05.03.2024 10:00", "не закрыта", "31.02.2024", "2024-03-07", "x", "06.03.24")
    cells.index = [70, 10, 30, 20, 60, 50, 40]  # labels out of order: the values go by position
    values, bad = parse_dates(cells)
    assert values.index.tolist() == cells.index.tolist()
    assert values.tolist()[1] == pd.Timestamp("2024-03-05 10:00") and values.tolist()[4] == pd.Timestamp("2024-03-07")
    assert values.tolist()[6] == pd.Timestamp("2024-03-06")
    assert values.isna().tolist() == [True, False, True, True, False, True, False]
    assert bad.tolist() == [False, False, False, True, False, True, False]


def test_impossible_date_in_a_column_of_unpadded_dates():
    values, bad = parse_dates(_text("5.3.2024", "31.2.2024", "1.12.2024 9:05"))
    assert values.tolist()[0] == pd.Timestamp("2024-03-05") and values.tolist()[2] == pd.Timestamp("2024-12-01 09:05")
    assert bad.tolist() == [False, True, False]


def test_native_dates_and_serials_from_excel():
    cells = pd.Series(
        [dt.datetime(2024, 1, 1, 10), 45000, "01.02.2024", None, "x", 5, dt.date(2024, 3, 1)], dtype="object"
    )
    values, bad = parse_dates(cells)
    assert values.tolist()[:3] == [
        pd.Timestamp("2024-01-01 10:00"),
        pd.Timestamp("2023-03-15"),
        pd.Timestamp("2024-02-01"),
    ]
    assert values.iloc[6] == pd.Timestamp("2024-03-01")
    assert bad.tolist() == [False, False, False, False, True, True, False]


@pytest.mark.parametrize(
    ("cells", "expected", "percent"),
    [
        (["40", "55", "0"], [0.4, 0.55, 0.0], True),
        (["0.4", "0,55", "1"], [0.4, 0.55, 1.0], False),
        (["40%", "55 %", ""], [0.4, 0.55, np.nan], True),
        (["0", "1", "1"], [0.0, 1.0, 1.0], False),  # no vote: shares
        (["50%", "0.4", "0.3"], [0.5, 0.4, 0.3], False),  # a "%" cell is a percent in a share column
    ],
)
def test_probabilities(cells, expected, percent):
    read = parse_probabilities(_text(*cells))
    np.testing.assert_allclose(read.values.to_numpy(), expected)
    assert not read.bad.any() and not read.off_scale.any()
    assert read.percent is percent


def test_probabilities_scale_is_the_majority_and_misfits_are_flagged():
    shares = parse_probabilities(_text("0.4", "0.5", "5"))
    assert not shares.percent
    np.testing.assert_allclose(shares.values.to_numpy(), [0.4, 0.5, np.nan])
    assert shares.off_scale.tolist() == [False, False, True] and not shares.bad.any()
    percents = parse_probabilities(_text("40", "50", "0.5"))
    assert percents.percent
    np.testing.assert_allclose(percents.values.to_numpy(), [0.4, 0.5, np.nan])
    assert percents.off_scale.tolist() == [False, False, True]


def test_probabilities_out_of_range_are_bad():
    values, bad, off_scale, _ = parse_probabilities(_text("150", "-10", "x", "50"))
    assert values.isna().tolist() == [True, True, True, False]
    assert bad.tolist() == [True, True, True, False] and not off_scale.any()


def test_clean_text_strips_and_blanks_null_tokens():
    cells = pd.Series([" a ", "", "не закрыта", None, 12.0, "N/A"], dtype="object")
    assert clean_text(cells).tolist()[:1] == ["a"]
    assert clean_text(cells).isna().tolist() == [False, True, True, True, False, True]
    assert clean_text(cells).iloc[4] == "12"


def test_decode_text_encodings():
    text = "Этап;Сумма\nПереговоры;1\n"
    assert decode_text(text.encode("utf-8"), "f") == (text, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8"), "f") == (text, "utf-8-sig")
    assert decode_text(text.encode("cp1251"), "f") == (text, "cp1251")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("cp1251"), "f") == (text, "cp1251 (BOM)")
    assert decode_text(text.encode("utf-16"), "f") == (text, "utf-16")
    with pytest.raises(DealImportError):
        decode_text(b"a;b\n" + bytes(range(0x80, 0xC0)), "f")


def test_a_utf8_file_with_cp1251_lines_reads_those_lines_as_cp1251():
    header = "ID;Этап сделки;Компания\n".encode()
    data = header + "1;Переговоры;ООО Ромашка\n".encode() + "2;Счёт выставлен;ООО Лютик\n".encode("cp1251")
    data += "3;Договор;ИП Щукин\n".encode()
    text, encoding = decode_text(data, "f")
    assert encoding == MIXED_ENCODING
    assert text.splitlines()[2] == "2;Счёт выставлен;ООО Лютик"
    table = read_table(data, "f.csv")
    assert table.body.iloc[:, 1].tolist() == ["Переговоры", "Счёт выставлен", "Договор"]
    assert [(p["row"], p["action"], p["reason"]) for p in table.problems] == [
        (3, "repaired", "importer.row.cp1251_line")
    ]


def test_a_large_utf8_file_with_a_cp1251_line_past_the_sample():
    rows = "".join(f"{i};Переговоры;ООО Ромашка {i}\n" for i in range(3000)).encode()
    data = "ID;Этап сделки;Компания\n".encode() + rows + "3000;Счёт;ООО Лютик\n".encode("cp1251")
    assert len(data) > 64 * 1024
    table = read_table(data, "f.csv")
    assert len(table.body) == 3001 and table.body.iloc[-1, 1] == "Счёт"
    assert [p["row"] for p in table.problems] == [3002]


# every character Windows-1251 has beyond ASCII: letters, «», №, …, €, dashes, quotes, the no-break space
_CP1251_SIGNS = bytes(range(0x80, 0x100)).replace(b"\x98", b"").decode("cp1251")


def test_a_large_cp1251_file_reads_as_the_same_text_in_utf8():
    # past the sample the file is read as bytes and decoded column by column: the cells must be exactly
    # those of the same text written in UTF-8
    rows = [
        f"{i};«Ромашка» № {i};{i * 1000:,}".replace(",", "\u00a0")
        + f",50 руб.;;{_CP1251_SIGNS[i % 120 :][:7] if i % 25 == 0 else 'Переговоры'};Сергей {i};"
        + ("не закрыта" if i % 3 else f"0{i % 9 + 1}.03.2024 10:00")
        + ';"Иванов; ""Сибирь"" и сеть"\n'
        for i in range(2500)
    ]
    text = "ID;Название сделки;Бюджет;Пусто;Знаки;Ответственный;Дата закрытия;Заметка\n" + "".join(rows)
    data = text.encode("cp1251")
    assert len(data) > 64 * 1024
    table = read_table(data, "amo.csv")
    same = read_table(text.encode("utf-8"), "amo.csv")
    assert table.encoding == "cp1251" and table.headers == same.headers
    pd.testing.assert_frame_equal(table.body, same.body)
    assert (
        table.body["Знаки"].iloc[50] == _CP1251_SIGNS[50:57]
        and table.body["Заметка"].iloc[0] == 'Иванов; "Сибирь" и сеть'
    )
    with_bom = read_table(b"\xef\xbb\xbf" + data, "amo.csv")
    assert with_bom.encoding == "cp1251 (BOM)"
    pd.testing.assert_frame_equal(with_bom.body, same.body)


@pytest.mark.parametrize("seed", [0, 1])
def test_cp1251_cells_are_decoded_as_python_decodes_them(seed):
    rng = np.random.default_rng(seed)
    cells = [bytes(rng.integers(0, 256, rng.integers(0, 8)).astype(np.uint8)) for _ in range(3000)]
    cells += [bytes([b]) for b in range(256)] + [b"", b""]
    array = pa.array(cells, type=pa.binary())
    for part in (array, array.slice(11, 2000), array.slice(0, 0), pa.array([b"abc", b""], type=pa.binary())):
        decoded = _cp1251_chunk(part)
        decoded.validate(full=True)
        assert decoded.to_pylist() == [c.decode("cp1251", errors="replace") for c in part.to_pylist()]


@pytest.mark.parametrize("at", [10, 1_100_000])
def test_a_cp1251_line_in_a_utf8_file_over_a_megabyte(at):
    # the first megabyte tells where UTF-8 breaks when it breaks there; past it, decoding the whole does
    rows = [f"{i};Переговоры;ООО Ромашка {i}\n".encode() for i in range(40_000)]
    lines = np.cumsum([len(r) for r in rows])
    k = int(np.searchsorted(lines, at))
    rows[k] = f"{k};Счёт;ООО Лютик\n".encode("cp1251")
    data = "ID;Этап сделки;Компания\n".encode() + b"".join(rows)
    assert len(data) > 1_100_000
    table = read_table(data, "f.csv")
    assert table.encoding == MIXED_ENCODING and table.body.iloc[k, 1] == "Счёт"
    assert [p["row"] for p in table.problems] == [k + 2]


@pytest.mark.parametrize("encoding", ["koi8_r", "cp866", "iso8859_5", "mac_cyrillic"])
def test_other_cyrillic_encodings_are_recognised(encoding):
    text = "ID;Этап сделки;Бюджет;Компания\n" + "".join(
        f"{i};{s};1 000;ООО Ромашка\n" for i, s in enumerate(["Переговоры", "Успешно реализовано", "Квалификация"])
    )
    assert decode_text(text.encode(encoding), "f") == (text, encoding)
    assert decode_text(text.encode("cp1251"), "f") == (text, "cp1251")


@pytest.mark.parametrize("rows", [30, 5000])  # read whole, and past the sample column by column
def test_a_stray_byte_undefined_in_cp1251_is_read_as_a_replacement_and_its_line_listed(rows):
    # 0x98 has no character in Windows-1251; one pasted into an export used to send the whole file to
    # another code table (headers «Ётап», «Ѕюджет»: no stage column found)
    text = "ID;Этап сделки;Бюджет;Ответственный\n" + "".join(f"{i};Переговоры;1 000;Иван Петров\n" for i in range(rows))
    data = text.encode("cp1251").replace("Петров\n".encode("cp1251"), "Петров".encode("cp1251") + b"\x98\n", 1)
    data = data.replace(f"\n{rows - 1};".encode(), f"\n{rows - 1};".encode() + b"\x98")
    table = read_table(data, "amo.csv")
    assert table.encoding == "cp1251" and table.headers == ["ID", "Этап сделки", "Бюджет", "Ответственный"]
    assert table.body["Ответственный"].iloc[0] == "Иван Петров\ufffd"
    assert table.body["Этап сделки"].iloc[1] == "Переговоры"
    undefined = [p["row"] for p in table.problems if p["reason"] == "importer.row.cp1251_undefined"]
    assert undefined == [2, rows + 1] and all(p["action"] == "repaired" for p in table.problems)


@pytest.mark.parametrize("encoding", ["cp866", "mac_cyrillic"])
@pytest.mark.parametrize("sh", [1, 2, 40])
def test_text_where_0x98_is_a_letter_is_not_taken_for_cp1251(encoding, sh):
    # in DOS 866 and Mac Cyrillic 0x98 is «Ш»; in Mac Cyrillic the lower-case letters are Windows-1251's own,
    # so even one «Ш» among its capitals tells the file
    rows = [f"{i};Переговоры;1 000;Иван Петров\n" for i in range(40)]
    rows[:sh] = [f"{i};Переговоры;1 000;Павел Шилов\n" for i in range(sh)]
    text = "ID;Этап сделки;Бюджет;Ответственный\n" + "".join(rows)
    assert decode_text(text.encode(encoding), "f") == (text, encoding)
    try:  # too few letters to tell the table, but «Ш» among capitals is no stray Windows-1251 byte
        tiny = decode_text("ID;Этап\n1;Шаг\n".encode(encoding), "f")[1]
    except DealImportError:
        tiny = None
    assert tiny != "cp1251"


def test_a_stray_0x98_is_listed_on_its_row_after_a_cell_that_spans_lines():
    # the row of every problem is the record's, whatever the line ends and quoted line breaks
    text = 'ID;Этап;Бюджет;Заметка\n1;Переговоры;1 000;"две\nстроки"\n2;Переговоры;abc;x\n3;Счёт;2 000;y\n'
    data = text.encode("cp1251").replace(b";y\n", b";y\x98\n")
    for line_end in (b"\n", b"\r\n", b"\r"):
        table = read_table(data.replace(b"\n", line_end), "amo.csv")
        assert table.encoding == "cp1251" and table.body["Заметка"].iloc[2] == "y\ufffd"
        assert [p["row"] for p in table.problems if p["reason"] == "importer.row.cp1251_undefined"] == [4], line_end


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffing_with_quotes_and_decimal_commas(delimiter):
    rows = [["deal_id", "stage", "amount", "note"], ["1", "A", "1 200,50", 'say "hi", ok'], ["2", "B", "3,5", "x;y"]]
    lines = [delimiter.join('"' + c.replace('"', '""') + '"' for c in r) for r in rows]
    table = read_table(("\n".join(lines) + "\n").encode("utf-8"), "f.csv")
    assert table.headers == ["deal_id", "stage", "amount", "note"]
    assert table.body["note"].tolist() == ['say "hi", ok', "x;y"]
    assert table.rows.tolist() == [2, 3]


def test_headers_are_stripped_and_duplicates_numbered():
    table = read_table(" Компания ;Компания;Бюджет ;Компания;\n1;2;3;4;\n".encode(), "f.csv")
    assert table.headers == ["Компания", "Компания (2)", "Бюджет", "Компания (3)"]


def test_quoted_newlines_and_tolerant_fallback_keep_spreadsheet_row_numbers():
    table = read_table(b'a,b,c\n1,"two\nlines",3\n\n4,5,6\n7,8\n', "f.csv")
    assert table.body["b"].tolist() == ["two\nlines", "5", "8"]
    assert table.rows.tolist() == [2, 4, 5]


def test_load_source_kinds(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_bytes(b"x")
    assert load_source(path) == (b"x", "deals.csv")
    assert load_source(str(path), "other.csv") == (b"x", "other.csv")
    assert load_source(b"y") == (b"y", "upload")

    class Upload:
        name = "up.csv"

        def __init__(self):
            self.pos = 1

        def seek(self, pos):
            self.pos = pos

        def read(self):
            return b"z" if self.pos == 0 else b""

    assert load_source(Upload()) == (b"z", "up.csv")


def test_cell_text_shows_excel_whole_numbers_without_decimals():
    cells = pd.Series([12.0, 12.5, True, 7, None, " x "], dtype="object")
    assert cell_text(cells).tolist()[:4] == ["12", "12.5", "True", "7"]
    assert cell_text(cells).isna().tolist() == [False, False, False, False, True, False]
    assert cell_text(cells).iloc[5] == "x"


def test_excel_unicode_text_utf16_tab_separated():
    text = "ID\tЭтап сделки\tБюджет\r\n1\tПереговоры\t1 200,50\r\n2\tУспешно реализовано\t300\r\n"
    table = read_table(text.encode("utf-16"), "deals.txt")
    assert table.headers == ["ID", "Этап сделки", "Бюджет"]
    assert table.body["Этап сделки"].tolist() == ["Переговоры", "Успешно реализовано"]
    assert table.encoding == "utf-16"


# ------------------------------------------------- byte-level column tests


def _mixed_cells(seed: int, size: int = 3000) -> list:
    """Short cells of ASCII, Cyrillic, dashes, spaces, zero-width and 4-byte characters; some missing."""
    alphabet = [*"nN-#aбнНрР zé—–\t", "\u200b", "\u202e", "\ufeff", "\u00a0", "\u3000", "\U0001f600", "İ"]
    rng = np.random.default_rng(seed)
    cells = ["".join(rng.choice(alphabet, rng.integers(0, 4))) for _ in range(size)]
    return [None if rng.random() < 0.05 else c for c in cells]


def _arrow_column(cells: list, kind) -> pa.ChunkedArray:
    # several chunks, one of them a slice: offsets that do not start at the buffer's start
    third = len(cells) // 3
    return pa.chunked_array(
        [pa.array(cells[:third], kind), pa.array(["x"] * 7 + cells[third:], kind).slice(7), pa.array([], kind)]
    )


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
@pytest.mark.parametrize("seed", [0, 1])
def test_starts_with_any_is_str_startswith(kind, seed):
    cells = _mixed_cells(seed)
    column = _arrow_column(cells, kind)
    for prefixes in (("-", "n", "н", "—", "#"), ("\U0001f600", "a", "Р"), ("—x", "nн"), (" ", "\u00a0", "\u3000")):
        expected = [c is not None and c.startswith(prefixes) for c in column.to_pylist()]
        got = starts_with_any(column, tuple(p.encode("utf-8") for p in prefixes))
        assert got.tolist() == expected


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_contains_any_tells_a_column_with_hidden_characters(kind):
    cells = _mixed_cells(2)
    assert contains_any(_arrow_column(cells, kind), "\u200b\u202e")
    clean = [c for c in cells if c is not None and "\u200b" not in c and "\u202e" not in c]
    assert not contains_any(_arrow_column(clean, kind), "\u200b\u202e")
    # a character sharing the lead bytes (U+2014, E2 80 94) is not a hidden one
    assert not contains_any(pa.array(["a—b", "—"]), "\u200b\u202e")


def test_text_where_is_series_where():
    text = pd.Series([c for c in _mixed_cells(3)], dtype="str", index=np.arange(3000) * 2, name="owner")
    keep = np.random.default_rng(4).random(len(text)) < 0.7
    other = pd.Series(["other"] * len(text), dtype="str", index=text.index)
    pd.testing.assert_series_equal(text_where(text, keep), text.where(keep))
    pd.testing.assert_series_equal(text_where(text, keep, "—"), text.where(keep, "—"))
    pd.testing.assert_series_equal(text_where(text, keep, other), text.where(keep, other))


def test_blank_cells_are_those_arrow_trims_to_nothing():
    cells = pd.Series([c or "" for c in _mixed_cells(5)] + ["\u2003\u205f", " x ", ""], dtype="str")
    trimmed = cells.str.strip()
    assert _filled(pd.DataFrame({0: cells}))[0].tolist() == (trimmed != "").tolist()


def test_the_blanks_told_by_their_bytes_are_the_ones_arrow_trims():
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    spaces = pc.utf8_is_space(pa.array(every)).to_numpy(zero_copy_only=False)
    assert {c for c, space in zip(every, spaces, strict=True) if space} == set(_BLANKS)
    rng = np.random.default_rng(3)
    # blanks beside Cyrillic letters whose last byte is a blank's (р, т: D1 80, D1 82) and signs that share a lead
    alphabet = [*_BLANKS, *"abЯрт«»—…", "", "x"]
    for _ in range(300):
        cells = pd.Series(["".join(rng.choice(alphabet, rng.integers(0, 4))) for _ in range(12)], dtype="str")
        assert cell_text(cells).tolist() == cells.str.strip().tolist()
        assert _filled(pd.DataFrame({0: cells}))[0].tolist() == (cells.str.strip() != "").tolist()


def test_whole_column_of_iso_dates_reads_as_the_general_path_does():
    cells = ["2024-03-01", "2024-03-01 23:59:59", "2024-02-29T08:00:00", "1899-12-31", "2250-01-01 00:00:00"]
    values, bad = parse_dates(_text(*cells))
    # one cell in another format sends the column down the general path, cell by cell
    general, general_bad = parse_dates(_text(*cells, "01.04.2024"))
    pd.testing.assert_series_equal(values, general.iloc[:-1])
    assert bad.tolist() == general_bad.iloc[:-1].tolist() == [False, False, False, True, True]
    assert values.iloc[2] == pd.Timestamp("2024-02-29 08:00")
    # 31 February refuses the whole cast: read by the general path, it is a bad date
    values, bad = parse_dates(_text("2024-02-31", "2024-03-01"))
    assert bad.tolist() == [True, False] and values.iloc[1] == pd.Timestamp("2024-03-01")


@pytest.mark.parametrize(
    "cells",
    [
        ["05.03.2024 10:00:01", "29.02.2024 23:59:59", "01.01.1899 10:00:00", "01.01.2250 00:00:00"],
        ["05.03.2024 10:00", "29.02.2024 23:59", "31.12.1899 10:00"],
        ["05.03.2024", "29.02.2024", "01.01.0024"],
    ],
)
def test_whole_column_of_day_first_dates_reads_as_the_general_path_does(cells):
    values, bad = parse_dates(_text(*cells))
    pd.testing.assert_series_equal(_whole_day_first(_text(*cells)), values)  # read by the one cast
    # a cell of another width sends the column down the general path (strptime and its roll-over check)
    general, general_bad = parse_dates(_text(*cells, "1.4.2024"))
    pd.testing.assert_series_equal(values, general.iloc[:-1])
    assert bad.tolist() == general_bad.iloc[:-1].tolist() == [False, False] + [True] * (len(cells) - 2)
    assert values.iloc[1].day == 29
    # 31 February or 24:00 refuse the whole cast; the general path flags just that cell
    timed = len(cells[0]) > 10
    for odd in ["31.02.2024" + cells[0][10:]] + (["05.03.2024 24:00" + cells[0][16:]] if timed else []):
        values, bad = parse_dates(_text(odd, cells[0]))
        assert bad.iloc[0] and not bad.iloc[1] and values.iloc[1] == general.iloc[0]


def test_encoding_counts_match_the_regular_expressions():
    rng = np.random.default_rng(6)
    points = list(range(0x600)) + list(range(0x2000, 0x2130)) + [0x1F600, 0xFFFD]
    for _ in range(50):
        sample = "".join(chr(c) for c in rng.choice(points, rng.integers(0, 400)))
        assert _count_non_ascii(sample) == len(re.findall(r"[^\x00-\x7f]", sample))
        cp1251 = re.findall(
            r"[\u0400-\u04ff\u00a0\u00ab\u00bb\u00b0\u00b1\u00a7\u00a9\u00ae\u2013\u2014\u2116\u2026]", sample
        )
        assert _count_plausible(sample) == len(cp1251)


def test_import_allocator_is_restored_and_its_arrays_outlive_it():
    before = pa.default_memory_pool().backend_name
    with import_allocator():
        inside = pa.default_memory_pool().backend_name
        upper = pc.utf8_upper(pa.array(["a", "б"]))
    assert inside == ("jemalloc" if "jemalloc" in pa.supported_memory_backends() else before)
    assert pa.default_memory_pool().backend_name == before
    assert upper.to_pylist() == ["A", "Б"]
    with pytest.raises(DealImportError), import_allocator():
        read_table(b"", "empty.csv")
    assert pa.default_memory_pool().backend_name == before


def test_overlapping_imports_leave_the_allocator_as_it_was():
    # two sessions' imports, the first ending inside the second: the last one out restores the pool
    before = pa.default_memory_pool().backend_name
    first, second = import_allocator(), import_allocator()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    during = pa.default_memory_pool().backend_name
    second.__exit__(None, None, None)
    assert during == ("jemalloc" if "jemalloc" in pa.supported_memory_backends() else before)
    assert pa.default_memory_pool().backend_name == before
