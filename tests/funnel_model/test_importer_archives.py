"""Compressed exports (.csv.gz, .zip, Parquet) read like the plain file; unbounded archives are refused."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib

import pandas as pd
import pytest

from funnel_model import DealImportError, parsing, read_deals, read_stage_history
from funnel_model.parsing import MAX_CELLS, MAX_UNPACKED_BYTES

CSV = (
    "deal_id;stage;amount;created_at;closed_at\n"
    "1;Встреча;1 200 000,50;05.03.2024;не закрыта\n"
    "2;Успешно реализовано;300;2024-01-02;2024-02-01 10:00:00\n"
    "3;;5;2024-01-03;\n"
    "4;Закрыто и не реализовано;abc;31.02.2024;2024-02-03\n"
).encode("cp1251")
HISTORY = b"deal_id,stage,entered_at\n1,A,2024-01-01\n1,B,2024-01-05\n2,A,2024-01-02\n"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _same(result, expected) -> None:
    pd.testing.assert_frame_equal(result.deals, expected.deals)
    pd.testing.assert_frame_equal(result.problems, expected.problems)
    assert result.mapping == expected.mapping


@pytest.mark.parametrize(
    "pack",
    [
        gzip.compress,
        lambda data: _zip({"export/deals.csv": data}),
        lambda data: _zip({"__MACOSX/._deals.csv": b"junk", "deals.csv": data, "readme.md": b"notes"}),
        lambda data: gzip.compress(_zip({"deals.csv": data})),
    ],
    ids=["csv.gz", "zip", "zip with extras", "zip in gzip"],
)
def test_a_compressed_export_reads_exactly_like_the_plain_file(pack):
    expected = read_deals(CSV, name="deals.csv")
    _same(read_deals(pack(CSV), name="deals.packed"), expected)
    assert expected.problems["reason"].tolist() == [
        "importer.row.no_stage",
        "importer.row.bad_amount",
        "importer.row.bad_date",
    ]


def test_a_zipped_workbook_reads_like_the_workbook():
    frame = pd.DataFrame({"deal_id": ["1", "2"], "stage": ["Встреча", "КП"], "amount": [10.0, 20.5]})
    book = io.BytesIO()
    frame.to_excel(book, index=False)
    expected = read_deals(book.getvalue(), name="deals.xlsx")
    _same(read_deals(_zip({"deals.xlsx": book.getvalue()}), name="deals.zip"), expected)
    assert expected.deals["amount"].tolist() == [10.0, 20.5]


def test_parquet_reads_like_the_csv_it_was_made_from():
    expected = read_deals(CSV, name="deals.csv")
    text = pd.read_csv(io.BytesIO(CSV), sep=";", dtype=str, keep_default_na=False, encoding="cp1251")
    buffer = io.BytesIO()
    text.to_parquet(buffer)
    _same(read_deals(buffer.getvalue(), name="deals.parquet"), expected)


def test_typed_parquet_keeps_numbers_and_wall_clock_times():
    frame = pd.DataFrame(
        {
            "deal_id": [1, 2],
            "stage": ["Встреча", "Успешно реализовано"],
            "amount": [1200000.5, None],
            "created_at": pd.to_datetime(["2024-03-05 10:30", "2024-01-02 00:00"]).tz_localize("Europe/Moscow"),
        }
    )
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    deals = read_deals(buffer.getvalue(), name="deals.parquet").deals
    assert deals["deal_id"].tolist() == ["1", "2"]
    assert deals["amount"].iloc[0] == 1200000.5 and pd.isna(deals["amount"].iloc[1])
    assert deals["created_at"].tolist() == [pd.Timestamp("2024-03-05 10:30"), pd.Timestamp("2024-01-02")]
    assert deals["status"].tolist() == ["open", "won"]


def test_a_compressed_stage_history_reads_like_the_plain_file():
    expected = read_stage_history(HISTORY, name="history.csv")
    pd.testing.assert_frame_equal(read_stage_history(gzip.compress(HISTORY), name="history.csv.gz"), expected)
    pd.testing.assert_frame_equal(read_stage_history(_zip({"h.csv": HISTORY}), name="history.zip"), expected)


def test_a_zip_with_several_exports_or_none_names_its_members():
    with pytest.raises(DealImportError) as several:
        read_deals(_zip({"a.csv": CSV, "b.csv": CSV}), name="two.zip")
    assert several.value.key == "importer.zip_members"
    assert "a.csv, b.csv" in several.value.message("en") and "two.zip" in several.value.message("en")
    with pytest.raises(DealImportError) as empty:
        read_deals(_zip({}), name="empty.zip")
    assert empty.value.key == "importer.zip_members"


def test_a_damaged_gzip_is_a_clear_error():
    with pytest.raises(DealImportError) as info:
        read_deals(gzip.compress(CSV)[:-30], name="cut.csv.gz")
    assert info.value.key == "importer.bad_archive"
    assert "cut.csv.gz" in info.value.message("ru")


# ------------------------------------------------------------------------------ bombs


def _deflated(size: int, piece: bytes = b"0" * (1 << 20)) -> bytes:
    """``size`` bytes of ``piece`` repeated, deflated in a stream (never held inflated)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [packer.compress(piece) for _ in range(size // len(piece))]
    return b"".join(out) + packer.flush()


def _workbook_with_sheet(write_sheet) -> bytes:
    """A minimal .xlsx whose sheet XML is written by ``write_sheet(stream)`` in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            write_sheet(stream)
    return out.getvalue()


@pytest.fixture
def no_workbook_parsing(monkeypatch):
    """The workbook reader must not even start on a refused file."""

    def refuse(data, name):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(parsing, "_read_xlsx", refuse)


def test_a_gzip_bomb_is_refused_naming_the_file_and_the_limit():
    bomb = _deflated(MAX_UNPACKED_BYTES + (32 << 20))
    assert len(bomb) < 2 << 20  # a couple of MB that would inflate past half a gigabyte
    with pytest.raises(DealImportError) as info:
        read_deals(bomb, name="bomb.csv.gz")
    assert info.value.key == "importer.too_large_unpacked"
    message = info.value.message("en")
    assert "bomb.csv.gz" in message and str(MAX_UNPACKED_BYTES // 2**20) in message


def test_a_workbook_bomb_is_refused_before_the_workbook_is_parsed(no_workbook_parsing):
    def sheet(stream):
        stream.write(b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>')
        chunk = b"A" * (1 << 20)
        for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 16):
            stream.write(chunk)
        stream.write(b"</t></is></c></row></sheetData></worksheet>")

    bomb = _workbook_with_sheet(sheet)
    assert len(bomb) < 4 << 20
    with pytest.raises(DealImportError) as info:
        read_deals(bomb, name="bomb.xlsx")
    assert info.value.key == "importer.too_large_unpacked"
    assert "bomb.xlsx" in info.value.message("ru")


def test_a_workbook_bomb_that_lies_about_its_size_is_stopped_while_inflating(monkeypatch, no_workbook_parsing):
    # headers may claim anything: the limit holds on the bytes actually inflated
    monkeypatch.setattr(parsing, "MAX_UNPACKED_BYTES", 8 << 20)
    workbook = _workbook_with_sheet(lambda stream: stream.write(b"<row><c><v>1</v></c></row>" * 400_000))
    archive = zipfile.ZipFile(io.BytesIO(workbook))
    for info in archive.infolist():
        info.file_size = 1  # what a forged central directory would say
    counted = []
    with pytest.raises(DealImportError) as info:
        parsing._inflate_members(
            archive, archive.infolist(), "forged.xlsx", "xlsx", sink=lambda i, c: counted.append(c)
        )
    # Python's zip reader stops at the declared size and then finds the checksum wrong: refused either way
    assert info.value.key in ("importer.bad_archive", "importer.too_large_unpacked")
    assert sum(map(len, counted)) <= 8 << 20


def test_a_workbook_with_more_cells_than_the_limit_is_refused_before_parsing(no_workbook_parsing):
    def sheet(stream):
        stream.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        row = b"<row>" + b"<c/>" * 1000 + b"</row>"
        for _ in range(MAX_CELLS // 1000 + 10):
            stream.write(row)
        stream.write(b"</sheetData></worksheet>")

    with pytest.raises(DealImportError) as info:
        read_deals(_workbook_with_sheet(sheet), name="cells.xlsx")
    assert info.value.key == "importer.too_many_cells"
    assert "cells.xlsx" in info.value.message("en") and f"{MAX_CELLS:,}" in info.value.message("en")


def test_a_zip_whose_member_inflates_past_the_limit_is_refused():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("deals.csv", "w", force_zip64=True) as stream,
    ):
        chunk = b"1;a\n" * (1 << 18)
        for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 4):
            stream.write(chunk)
    with pytest.raises(DealImportError) as info:
        read_deals(out.getvalue(), name="bomb.zip")
    assert info.value.key == "importer.too_large_unpacked"
