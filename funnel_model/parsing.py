"""Low-level reading of CRM exports: bytes to a grid of cells, cells to values.

Two layers, both vectorised (pandas / pyarrow column operations, no Python
loop per data row on the normal path):

* :func:`read_table` turns a file (CSV in any common dialect and encoding,
  XLSX, an HTML table saved as ".xls") into a :class:`RawTable`: unique,
  stripped headers, the body as text-or-native cells, and each row's number as
  the user sees it in a spreadsheet (header = 1).
* :func:`parse_amounts`, :func:`parse_dates`, :func:`parse_probabilities`
  and :func:`clean_text` turn one column of cells into typed values plus a
  mask of the cells that held something that could not be read.

File-level failures raise :class:`~funnel_model.errors.DealImportError` with
a message key from ``funnel_model.locales.importer``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import threading
import warnings
import zipfile
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from funnel_model.errors import DealImportError
from funnel_model.templates import HEADER_ALIASES, HISTORY_ALIASES, NULL_TOKENS, normalize_name
from funnel_model.text import strip_invisible

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_UNPACKED_BYTES",
    "MIXED_ENCODING",
    "PARALLEL_ROWS",
    "ZIP_ERRORS",
    "Probabilities",
    "RawTable",
    "cell_text",
    "clean_text",
    "contains_any",
    "decode_text",
    "import_allocator",
    "in_threads",
    "load_source",
    "parse_amounts",
    "parse_dates",
    "parse_probabilities",
    "read_table",
    "starts_with_any",
    "text_where",
]

_SAMPLE_BYTES = 64 * 1024
_SAMPLE_LINES = 60
_HEADER_SEARCH_ROWS = 30
_DELIMITERS = (";", ",", "\t", "|")
_MAGIC = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"BM", "BMP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7z"),
    (b"RIFF", "RIFF"),
)


@dataclass
class RawTable:
    """A file read into cells, before any column is interpreted.

    Attributes
    ----------
    headers : list of str
        Column names as found (stripped; duplicates made unique, «Компания (2)»).
    body : DataFrame
        One column per header; cells are text (CSV, HTML) or native values
        (XLSX numbers and datetimes); an empty cell is "" or missing.
    rows : ndarray of int
        Row number of each body row as the user sees it (header row's number + 1, ...).
    header_row : int
        Row number of the header.
    problems : list of dict
        Rows that could not be laid out in the header's columns, or lines before
        the header (dicts with row, column, value, action, reason).
    encoding : str
        The text encoding used ("" for XLSX).
    """

    headers: list[str]
    body: pd.DataFrame
    rows: np.ndarray
    header_row: int = 1
    problems: list[dict] = field(default_factory=list)
    encoding: str = ""


# --------------------------------------------------------------------------- allocator


@contextlib.contextmanager
def import_allocator():
    """Arrow's allocations inside the block from jemalloc, where this pyarrow build has it.

    An import allocates and frees hundreds of column-sized buffers. pyarrow's
    default allocator (mimalloc) hands freed memory back to the system at once,
    so the next buffer faults its pages in again: on a million deals that is
    about a second of system time, which jemalloc (it keeps freed pages for
    reuse a while) does not spend; its peak memory is lower too (measured with
    bench/bench_import.py). Buffers remember their allocator, so arrays made
    here are freed correctly after the block.
    """
    if "jemalloc" not in pa.supported_memory_backends():
        yield
        return
    global _importing, _pool_before
    # the pool is the process's: imports of several sessions overlap, and the last one out restores it
    with _pool_lock:
        if _importing == 0:
            _pool_before = pa.default_memory_pool()
            pa.set_memory_pool(pa.jemalloc_memory_pool())
        _importing += 1
    try:
        yield
    finally:
        with _pool_lock:
            _importing -= 1
            if _importing == 0:
                pa.set_memory_pool(_pool_before)


_pool_lock = threading.Lock()
_importing = 0
_pool_before = None


# --------------------------------------------------------------------------- source


def load_source(source, name: str | None = None) -> tuple[bytes, str]:
    """Return the bytes of ``source`` (path, bytes, or binary file object) and its display name."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            return path.read_bytes(), name or path.name
        except OSError as exc:
            raise DealImportError("importer.file_not_found", name=str(source)) from exc
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), name or "upload"
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            # an unseekable stream is read from where it stands
            with contextlib.suppress(OSError, ValueError):
                source.seek(0)
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return bytes(data), name or str(getattr(source, "name", "") or "upload")
    raise DealImportError("importer.bad_source", kind=type(source).__name__)


# ------------------------------------------------------------------------ encoding

# Windows-1251 text decodes to Cyrillic letters, ASCII and a little typography;
# anything else in the decoded text means the bytes are not Windows-1251 either.
_PLAUSIBILITY_SAMPLE = 1 << 20
# the typography Windows-1251 text holds besides the Cyrillic block U+0400..U+04FF
_CP1251_SIGNS = "\u00a0\u00ab\u00bb\u00b0\u00b1\u00a7\u00a9\u00ae\u2013\u2014\u2116\u2026"


def _count_non_ascii(text: str) -> int:
    """How many characters of ``text`` are not ASCII (no list of a million one-letter strings)."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _count_plausible(text: str) -> int:
    """How many characters of ``text`` are Cyrillic letters or :data:`_CP1251_SIGNS` (counted in numpy)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cyrillic = (points >= 0x400) & (points <= 0x4FF)
    return int(np.count_nonzero(cyrillic | np.isin(points, [ord(c) for c in _CP1251_SIGNS])))


# a Windows-1251 file may hold two undefined bytes (0x98), or one per this many non-ASCII characters
_UNDEFINED_PER = 1000
# Windows-1251's Serbian and Macedonian letters (Ђ Ѓ ѓ Љ Њ Ќ Ћ Џ ђ љ њ ќ ћ џ), never in a Russian export: in
# DOS 866 and Mac Cyrillic these bytes are the capitals А Б Г К М Н О П Р Ъ Ь Э Ю Я
_NOT_RUSSIAN = tuple(
    bytes([b]) for b in (0x80, 0x81, 0x83, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F)
)
_UTF8 = ("utf-8", "utf-8-sig")
MIXED_ENCODING = "utf-8 + cp1251 lines"
_MIN_UTF8_BYTES = 16
# 8-bit Cyrillic encodings tried when Windows-1251 gives text that is not Russian
# (KOI8-R decoded as Windows-1251 reads «ьФБР» for «Этап»).
_CYRILLIC_ENCODINGS = ["cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5"]
# The eight commonest Russian letters make ~60 % of the letters of Russian text
# (about 30 % or less when it is decoded with the wrong 8-bit table); judged on >= 40.
_COMMON_RUSSIAN = frozenset("оеаинтср")
_RUSSIAN_SHARE = 0.45
_MIN_LETTERS = 40
_MIN_FEW_LETTERS = 10
_MARGIN, _MARGIN_FEW = 0.1, 0.2
_LETTER_SAMPLE = 1 << 16
_CYRILLIC_LETTER = re.compile(r"[а-яё]")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (with or without BOM), UTF-16 (with BOM), Windows-1251,
    or another 8-bit Cyrillic encoding recognised by charset detection.

    Returns
    -------
    text, encoding
        ``encoding`` is "utf-8", "utf-8-sig", "utf-16", "cp1251", a detected
        Python codec name ("koi8_r", ...), or :data:`MIXED_ENCODING` for a
        UTF-8 file with some Windows-1251 lines; a UTF-8 BOM in front of
        Windows-1251 bytes gives "cp1251 (BOM)".

    Raises
    ------
    DealImportError
        ``importer.encoding`` when the bytes are none of these.
    """
    text, encoding, _ = _decode(data, name)
    return text, encoding


def _decode(data: bytes, name: str, whole: bool = True) -> tuple[str | None, str, np.ndarray]:
    """:func:`decode_text`, plus the line numbers (1-based) read as Windows-1251 in a UTF-8 file.

    ``whole=False``: a Windows-1251 file is judged on its bytes and a sample only and its text is None
    (:func:`_fast_csv` decodes it column by column).
    """
    none = np.array([], dtype="int64")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", none
        except UnicodeDecodeError as exc:
            raise DealImportError("importer.encoding", name=name) from exc
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    first_error = _early_utf8_error(body)
    if first_error is None:
        try:
            return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8", none
        except UnicodeDecodeError as exc:
            first_error = exc.start
    if _utf8_share(body, first_error) >= 0.5:
        # A UTF-8 file with lines in Windows-1251 (rows pasted from another export):
        # those lines are read as Windows-1251 and listed; the rest stays UTF-8.
        text, starts = _decode_mixed(body)
        newlines = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == 0x0A)
        return text, MIXED_ENCODING, np.searchsorted(newlines, starts) + 1
    # Judge on a sample: counting characters of a whole large file costs seconds. (One byte, one
    # character: the sample decoded alone is the start of the whole file decoded.)
    sample = body[:_PLAUSIBILITY_SAMPLE].decode("cp1251", errors="replace")
    non_ascii = _count_non_ascii(sample)
    plausible = _count_plausible(sample)
    # Asked of the bytes, not of the text (a scan of the decoded file costs ten times more): only
    # byte 0 decodes to U+0000 and only 0x98, undefined in Windows-1251, to U+FFFD.
    if b"\x00" in body:
        raise DealImportError("importer.encoding", name=name)
    cp1251_ok = _undefined_is_stray(body[:_PLAUSIBILITY_SAMPLE], non_ascii) and plausible * 2 >= non_ascii
    if _latin_words(sample, non_ascii):  # Western European text (Latin-1 / Windows-1252): not Cyrillic at all
        latin = "cp1252" if _decodes(body, "cp1252") else "latin-1"
        return body.decode(latin), latin, none
    share, count = _russian_share(sample)
    guessed = _other_cyrillic(body[: 4 * _LETTER_SAMPLE], share if cp1251_ok else 0.0)
    if guessed is None and cp1251_ok and (count < _MIN_LETTERS or share >= _RUSSIAN_SHARE):
        text = body.decode("cp1251", errors="replace") if whole else None
        return text, "cp1251 (BOM)" if bom else "cp1251", none
    guessed = guessed or _detect_encoding(body[:_PLAUSIBILITY_SAMPLE])
    if guessed is None:
        raise DealImportError("importer.encoding", name=name)
    try:
        return body.decode(guessed), guessed, none
    except UnicodeDecodeError as exc:
        raise DealImportError("importer.encoding", name=name) from exc


def _undefined_is_stray(sample: bytes, non_ascii: int) -> bool:
    """Whether the bytes 0x98 of ``sample`` (undefined in Windows-1251) can be stray ones in a Windows-1251 file.

    In DOS 866 and Mac Cyrillic 0x98 is «Ш», and lower-case letters are the same bytes in Mac Cyrillic as in
    Windows-1251: the byte is what tells such a file. Stray ones (a symbol pasted into an export) are few,
    and outnumber the capitals those tables have where Windows-1251 has Serbian letters (a Russian export has
    none of those letters).
    """
    undefined = sample.count(b"\x98")
    if not undefined:
        return True
    capitals = sum(sample.count(b) for b in _NOT_RUSSIAN)
    return undefined <= max(2, non_ascii // _UNDEFINED_PER) and capitals < undefined


def _early_utf8_error(body: bytes) -> int | None:
    """Where ``body`` stops being UTF-8 when its first megabyte shows it, else None (then only decoding
    the whole tells). The error raised by decoding the whole would copy the whole file into itself."""
    head = body[:_PLAUSIBILITY_SAMPLE]
    if len(head) == len(body):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a character cut at the head's end is no error of the file
        return exc.start if exc.start < len(head) - 3 else None
    return None


# a non-ASCII character inside a word of ASCII letters: "Peña", "Müller" (read as cp1251: "Peсa", "Mьller")
_IN_LATIN_WORD = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f]|[^\x00-\x7f](?=[A-Za-z])")
_LATIN_WORDS_SHARE = 0.5  # Russian text has almost none: its letters sit among other Cyrillic letters


def _latin_words(sample: str, non_ascii: int) -> bool:
    """Whether most of the ``non_ascii`` characters of ``sample`` sit inside words of ASCII letters (a Western text)."""
    return non_ascii >= 3 and len(_IN_LATIN_WORD.findall(sample)) >= _LATIN_WORDS_SHARE * non_ascii


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _utf8_share(body: bytes, around: int, window: int = 1 << 19) -> float:
    """Share of the non-ASCII bytes near ``around`` that form valid UTF-8 sequences
    (0 when fewer than a few characters' worth do: chance pairs in 8-bit text)."""
    b = np.frombuffer(body, dtype=np.uint8)[max(0, around - window) : around + window]
    high = int(np.count_nonzero(b >= 0x80))
    if high == 0:
        return 0.0
    cont = (b >= 0x80) & (b < 0xC0)
    lead2 = (b >= 0xC2) & (b < 0xE0)
    lead3 = (b >= 0xE0) & (b < 0xF0)
    pairs = int(np.count_nonzero(lead2[:-1] & cont[1:]))
    triples = int(np.count_nonzero(lead3[:-2] & cont[1:-1] & cont[2:])) if len(b) > 2 else 0
    valid = 2 * pairs + 3 * triples
    return valid / high if valid >= _MIN_UTF8_BYTES else 0.0


def _decode_mixed(body: bytes) -> tuple[str, list[int]]:
    """Decode UTF-8, reading each line that is not valid UTF-8 as Windows-1251.

    Returns the text and the byte offsets where those lines start. One step
    per such line, not per line of the file: the UTF-8 runs between them are
    decoded at once.
    """
    view = memoryview(body)
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    while pos < len(body):
        try:
            parts.append(codecs.utf_8_decode(view[pos:], "strict", True)[0])
            break
        except UnicodeDecodeError as exc:
            error = pos + exc.start
        line_start = body.rfind(b"\n", pos, error) + 1 or pos
        line_end = body.find(b"\n", error)
        line_end = len(body) if line_end < 0 else line_end + 1
        parts.append(codecs.utf_8_decode(view[pos:line_start], "strict", True)[0])
        parts.append(body[line_start:line_end].decode("cp1251", errors="replace"))
        starts.append(line_start)
        pos = line_end
    return "".join(parts), starts


def _russian_share(text: str) -> tuple[float, int]:
    """Share of the eight commonest Russian letters among the non-ASCII characters
    of the start of ``text``, and how many non-ASCII characters there are.

    The wrong 8-bit table turns Russian into rarer letters and symbols, so the
    share drops from about 0.6 to 0.35 or less.
    """
    points = np.frombuffer(text[:_LETTER_SAMPLE].lower().encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = points[points > 0x7F]  # counted in numpy: a Python step per letter costs more than the decoding
    if not points.size:
        return 0.0, 0
    common = int(np.count_nonzero(np.isin(points, [ord(c) for c in _COMMON_RUSSIAN])))
    return common / points.size, int(points.size)


def _other_cyrillic(sample: bytes, cp1251_share: float) -> str | None:
    """An 8-bit Cyrillic encoding that reads ``sample`` as Russian clearly better than
    Windows-1251 does (KOI8-R, DOS 866, ...), or None.

    With few characters to judge (a short file) the margin must be large.
    """
    best, best_share, best_count = None, 0.0, 0
    for encoding in _CYRILLIC_ENCODINGS[1:]:
        try:
            share, count = _russian_share(sample.decode(encoding))
        except UnicodeDecodeError:
            continue
        if share > best_share:
            best, best_share, best_count = encoding, share, count
    if best is None or best_share < _RUSSIAN_SHARE or best_count < _MIN_FEW_LETTERS:
        return None
    margin = _MARGIN if best_count >= _MIN_LETTERS else _MARGIN_FEW
    return best if best_share >= cp1251_share + margin else None


def _detect_encoding(sample: bytes) -> str | None:
    """A non-Cyrillic encoding named by charset detection (charset-normalizer) for
    text with no Cyrillic in it, or None."""
    import charset_normalizer

    try:
        match = charset_normalizer.from_bytes(sample).best()
    except (LookupError, ValueError, UnicodeError):
        return None
    if match is None or match.encoding in _CYRILLIC_ENCODINGS:
        return None
    try:
        text = sample.decode(match.encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    return match.encoding if not _CYRILLIC_LETTER.search(text.lower()) else None


# ------------------------------------------------------------------------- formats


def _sniff_format(data: bytes, name: str) -> str:
    head = data[:2048]
    if not data.strip():
        raise DealImportError("importer.empty_file", name=name)
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # an empty archive has only its directory
        # a file named as a workbook is judged as one (a damaged workbook is not a zipped export)
        workbook = name.lower().endswith((".xlsx", ".xlsm")) or _is_workbook(data)
        return "xlsx" if workbook else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DealImportError("importer.legacy_xls", name=name)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise DealImportError("importer.binary_file", name=name, kind=kind)
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:_SAMPLE_BYTES]:
        raise DealImportError("importer.binary_file", name=name, kind="binary")
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") and (b"<table" in data[:_SAMPLE_BYTES].lower() or b"<html" in lowered):
        return "html"
    return "csv"


def read_table(data: bytes, name: str) -> RawTable:
    """Read a CSV, XLSX or HTML-table file into a :class:`RawTable`.

    The format is sniffed from the content (not trusted from the extension):
    a ZIP container is XLSX, markup with a ``<table>`` is HTML, text is CSV.
    """
    for _ in range(_MAX_NESTING):
        kind = _sniff_format(data, name)
        if kind == "gzip":
            data = _gunzip(data, name)
        elif kind == "zip":
            data = _unzip_one(data, name)
        else:
            break
    if kind == "parquet":
        return _read_parquet(data, name)
    if kind in ("gzip", "zip"):  # an archive in an archive in an archive: not an export
        raise DealImportError("importer.zip_members", name=name, members=kind)
    if kind == "xlsx":
        _check_workbook(data, name)
        grid, encoding = _read_xlsx(data, name), ""
    elif kind == "html":
        text, encoding, _ = _decode(data, name)  # an HTML table's lines are not its rows: nothing to list
        grid = _read_html(text, name)
    else:
        return _read_csv(data, name)
    return _grid_to_table(grid, np.arange(1, len(grid) + 1), name, encoding, [])


# ------------------------------------------------------------------- archives
#
# A compressed file is inflated in bounded steps and refused as soon as it grows
# past the limit: a small zip bomb must cost seconds, not the server's memory.

MAX_UNPACKED_BYTES = 512 * 2**20  #: a deal export larger than this unpacked is refused (about 3 million deals)
MAX_CELLS = 20_000_000  #: cells of a workbook, counted in its XML before it is parsed
MAX_COLUMNS = 5_000  #: columns of a table: a CRM export has tens to hundreds; each costs work whatever its rows
_MAX_XLSX_ROWS = 1_048_576  # Excel's own limit: more rows than this in a sheet is not an Excel file
_MAX_NESTING = 3
_CHUNK = 1 << 20
_DATA_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".parquet", ".gz")


# What a damaged or hostile zip raises, from its directory to the last inflated byte (an unknown
# version or compression: NotImplementedError; a forged offset: ValueError; encryption: RuntimeError)
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError)
ZIP_ERRORS += (NotImplementedError, RuntimeError)


def _too_large(name: str) -> DealImportError:
    return DealImportError("importer.too_large_unpacked", name=name, limit=MAX_UNPACKED_BYTES // 2**20)


def _gunzip(data: bytes, name: str) -> bytes:
    """Inflate a gzip file (every member of it) up to :data:`MAX_UNPACKED_BYTES`."""
    out = bytearray()
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=31)
            pending = rest
            while pending and not inflater.eof:
                out += inflater.decompress(pending, _CHUNK)
                if len(out) > MAX_UNPACKED_BYTES:
                    raise _too_large(name)
                pending = inflater.unconsumed_tail
            if not inflater.eof:
                raise DealImportError("importer.bad_archive", name=name, kind="gzip")
            rest = inflater.unused_data.lstrip(b"\x00")
    except zlib.error as exc:
        raise DealImportError("importer.bad_archive", name=name, kind="gzip") from exc
    return bytes(out)


def _open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise DealImportError("importer.bad_archive", name=name, kind=kind) from exc
    # declared sizes first: they cost nothing to check (the real ones are checked while inflating)
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise _too_large(name)
    return archive


def _inflate_members(archive: zipfile.ZipFile, members: list, name: str, kind: str, sink=None) -> list[bytes]:
    """Read ``members`` in bounded chunks; their total is capped whatever their headers claim.

    ``sink(member, chunk)`` sees each chunk instead of it being kept (then the list is empty).
    """
    total = 0
    kept = []
    try:
        for info in members:
            parts = []
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_UNPACKED_BYTES:
                        raise _too_large(name)
                    if sink is None:
                        parts.append(chunk)
                    else:
                        sink(info, chunk)
            if sink is None:
                kept.append(b"".join(parts))
    except ZIP_ERRORS as exc:
        raise DealImportError("importer.bad_archive", name=name, kind=kind) from exc
    return kept


def _unzip_one(data: bytes, name: str) -> bytes:
    """The one data file of a zip archive, inflated within the limit."""
    archive = _open_zip(data, name, "zip")
    files = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith(("__MACOSX/", "."))]
    chosen = [i for i in files if i.filename.lower().endswith(_DATA_SUFFIXES)] or files
    if len(chosen) != 1:
        raise DealImportError("importer.zip_members", name=name, members=", ".join(i.filename for i in files) or "—")
    return _inflate_members(archive, chosen, name, "zip")[0]


def _is_workbook(data: bytes) -> bool:
    """A zip container holding an Excel workbook (rather than a zipped export)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except ZIP_ERRORS:
        return data.startswith(b"PK\x03\x04")  # a damaged container: the workbook reader names the problem
    return "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names)


def _check_workbook(data: bytes, name: str) -> None:
    """Refuse a workbook that inflates past the limit or whose sheets hold too many cells or rows.

    Every part is inflated in chunks (nothing is kept); cells and rows are
    counted by their XML tags on the way, before the workbook reader sees them.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return  # not readable as a zip at all: the workbook reader says so
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise _too_large(name)
    cells = [0]
    rows: dict[str, int] = {}
    tails: dict[str, bytes] = {}

    def count(info, chunk: bytes) -> None:
        sheet = info.filename
        if not sheet.startswith("xl/worksheets/"):
            return
        # the last bytes of the previous chunk catch a tag cut in two (at worst one is counted twice)
        text = tails.get(sheet, b"") + chunk
        tails[sheet] = chunk[-4:]
        cells[0] += text.count(b"<c ") + text.count(b"<c>") + text.count(b"<c/>")
        rows[sheet] = rows.get(sheet, 0) + text.count(b"<row ") + text.count(b"<row>")
        if cells[0] > MAX_CELLS or rows[sheet] > _MAX_XLSX_ROWS:
            raise DealImportError(
                "importer.too_many_cells", name=name, limit=f"{MAX_CELLS:,}", rows=f"{_MAX_XLSX_ROWS:,}"
            )

    try:
        _inflate_members(archive, archive.infolist(), name, "xlsx", sink=count)
    except DealImportError as err:
        if err.key == "importer.bad_archive":
            return  # damaged parts: the workbook reader's message says it better
        raise


def _read_parquet(data: bytes, name: str) -> RawTable:
    """A Parquet file: its columns as text cells (dates as ISO text), row numbers as if under a header row."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DealImportError("importer.bad_parquet", name=name, detail=type(exc).__name__) from exc
    if table.num_columns == 0 or table.num_rows == 0:
        raise DealImportError("importer.empty_file", name=name)
    _check_width(table.num_columns, name)
    columns = {}
    for i, column in enumerate(table.columns):
        columns[i] = pd.Series(_parquet_text(column), dtype="str").fillna("")
    grid = pd.DataFrame(columns)
    header = pd.DataFrame([[str(c) for c in table.column_names]], columns=grid.columns)
    grid = pd.concat([header, grid], ignore_index=True)
    return _grid_to_table(grid, np.arange(1, len(grid) + 1), name, "", [], header_found=True)


def _parquet_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """One Parquet column as text: a timestamp as its wall-clock time (a zone is dropped, not applied)."""
    kind = column.type
    if pa.types.is_timestamp(kind):
        if kind.tz is not None:
            column = pc.local_timestamp(column)
        seconds = pc.cast(column, pa.timestamp("s"), safe=False)
        if pc.all(pc.equal(pc.cast(seconds, column.type), column)).as_py() is not False:
            column = seconds  # no fraction of a second anywhere: "2024-03-05 10:00:00", not "...:00.000000000"
    elif pa.types.is_dictionary(kind):
        column = pc.cast(column, kind.value_type)
    return pc.cast(column, pa.string())


def _read_xlsx(data: bytes, name: str) -> pd.DataFrame:
    try:
        # pandas would read "N/A", "NULL", "#N/A" as missing: the row would vanish instead of being reported
        sheets = pd.read_excel(
            io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl", keep_default_na=False
        )
    except Exception as exc:
        # A damaged workbook fails anywhere inside zipfile, zlib, the XML parser or
        # openpyxl, each with its own exception type; all of them mean the same to the user.
        raise DealImportError("importer.bad_xlsx", name=name, detail=type(exc).__name__) from exc
    # a sheet wider than any deal table is left out before any per-column work (16,384 columns took minutes)
    narrow = [sheet for sheet in sheets.values() if sheet.shape[1] <= MAX_COLUMNS]
    if sheets and not narrow:
        _check_width(max(sheet.shape[1] for sheet in sheets.values()), name)
    # The deals are on the sheet with the most filled cells (exports may add a summary sheet).
    best = max(narrow, key=lambda s: int(_filled(s).to_numpy().sum()), default=None)
    if best is None or not _filled(best).to_numpy().any():
        raise DealImportError("importer.empty_file", name=name)
    best = best.copy()
    best.columns = range(best.shape[1])
    return best.reset_index(drop=True)


def _read_html(text: str, name: str) -> pd.DataFrame:
    import lxml.etree
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DealImportError("importer.bad_html", name=name) from exc
    tables = doc.xpath("//table")
    if not tables:
        raise DealImportError("importer.bad_html", name=name)
    table = max(tables, key=lambda t: len(t.xpath(".//tr")))
    # An HTML export is a few thousand rows at most; lxml hands over cells one by one.
    rows = [[cell.text_content().strip() for cell in tr.xpath("./td|./th")] for tr in table.xpath(".//tr")]
    if not any(rows):
        raise DealImportError("importer.bad_html", name=name)
    return pd.DataFrame(rows).fillna("")


def _sniff_delimiter(sample_rows: list[str]) -> str:
    """The delimiter that splits the sample into the most consistent, widest rows."""
    best, best_score = ",", -1.0
    for delim in _DELIMITERS:
        widths = [len(r) for r in csv.reader(sample_rows, delimiter=delim) if any(f.strip() for f in r)]
        if not widths:
            continue
        width, freq = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = freq / len(widths) * np.log(width)
        if score > best_score:
            best, best_score = delim, score
    return best


_KNOWN_HEADERS = frozenset(
    a for aliases in (HEADER_ALIASES, HISTORY_ALIASES) for names in aliases.values() for a in names
)


def _known_headers(cells) -> int:
    """How many of a row's cells are column names some CRM uses."""
    return sum(normalize_name(str(c)).rstrip(":*").strip() in _KNOWN_HEADERS for c in cells if isinstance(c, str))


def _header_index(nonempty: np.ndarray, rows: list | None = None) -> int:
    """The header row: the first row with two known column names ("Stage", «Бюджет»...), else the
    first with three filled cells or 60 % as many as the fullest of the first rows. Rows above it
    are report titles and filters (Salesforce, 1C); a title with a comma in it has cells too."""
    if rows is not None:
        known = [_known_headers(r) for r in rows[:_HEADER_SEARCH_ROWS]]
        if known and max(known) >= 2:
            return int(np.argmax(np.array(known) >= 2))
    head = nonempty[:_HEADER_SEARCH_ROWS]
    if len(head) == 0 or head.max() == 0:
        return 0
    return int(np.argmax(head >= max(1, min(3, 0.6 * head.max()))))


def _read_csv(data: bytes, name: str) -> RawTable:
    # Sniff on a decoded sample only: for a UTF-8 file pyarrow validates the rest
    # itself, which saves decoding a large file twice.
    text = None
    foreign = np.array([], dtype="int64")
    head = data[:_SAMPLE_BYTES]
    cut = head.rfind(b"\n")
    if len(data) > _SAMPLE_BYTES and cut > 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        sample_text, encoding, _ = _decode(head[:cut], name)
    else:
        text, encoding, foreign = _decode(data, name)
        sample_text = text[:_SAMPLE_BYTES]
    if not sample_text.strip():
        raise DealImportError("importer.empty_file", name=name)
    if encoding not in _UTF8 and text is None:
        text, encoding, foreign = _decode(data, name, whole=False)
    # Windows-1251 is read as bytes and decoded column by column (text is None): decoding the file and
    # encoding it again as UTF-8 costs more than reading it
    cp1251 = text is None and encoding.startswith("cp1251")
    sample = sample_text.splitlines()[:_SAMPLE_LINES]
    delim = _sniff_delimiter(sample)
    try:
        sample_rows = list(csv.reader(sample, delimiter=delim))
    except csv.Error as exc:
        raise DealImportError("importer.bad_csv", name=name, detail=str(exc)) from exc
    nonempty = np.array([sum(bool(f.strip()) for f in r) for r in sample_rows])
    header_at = _header_index(nonempty, sample_rows)
    _check_width(_header_width(data, text, header_at, delim), name)
    width = len(sample_rows[header_at]) if sample_rows else 0
    problems = [
        _problem(i + 1, "", ";".join(f for f in r if f.strip()), "warning", "importer.row.preamble")
        for i, r in enumerate(sample_rows[:header_at])
        if any(f.strip() for f in r)
    ]
    if text is None or encoding in _UTF8:
        raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    else:
        raw = text.encode("utf-8")
    grid = _fast_csv(raw, delim, width, header_at, cp1251) if width > 1 else None
    if grid is None and text is None:
        # Invalid UTF-8 past the sample, or a ragged file: decode it all and look again.
        text, encoding, foreign = _decode(data, name)
        if encoding not in _UTF8 and width > 1 and not cp1251:
            grid = _fast_csv(text.encode("utf-8"), delim, width, header_at)
    problems += [_problem(line, "", "", "repaired", "importer.row.cp1251_line") for line in foreign]
    if grid is not None:
        rows = np.arange(header_at + 1, header_at + 1 + len(grid))
    else:
        grid, rows, ragged = _tolerant_csv(text, delim, header_at, width, name)
        problems += ragged
    if encoding.startswith("cp1251") and b"\x98" in data:
        problems += _replaced_rows(grid, rows, sample_rows[header_at], header_at + 1)
    return _grid_to_table(grid, rows, name, encoding, problems, header_found=True)


def _replaced_rows(grid: pd.DataFrame, rows: np.ndarray, header: list[str], header_row: int) -> list[dict]:
    """A repaired row for each row (numbered as every problem) where a byte 0x98 was read as U+FFFD: in
    Windows-1251 only that byte, undefined there, becomes U+FFFD."""
    hit = np.zeros(len(grid), dtype=bool)
    for column in grid.columns:
        hit |= grid[column].astype("str").str.contains("\ufffd", regex=False).fillna(False).to_numpy(dtype=bool)
    found = ([header_row] if any("\ufffd" in h for h in header) else []) + rows[hit].tolist()
    return [_problem(row, "", "", "repaired", "importer.row.cp1251_undefined") for row in found]


def _fast_csv(raw: bytes, delim: str, width: int, header_at: int, cp1251: bool = False) -> pd.DataFrame | None:
    """All cells as text via pyarrow, or None when any row is not ``width`` fields wide.

    ``cp1251``: ``raw`` is Windows-1251, read as bytes and decoded column by column.
    """
    names = [f"c{i}" for i in range(width)]
    kind = pa.binary() if cp1251 else pa.large_string()
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            # Windows-1251 in smaller blocks: each is decoded on its own, and smaller passing buffers fault
            # fewer fresh pages in (measured: a fifth less system time)
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=header_at, block_size=1 << 22 if cp1251 else 1 << 24
            ),
            parse_options=pacsv.ParseOptions(delimiter=delim, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                # large_string is what pandas keeps text in: no conversion of the offsets afterwards
                column_types=dict.fromkeys(names, kind),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if cp1251:
        table = pa.table([_cp1251_text(column) for column in table.columns], names=names)
    grid = table.to_pandas()
    grid.columns = range(width)
    return grid


# Each Windows-1251 byte read as one UTF-8 continuation byte (0x80) when it becomes two or more bytes
# in UTF-8, and when it becomes three (0x98, undefined, reads U+FFFD as Python decodes it); else "A".
_CP1251_UTF8 = [bytes([b]).decode("cp1251", errors="replace").encode("utf-8") for b in range(256)]
_CP1251_MULTI = bytes(0x80 if len(u) > 1 else 0x41 for u in _CP1251_UTF8)
_CP1251_TRIPLE = bytes(0x80 if len(u) > 2 else 0x41 for u in _CP1251_UTF8)


def _cp1251_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column of Windows-1251 cells (binary, no nulls) as UTF-8 text, chunk by chunk."""
    return pa.chunked_array([_cp1251_chunk(chunk) for chunk in column.chunks], type=pa.large_string())


def _cp1251_chunk(chunk: pa.Array) -> pa.Array:
    """One chunk: its bytes decoded at once, each cell's end moved by the bytes its letters gained."""
    _, offset_buffer, data_buffer = chunk.buffers()
    data = data_buffer.to_pybytes() if len(chunk) and data_buffer is not None else b""
    if data.isascii():
        return chunk.cast(pa.large_string())  # ASCII reads the same in UTF-8
    starts, _ = next(_utf8_chunks(chunk))
    # Bytes gained per cell, counted by Arrow's character count: with each letter's byte made a UTF-8
    # continuation byte, a cell's bytes less its characters are its letters (a tenth of a numpy sum per cell).
    gained = _np(_continuations(chunk, offset_buffer, data.translate(_CP1251_MULTI)), 0)
    triple = data.translate(_CP1251_TRIPLE)
    if b"\x80" in triple:  # "№", "…", "€", quotes, dashes: two bytes gained
        gained = gained + _np(_continuations(chunk, offset_buffer, triple), 0)
    ends = np.empty(len(starts), dtype=np.int64)
    ends[0] = 0
    np.cumsum(gained, out=ends[1:])
    ends += starts - starts[0]
    text = data[starts[0] : starts[-1]].decode("cp1251", errors="replace").encode("utf-8")
    return pa.LargeStringArray.from_buffers(len(chunk), pa.py_buffer(ends), pa.py_buffer(text))


def _continuations(chunk: pa.Array, offsets: pa.Buffer, data: bytes) -> pa.Array:
    """Per cell of ``chunk`` (its offsets over ``data``, same length as its own): bytes that are UTF-8
    continuation bytes (0x80-0xBF)."""
    view = pa.StringArray.from_buffers(len(chunk), offsets, pa.py_buffer(data), offset=chunk.offset)
    return pc.subtract(pc.binary_length(view), pc.utf8_length(view))


def _tolerant_csv(text: str, delim: str, header_at: int, width: int, name: str):
    """The slow path for ragged files: Python's csv reader, rows padded or rejected.

    Short rows are padded with empty cells (a footer line then has one filled
    cell); a row with extra non-empty cells is rejected, since its cells no
    longer line up with the header.
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False))
    except csv.Error as exc:
        raise DealImportError("importer.bad_csv", name=name, detail=str(exc)) from exc
    records = records[header_at:]
    if not records:
        raise DealImportError("importer.empty_file", name=name)
    width = max(width, len(records[0]))
    if len(records) > 1 and not records[0][-1].strip():
        # unnamed cells end the header: its columns go on unnamed, as wide as the rows usually are
        width = max(width, Counter(len(r) for r in records[1:]).most_common(1)[0][0])
    problems = []
    cells = []
    for i, rec in enumerate(records):
        if len(rec) > width:
            if any(f.strip() for f in rec[width:]):
                problems.append(
                    _problem(header_at + i + 1, "", delim.join(rec), "rejected", "importer.row.too_many_fields")
                )
                rec = [""] * width
            else:
                rec = rec[:width]
        cells.append(rec + [""] * (width - len(rec)))
    grid = pd.DataFrame(cells, columns=range(width), dtype="str")
    return grid, np.arange(header_at + 1, header_at + 1 + len(grid)), problems


def _check_width(columns: int, name: str) -> None:
    """Refuse a table of more than :data:`MAX_COLUMNS` columns: each column costs work however few its rows."""
    if columns > MAX_COLUMNS:
        raise DealImportError("importer.too_many_columns", name=name, n=columns, limit=MAX_COLUMNS)


def _header_width(data: bytes, text: str | None, line: int, delim: str) -> int:
    """Cells of line ``line`` (0-based) of the file, counted by its delimiters before the file is parsed (a
    quoted delimiter counts too: a bound, for refusing a million-column file in milliseconds, not a parse)."""
    body, eol = (text, _LINE_END) if text is not None else (data, _LINE_END_BYTES)
    if text is None:
        delim = delim.encode()
    start = 0
    for _ in range(line):
        found = eol.search(body, start)
        if found is None:
            return 0
        start = found.end()
    found = eol.search(body, start)
    return body.count(delim, start, len(body) if found is None else found.start()) + 1


# a line ends as the sample's lines do (str.splitlines): "\r\n", "\n", or an old Mac's "\r" alone
_LINE_END = re.compile(r"\r\n?|\n")
_LINE_END_BYTES = re.compile(rb"\r\n?|\n")


def _grid_to_table(
    grid: pd.DataFrame, rows: np.ndarray, name: str, encoding: str, problems: list[dict], header_found: bool = False
) -> RawTable:
    """Split a grid into header and body; drop blank rows and unnamed empty columns.

    ``header_found`` means the grid starts at the header (the CSV reader found it already).
    """
    _check_width(grid.shape[1], name)
    filled = _filled(grid)
    if not filled.to_numpy().any():
        raise DealImportError("importer.empty_file", name=name)
    top = grid.iloc[:_HEADER_SEARCH_ROWS].to_numpy().tolist()
    header_at = 0 if header_found else _header_index(filled.sum(axis=1).to_numpy(), top)
    problems = problems + [
        _problem(
            int(rows[i]), "", " ".join(str(v) for v in grid.iloc[i][filled.iloc[i]]), "warning", "importer.row.preamble"
        )
        for i in range(header_at)
        if filled.iloc[i].any()
    ]
    header_cells = grid.iloc[header_at]
    body = grid.iloc[header_at + 1 :].reset_index(drop=True)
    body_filled = filled.iloc[header_at + 1 :].reset_index(drop=True)
    body_rows = rows[header_at + 1 :]
    headers = [_header_text(v) for v in header_cells]
    problems = problems + _invisible_in_headers(headers, int(rows[header_at]))
    headers = [strip_invisible(h).strip() for h in headers]
    # A trailing delimiter leaves a column with no name and no data; it is not a column.
    keep = [i for i, h in enumerate(headers) if h or body_filled.iloc[:, i].any()]
    headers = [headers[i] or f"column {i + 1}" for i in keep]
    body = body.iloc[:, keep]
    body_filled = body_filled.iloc[:, keep]
    body.columns = headers = _unique(headers)
    nonblank = body_filled.any(axis=1).to_numpy()
    if not nonblank.any():
        raise DealImportError("importer.no_data_rows", name=name)
    if not nonblank.all():  # a boolean take copies every cell: only when some row goes
        body = body.loc[nonblank]
    return RawTable(
        headers=headers,
        body=body.reset_index(drop=True),
        rows=np.asarray(body_rows, dtype="int64")[nonblank],
        header_row=int(rows[header_at]),
        problems=problems,
        encoding=encoding,
    )


def _filled(grid: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds something other than blanks."""
    out = in_threads({col: partial(_filled_cells, grid[col]) for col in grid.columns}, len(grid))
    return pd.DataFrame(out, index=grid.index)


def _filled_cells(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.StringDtype):  # text cells (CSV): told in Arrow without trimming a copy
        # utf8_is_space tests the characters utf8_trim_whitespace trims: all blanks <=> nothing left
        array = pa.array(s, from_pandas=True)
        blank = _np(pc.equal(pc.binary_length(array), 0), True)
        # a blank cell starts with a blank: only those few are tested whole
        spaced = starts_with_any(array, _BLANK_UTF8)
        if spaced.any():
            blank[spaced] = _np(pc.utf8_is_space(pc.filter(array, pa.array(spaced))), False)
        return pd.Series(~blank, index=s.index)
    if s.dtype == object:
        text = s.where(s.isna(), s.astype("str"))
        return text.notna() & (text.astype("str").str.strip() != "")
    return s.notna() & (s.astype("str").str.strip() != "")


PARALLEL_ROWS = 100_000  #: from this many rows on, a table's columns are worked on by two threads at once
_THREADS = 2


def in_threads(tasks: dict, rows: int) -> dict:
    """Each task's result (a call without arguments) by its key; tasks on a table of ``rows`` rows.

    A large table's columns are independent and their work is done in Arrow and numpy kernels, which
    release the GIL: from ``PARALLEL_ROWS`` rows on, two threads run the tasks. Each result is the
    one a serial run gives; the caller takes them in its own order.
    """
    if rows < PARALLEL_ROWS or len(tasks) < 2:
        return {key: task() for key, task in tasks.items()}
    with ThreadPoolExecutor(_THREADS) as pool:
        return dict(zip(tasks, pool.map(lambda task: task(), tasks.values()), strict=True))


def _header_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _invisible_in_headers(headers: list[str], row: int) -> list[dict]:
    """A repair for each column name holding bidi controls or zero-width characters: a right-to-left
    override turns «Этап» around on screen, and hides the name from the column matching."""
    return [
        _problem(row, clean, clean, "repaired", "importer.row.invisible_header")
        for h in headers
        if (clean := strip_invisible(h).strip()) != h
    ]


def _unique(headers: list[str]) -> list[str]:
    """Make duplicate names unique the way a user reads them: «Компания», «Компания (2)»."""
    seen: Counter = Counter()
    taken = set(headers)
    out = []
    for h in headers:
        seen[h] += 1
        if seen[h] == 1:
            out.append(h)
            continue
        k = seen[h]
        while f"{h} ({k})" in taken:
            k += 1
        out.append(f"{h} ({k})")
        taken.add(out[-1])
    return out


def _problem(row: int, column: str, value, action: str, reason: str) -> dict:
    return {
        "row": int(row),
        "column": column,
        "value": "" if value is None else str(value),
        "action": action,
        "reason": reason,
    }


# -------------------------------------------------------------------------- values


def _as_text(cells: pd.Series) -> pd.Series:
    """Cells as stripped text; missing stays missing."""
    if cells.dtype == object:
        cells = cells.where(cells.isna(), cells.astype("str"))
    text = cells.astype("str")
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        array = pa.array(text, from_pandas=True)
        if not starts_with_any(array, _BLANK_UTF8).any() and not _ends_blank(array):
            return text  # no cell starts or ends with a blank: no stripped copy of the column
    return text.str.strip()


# What Arrow's utf8_trim_whitespace and utf8_is_space take for blanks (Python's str.isspace, tested in tests).
_BLANKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
_BLANKS += "\u2028\u2029\u202f\u205f\u3000"
_BLANK_UTF8 = tuple(c.encode("utf-8") for c in _BLANKS)
# The last byte of each blank's UTF-8 and, for the multi-byte ones, the byte before it.
_BLANK_LAST = np.zeros(256, dtype=bool)
_BLANK_LAST[[b[-1] for b in _BLANK_UTF8]] = True
_BLANK_BEFORE_LAST = np.zeros(256, dtype=bool)
_BLANK_BEFORE_LAST[[b[-2] for b in _BLANK_UTF8 if len(b) > 1]] = True


def _ends_blank(array: pa.Array | pa.ChunkedArray) -> bool:
    """Whether some cell may end with a blank: its last byte ends one and, past ASCII, the byte before too
    (a Cyrillic letter's last byte may be a blank's, the byte before it never is)."""
    for offsets, data in _utf8_chunks(array):
        ends = offsets[1:]
        filled = np.flatnonzero(ends > offsets[:-1])
        last = data[ends[filled] - 1]
        near = filled[_BLANK_LAST[last]]
        if not len(near):
            continue
        last = data[ends[near] - 1]
        if (last < 0x80).any():
            return True
        wide = near[ends[near] - offsets[near] >= 2]
        if _BLANK_BEFORE_LAST[data[ends[wide] - 2]].any():
            return True
    return False


def _null_mask(text: pd.Series) -> pd.Series:
    # Only cells as short as the longest token can be one: lowering every id and name of a
    # million-row column costs more than the rest of the test (str.lower runs in pyarrow;
    # casefold would go cell by cell through Python).
    array = pa.array(text, from_pandas=True)
    out = _np(pc.or_kleene(pc.is_null(array), pc.equal(pc.binary_length(array), 0)), True)
    # A byte test of the cells' starts finds the few that could be a token; only those are measured and lowered.
    candidate = starts_with_any(array, _NULL_FIRST_UTF8)
    if candidate.any():
        sub = pc.filter(array, pa.array(candidate))
        maybe = pc.and_(
            pc.less_equal(pc.utf8_length(sub), _LONGEST_NULL_TOKEN),
            pc.is_in(pc.utf8_slice_codeunits(sub, 0, 1), _NULL_FIRST),
        )
        out[candidate] |= _np(pc.and_(maybe, pc.is_in(pc.utf8_lower(sub), _NULL_TOKENS)), False)
    return pd.Series(out, index=text.index)


_LONGEST_NULL_TOKEN = max(len(token) for token in NULL_TOKENS)
# First letters a cell must start with to lower to a null token ("" for the empty cell).
_NULL_TOKENS = pa.array(sorted(NULL_TOKENS))
_NULL_FIRST = pa.array(sorted({c for token in NULL_TOKENS for c in (token[:1], token[:1].upper(), token[:1].title())}))
_NULL_FIRST_UTF8 = tuple(c.encode("utf-8") for c in _NULL_FIRST.to_pylist() if c)


def _utf8_chunks(array: pa.Array | pa.ChunkedArray):
    """(offsets, data) of each chunk of a string array as numpy views (no copy); offsets index ``data``."""
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    for chunk in chunks:
        if len(chunk) == 0:
            continue
        wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
        _, offsets, data = chunk.buffers()
        offsets = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)
        offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
        yield offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8))


def starts_with_any(array: pa.Array | pa.ChunkedArray, prefixes: tuple[bytes, ...]) -> np.ndarray:
    """Where a string cell's UTF-8 bytes start with one of ``prefixes``; False for nulls.

    A gather of each cell's first byte, then of the next bytes of only the cells whose first byte
    begins some prefix: a fraction of the time of slicing out first letters in Arrow.
    """
    single = np.zeros(256, dtype=bool)
    single[[prefix[0] for prefix in prefixes if len(prefix) == 1]] = True
    longer: dict[tuple[int, int], list[int]] = {}  # (first byte, length) -> the rest of each prefix as an integer
    for prefix in prefixes:
        if len(prefix) > 1:
            longer.setdefault((prefix[0], len(prefix)), []).append(int.from_bytes(prefix[1:], "big"))
    table = single.copy()
    table[[lead for lead, _ in longer]] = True
    parts = []
    for offsets, data in _utf8_chunks(array):
        start = offsets[:-1]
        hit = np.zeros(len(start), dtype=bool)
        if len(data):
            first = data[np.minimum(start, len(data) - 1)]  # an empty cell's start may lie past the data
            near = np.flatnonzero(table[first])
            near = near[offsets[1:][near] > start[near]]
            first = first[near]
            hit[near[single[first]]] = True
            for (lead, size), rests in longer.items():
                found = near[first == lead]
                found = found[offsets[1:][found] - start[found] >= size]
                if size == 2:  # the second byte looked up in a table (np.isin sorts on every call)
                    second = np.zeros(256, dtype=bool)
                    second[rests] = True
                    hit[found[second[data[start[found] + 1]]]] = True
                    continue
                code = np.zeros(len(found), dtype=np.uint32)
                for i in range(1, size):
                    code = (code << 8) | data[start[found] + i]
                hit[found[np.isin(code, rests)]] = True
        parts.append(hit)
    out = np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
    if array.null_count:
        out &= ~_np(pc.is_null(array), True)
    return out


def contains_any(array: pa.Array | pa.ChunkedArray, chars: str) -> bool:
    """Whether any cell may hold one of ``chars`` (multi-byte in UTF-8): a byte scan of the buffers, so
    cheap; bytes outside a sliced array count too, so True only means "look closer"."""
    encoded = [c.encode("utf-8") for c in chars]
    for _, data in _utf8_chunks(array):
        for lead in {e[0] for e in encoded}:
            at = np.flatnonzero(data == lead)
            if not len(at):
                continue
            for e in encoded:
                if e[0] != lead:
                    continue
                ok = at + len(e) <= len(data)
                found = at[ok]
                for i in range(1, len(e)):
                    found = found[data[found + i] == e[i]]
                if len(found):
                    return True
    return False


def cell_text(cells: pd.Series) -> pd.Series:
    """Cells as stripped "str" values as a user reads them; missing stays missing.

    Excel stores every number as a float: a whole one shows as "12", not "12.0".
    """
    if cells.dtype == object:
        floats = cells.map(type) == float  # noqa: E721 - exactly float: bools and ints print fine
        if floats.any():
            as_int = pd.to_numeric(cells[floats], errors="coerce")
            whole = as_int.notna() & (as_int % 1 == 0) & (as_int.abs() < 2**53)
            cells = cells.copy()
            cells[floats & whole.reindex(cells.index, fill_value=False)] = as_int[whole].astype("int64").astype("str")
    return _as_text(cells)


def clean_text(cells: pd.Series) -> pd.Series:
    """:func:`cell_text`, with blanks and null tokens («не закрыта», "-") made missing."""
    text = cell_text(cells)
    null = _null_mask(text).to_numpy()
    return text_where(text, ~null) if null.any() else text


def text_where(text: pd.Series, keep, other: str | pd.Series | None = None) -> pd.Series:
    """``text.where(keep, other)`` (``other`` a string, text aligned with ``text``, or None for missing).

    On Arrow-backed text one Arrow kernel: pandas' masked write costs ten times as much on a
    million cells.
    """
    keep = np.asarray(keep, dtype=bool)
    if keep.all():
        return text.copy(deep=False)  # nothing to replace: no copy of a million cells
    arrow = isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow"
    if not arrow or (
        isinstance(other, pd.Series) and not (other.dtype == text.dtype and other.index.equals(text.index))
    ):
        return text.where(keep, np.nan if other is None else other)
    array = pa.array(text, from_pandas=True)
    if isinstance(other, pd.Series):
        fill = pa.array(other, from_pandas=True).cast(array.type)
    else:
        fill = pa.scalar(other, array.type)
    out = pc.if_else(pa.array(keep), array, fill)
    return pd.Series(text.dtype.__from_arrow__(out), index=text.index, name=text.name)


# RE2 patterns for pyarrow: RE2's \s is ASCII only, so the no-break spaces are listed.
_CURRENCY = r"(?i)(руб\.?|р\.|₽|\$|€|£|¥|₸|₴|usd|rub|eur|gbp|kzt|uah|byn)"
_SPACE_CHARS = r"[\s\x{00a0}\x{202f}\x{2009}\x{2007}']"


def _np(values: pa.Array, fill) -> np.ndarray:
    return pc.fill_null(values, fill).to_numpy(zero_copy_only=False)


# The non-ASCII characters that can start a match of _CURRENCY and the non-ASCII ones of _SPACE_CHARS.
_CURRENCY_CHARS = "рР₽€£¥₸₴"
_SPACE_CHARS_RARE = "\u202f\u2009\u2007"  # left for the regex once no-break spaces and spaces are gone
_SPACE_CHARS_WIDE = "\u00a0" + _SPACE_CHARS_RARE


def _bytes_present(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Which of the 256 byte values occur in the cells' UTF-8 (a superset for a sliced array)."""
    seen = np.zeros(256, dtype=bool)
    for _, data in _utf8_chunks(array):
        seen |= np.bincount(data, minlength=256) > 0
    return seen


def _replace_where_found(s: pa.Array, pattern: str, replacement: str) -> pa.Array:
    """``replace_substring_regex``, skipped when no cell has ``pattern`` (a match test is a fraction of a rewrite)."""
    if not pc.any(pc.match_substring_regex(s, pattern)).as_py():
        return s
    return pc.replace_substring_regex(s, pattern, replacement)


def _numbers_from_text(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse localized numbers; returns (values, had_percent_sign). Unreadable cells give NaN.

    The decimal separator is decided per cell where the cell shows it
    ("1.200.000,50", "1,200.50", "0,5") and per column where it is ambiguous
    ("1,200" is 1200 unless the column elsewhere uses a decimal comma). All
    string work runs in pyarrow compute kernels.
    """
    s = pa.array(text, type=pa.string(), from_pandas=True)
    # Which rewrites can apply is told from the bytes present (a byte count, not a regex per cell):
    # no letter, "$" or currency sign, no currency; no space, no group separators to take out.
    present = _bytes_present(s)
    letters = present[ord("A") : ord("Z") + 1].any() or present[ord("a") : ord("z") + 1].any()
    if letters or present[ord("$")] or contains_any(s, _CURRENCY_CHARS):
        s = _replace_where_found(s, _CURRENCY, "")
    if present[[ord(c) for c in " \t\n\x0c\r'"]].any() or contains_any(s, _SPACE_CHARS_WIDE):
        # the usual group separators by plain substring removal (a third of the regex's time), then any others
        if contains_any(s, "\u00a0"):
            s = pc.replace_substring(s, "\u00a0", "")
        if present[ord(" ")]:
            s = pc.replace_substring(s, " ", "")
        if present[[ord(c) for c in "\t\n\x0c\r'"]].any() or contains_any(s, _SPACE_CHARS_RARE):
            s = _replace_where_found(s, _SPACE_CHARS, "")
    sign = present[ord("-")] or present[ord("+")]
    if contains_any(s, "\u2212\u2013"):
        s = _replace_where_found(s, "[\u2212\u2013]", "-")
        sign = True
    percent = _np(pc.ends_with(s, "%"), False)
    if present[ord("%")]:
        s = pc.utf8_rtrim(s, characters="%")
    if present[ord("(")] and present[ord(")")]:
        paren = pc.and_(pc.starts_with(s, "("), pc.ends_with(s, ")"))
        s = pc.if_else(paren, pc.binary_join_element_wise("-", pc.utf8_slice_codeunits(s, 1, -1), ""), s)
        sign = True
    if sign:
        negative = _np(pc.starts_with(s, "-"), False)
        signed = pc.or_(pc.starts_with(s, "-"), pc.starts_with(s, "+"))
        body = pc.if_else(signed, pc.utf8_slice_codeunits(s, 1), s)
    else:  # no sign anywhere: nothing to take off
        negative, body = np.zeros(len(s), dtype=bool), s
    valid = _np(pc.match_substring_regex(body, r"^(\d[\d.,]*|[.,]\d+)$"), False)
    commas = _np(pc.count_substring(body, ","), 0)
    dots = _np(pc.count_substring(body, "."), 0)
    # position in the reversed bytes = digits after the last separator (a valid cell is ASCII: bytes are letters)
    reverse = pc.binary_reverse(body.cast(pa.binary()))
    after_comma = _np(pc.find_substring(reverse, ","), -1)
    after_dot = _np(pc.find_substring(reverse, "."), -1)
    has_comma, has_dot = commas > 0, dots > 0
    last_is_comma = has_comma & (~has_dot | (after_comma < after_dot))
    after = np.where(last_is_comma, after_comma, after_dot)
    both = has_comma & has_dot
    single = has_comma ^ has_dot
    once = single & (commas + dots == 1)
    # Cells that show their decimal separator decide the ambiguous ones ("1,200").
    shows = valid & (both | (once & (after != 3)))
    comma_seen = bool((shows & last_is_comma).any())
    dot_seen = bool((shows & ~last_is_comma).any())
    if comma_seen and not dot_seen:
        ambiguous_decimal = last_is_comma
    elif dot_seen and not comma_seen:
        ambiguous_decimal = ~last_is_comma
    else:
        ambiguous_decimal = np.zeros_like(last_is_comma)
    is_decimal = both | (once & ((after != 3) | ambiguous_decimal))
    grouped = single & (commas + dots > 1)
    if grouped.any():
        valid &= ~grouped | _np(pc.match_substring_regex(body, r"^\d{1,3}([.,]\d{3})+$"), False)
    # Three rewrites: decimal comma, decimal point, grouping only. A cell without separators reads the
    # same under each, so when the cells with separators all need one rewrite, only that one runs.
    comma_rows = is_decimal & last_is_comma
    dot_rows = is_decimal & ~last_is_comma
    grouping_rows = ~is_decimal & (has_comma | has_dot)
    rewrites = (
        (comma_rows, lambda: pc.replace_substring(_drop_dots(body, present), ",", ".")),
        (dot_rows, lambda: pc.replace_substring(body, ",", "")),
        (grouping_rows, lambda: pc.replace_substring_regex(body, "[.,]", "")),
    )
    needed = [rewrite for rows, rewrite in rewrites if rows.any()]
    if len(needed) <= 1:
        normalized = needed[0]() if needed else body
    else:
        normalized = pc.if_else(
            pa.array(comma_rows),
            rewrites[0][1](),
            pc.if_else(pa.array(is_decimal), rewrites[1][1](), rewrites[2][1]()),
        )
    if not valid.all():
        normalized = pc.if_else(pa.array(valid), normalized, pa.scalar(None, pa.string()))
    values = pd.Series(_cast_numbers(normalized), index=text.index)
    values = values.where(~negative, -values)
    return values.where(np.isfinite(values)), pd.Series(percent, index=text.index)


def _drop_dots(body: pa.Array, present: np.ndarray) -> pa.Array:
    """``body`` without its "." (group separators where the decimal is a comma); as is when no cell has one."""
    return pc.replace_substring(body, ".", "") if present[ord(".")] else body


# A plain number as pandas.to_numeric reads it: sign, digits with one optional point, exponent.
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def _cast_numbers(text: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """float64 of number strings (NaN for null), in Arrow: the same correctly rounded values as pandas."""
    try:
        return _np(pc.cast(text, pa.float64()), np.nan)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = pd.to_numeric(pd.Series(text.to_pandas(), dtype="object"), errors="coerce")
        return values.to_numpy(dtype="float64", na_value=np.nan)


def _plain_numbers(text: pd.Series) -> pd.Series:
    """``pandas.to_numeric(text, errors="coerce")`` for the plain numbers, NaN for everything else.

    Non-finite spellings ("inf", "nan") come out NaN rather than inf: either
    way the column is then read as localized text (see :func:`_numeric_cells`).
    """
    array = pa.array(text, type=pa.string(), from_pandas=True)
    plain = pc.match_substring_regex(array, _PLAIN_NUMBER)
    numbers = pc.if_else(plain, array, pa.scalar(None, pa.string()))
    return pd.Series(_cast_numbers(numbers), index=text.index)


_PROBE_CELLS = 1000


def _plain_start(text: pd.Series, probe: np.ndarray) -> bool:
    """Whether each of the first cells where ``probe`` holds is a plain number (the usual answer for a column
    of plain numbers; «1 200,50» in the first row spares testing a million cells that are read as text anyway)."""
    head = pa.array(text.iloc[: len(probe)], type=pa.string(), from_pandas=True)
    plain = _np(pc.match_substring_regex(head, _PLAIN_NUMBER), False)
    return bool(plain[probe].all())


def _numeric_cells(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(values, empty, bad, percent_sign) for a column of number-like cells."""
    if pd.api.types.is_numeric_dtype(cells) and not pd.api.types.is_bool_dtype(cells):
        values = cells.astype("float64")
        empty = values.isna()
        bad = ~empty & ~np.isfinite(values.fillna(0))
        return values.where(~bad), empty, bad, pd.Series(False, index=cells.index)
    native = pd.Series(np.nan, index=cells.index)
    if cells.dtype == object:
        is_num = cells.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
        native = pd.to_numeric(cells.where(is_num), errors="coerce").astype("float64")
    text = _as_text(cells)
    empty = _null_mask(text) & native.isna()
    percent = pd.Series(False, index=cells.index)
    if _plain_start(text, (~empty & native.isna()).to_numpy()[:_PROBE_CELLS]):
        plain = _plain_numbers(text_where(text, ~empty.to_numpy()))
        values = native.fillna(plain)
        todo = ~empty & (values.isna() | ~np.isfinite(values.fillna(0)))
    else:  # a cell that is not a plain number: the whole column is read as localized text below
        values, todo = native, ~empty
    if todo.any():
        # Some cells are not plain numbers: read the whole column as localized text,
        # so that its decimal separator is judged on all of its cells.
        parsed, percent = _numbers_from_text(text_where(text, (~empty & native.isna()).to_numpy()))
        values = native.fillna(parsed)
    bad = ~empty & values.isna()
    return values, empty, bad, percent


def parse_amounts(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Money amounts: «1 200 000,50 ₽», «$1,200.50», «1.200.000,50», plain numbers, Excel numbers.

    Returns
    -------
    values : Series of float64
        NaN for empty, unreadable and negative cells.
    bad : Series of bool
        The cell held something that is not a number.
    negative : Series of bool
        The cell held a negative number (left empty: amounts are >= 0).
    """
    values, _, bad, _ = _numeric_cells(cells)
    negative = values < 0
    return values.mask(negative), bad, negative


class Probabilities(NamedTuple):
    """What :func:`parse_probabilities` read from a column."""

    values: pd.Series  #: float64 share 0..1, NaN where empty, unreadable or off the column's scale
    bad: pd.Series  #: not a number, negative, or above 100
    off_scale: pd.Series  #: a number that does not fit the column's scale (5 among shares, 0.4 among percents)
    percent: bool  #: the column was read as percents


def parse_probabilities(cells: pd.Series) -> Probabilities:
    """Win probabilities as 0..1 from "40", "40%" or "0.4".

    The column's scale is decided by a vote, so that one stray value cannot
    rescale the others: a cell with "%" or a plain number above 1 (up to 100)
    votes for percents, a plain number strictly between 0 and 1 for shares;
    0 and 1 do not vote. Percents win a tie with at least one vote; a column
    of only 0 and 1 is shares.

    Each cell is then read on that scale. A cell with "%" is always a percent.
    A plain number that does not fit the column (5 in a column of shares:
    5 % or a typo for 0.5?; 0.4 in a column of percents) is left empty and
    marked ``off_scale``; a negative number, a number above 100 or text is
    ``bad``.

    Returns
    -------
    Probabilities
        ``values``, ``bad``, ``off_scale`` (Series aligned to ``cells``) and
        ``percent`` (the column's scale).
    """
    values, _, bad, sign = _numeric_cells(cells)
    plain = ~sign & values.notna()
    in_range = (values >= 0) & (values <= 100)
    percent_votes = int((sign & in_range).sum() + (plain & (values > 1) & (values <= 100)).sum())
    share_votes = int((plain & (values > 0) & (values < 1)).sum())
    percent = percent_votes > 0 and percent_votes >= share_votes
    invalid = values.notna() & ~in_range
    if percent:
        off_scale = plain & (values > 0) & (values < 1)
        shares = values / 100.0
    else:
        off_scale = plain & (values > 1) & (values <= 100)
        shares = values.where(plain, values / 100.0)
    return Probabilities(shares.mask(invalid | off_scale), bad | invalid, off_scale, percent)


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIALS = (20000, 80000)  # 1954..2119: serials outside are not dates of deals
# Tried in order on the cells ISO 8601 did not read; pyarrow's strptime, which needs the
# whole cell to match. A two-digit year read by "%Y" falls outside _DATE_RANGE and
# is then read by "%y".
_DOT_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y", "%d.%m.%y %H:%M", "%d.%m.%y %H:%M:%S")
_SLASH_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")


def parse_dates(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from DD.MM.YYYY[ HH:MM[:SS]] (or a two-digit year), ISO 8601, M/D/YYYY (D/M/YYYY when a day > 12
    shows it), Excel serial numbers and native datetimes.

    Returns
    -------
    values : Series of datetime64[ns]
        NaT for empty and unreadable cells. A time zone or UTC offset is
        dropped without converting: the clock time as written in the export
        stays (``2024-03-31T23:30:00+03:00`` is 23:30 on 31 March, not 20:30
        UTC), because a CRM exports in its account's time zone and a close
        must not move into another day or month.
    bad : Series of bool
        The cell held something that is not a date.
    """
    out = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(cells):
        values = cells.dt.tz_localize(None) if getattr(cells.dt, "tz", None) else cells
        return values.astype("datetime64[ns]"), pd.Series(False, index=cells.index)
    text = _as_text(cells)
    empty = _null_mask(text).fillna(True)
    todo = ~empty
    if cells.dtype == object:
        native = cells.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "timetuple"))
        if native.any():
            # wall-clock time as exported: the offset is dropped, not applied
            wall = cells[native].map(lambda v: v.replace(tzinfo=None) if getattr(v, "tzinfo", None) else v)
            out[native] = _to_datetime(wall, format=None)
        numeric = cells.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
        if (numeric & todo).any():
            out[numeric & todo] = _serials(pd.to_numeric(cells[numeric & todo], errors="coerce"))
        todo &= ~native & ~numeric
    if todo.any():
        sub = text if todo.all() else _text_at(text, todo.to_numpy())  # skipped when all stay
        parsed = _whole_iso(sub)
        if parsed is None:
            parsed = _whole_day_first(sub)
        if parsed is not None:
            out = _put(out, todo, parsed)
            return out, ~empty & out.isna()
        # ISO 8601 first (the canonical format), on the cells that start like it: pandas'
        # ISO parser is fast on ISO text but slow to fail on anything else.
        # The plain ISO forms are told first: when every cell is one, the looser test is not run.
        # Both need four digits and a dash: the cells without that dash are neither (a byte test).
        dashed = _byte_at(pa.array(sub, type=pa.string(), from_pandas=True), 4) == ord("-")
        plain = pd.Series(False, index=sub.index)
        iso = plain.copy()
        if dashed.any():
            plain[dashed] = sub[dashed].str.fullmatch(_ISO_PLAIN).fillna(False)
            iso = plain.copy()
            loose = dashed & ~plain.to_numpy()
            if loose.any():
                iso[loose] = sub[loose].str.match(r"\d{4}-\d{1,2}-\d{1,2}").fillna(False)
        parsed = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[ns]")
        if iso.all():
            parsed = _iso_dates(sub, plain)
        elif iso.any():
            parsed[iso] = _iso_dates(sub[iso], plain[iso])
        for fmt in _DOT_FORMATS:
            parsed = _fill_strptime(parsed, sub, fmt)
        if parsed.isna().any():
            first = sub[parsed.isna()].str.extract(r"^(\d{1,2})/\d{1,2}/\d{4}", expand=False)
            if first.notna().any():
                # Month first (US) unless some cell shows a day above 12.
                order = "%d/%m/%Y" if (pd.to_numeric(first, errors="coerce") > 12).any() else "%m/%d/%Y"
                for suffix in _SLASH_TIMES:
                    parsed = _fill_strptime(parsed, sub, order + suffix)
        unread = parsed.isna()
        if unread.any():
            serial = pd.Series(False, index=sub.index)
            serial[unread] = sub[unread].str.fullmatch(r"\d{5}(\.\d+)?").fillna(False)
            if serial.any():
                parsed[serial] = _serials(pd.to_numeric(sub[serial], errors="coerce"))
        out = _put(out, todo, parsed)
    return out, ~empty & out.isna()


def _text_at(text: pd.Series, where: np.ndarray) -> pd.Series:
    """The cells of ``text`` where ``where`` holds, in order, numbered from 0: an Arrow filter, without the
    index pandas' boolean take builds and every later step would align on."""
    kept = pc.filter(pa.array(text, type=pa.string(), from_pandas=True), pa.array(where))
    return pd.Series(kept, dtype=text.dtype)


def _put(out: pd.Series, where: pd.Series, values: pd.Series) -> pd.Series:
    """``out`` with ``values`` (one per place where ``where`` holds, in order) set there, by position."""
    where = np.asarray(where, dtype=bool)
    if where.all():
        return pd.Series(values.to_numpy(), index=out.index, dtype=out.dtype)
    data = out.to_numpy(copy=True)
    data[where] = values.to_numpy()
    return pd.Series(data, index=out.index, dtype=out.dtype)


def _byte_at(array: pa.Array | pa.ChunkedArray, i: int) -> np.ndarray:
    """Each cell's UTF-8 byte ``i`` (0 past its end or for a null): a numpy gather, no string kernel."""
    parts = []
    for offsets, data in _utf8_chunks(array):
        at = offsets[:-1] + i
        inside = at < offsets[1:]
        parts.append(np.where(inside, data[np.clip(at, 0, max(len(data) - 1, 0))] if len(data) else 0, 0))
    out = np.concatenate(parts).astype(np.uint8) if parts else np.zeros(0, dtype=np.uint8)
    if array.null_count:
        out[_np(pc.is_null(array), True)] = 0
    return out


def _whole_iso(text: pd.Series) -> pd.Series | None:
    """Every cell read as ISO 8601 "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (or with a "T") by one Arrow cast,
    or None when any cell is not one (the cast refuses the whole column: 31 February, 24:00, an offset).

    The canonical format: the cast is a tenth of the regex test and strptime it spares, and reads each
    such cell as the general path does.
    """
    array = pa.array(text, type=pa.string(), from_pandas=True)
    if array.null_count or not len(array):
        return None
    length = _np(pc.binary_length(array), 0)
    if not np.isin(length, (10, 19)).all() or not (_byte_at(array, 4) == ord("-")).all():
        return None
    try:
        values = pc.cast(array, pa.timestamp("s"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return _in_date_range(values, text.index)


def _in_date_range(values: pa.Array, index: pd.Index) -> pd.Series:
    """Arrow timestamps as a Series on ``index``, those outside the accepted date range as NaT."""
    seconds = values.to_numpy(zero_copy_only=False).astype("datetime64[s]")
    low, high = (np.datetime64(d.tz_localize(None), "s") for d in _DATE_RANGE)
    seconds[(seconds < low) | (seconds >= high)] = np.datetime64("NaT")
    return pd.Series(seconds.astype("datetime64[ns]"), index=index)


_DAY_FIRST_WIDTHS = (10, 16, 19)  # DD.MM.YYYY, DD.MM.YYYY HH:MM, DD.MM.YYYY HH:MM:SS
_ISO_ORDER = np.array([6, 7, 8, 9, 2, 3, 4, 5, 0, 1, *range(10, 19)])  # DD.MM.YYYY ... -> YYYY.MM.DD ...


def _whole_day_first(text: pd.Series) -> pd.Series | None:
    """Every cell "DD.MM.YYYY", "DD.MM.YYYY HH:MM" or "DD.MM.YYYY HH:MM:SS", all of one width (amoCRM, 1C),
    read by one Arrow cast of their bytes rearranged into ISO 8601; None when any cell is not such a date
    (the cast refuses the whole column: 31.02, 24:00, a letter), and the general path reads the column.

    A tenth of strptime and its roll-over check, and it reads each such cell as they do.
    """
    array = pa.array(text, type=pa.string(), from_pandas=True)
    if array.null_count or not len(array):
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    offsets, data = next(_utf8_chunks(array))
    width = int(offsets[1] - offsets[0])
    if width not in _DAY_FIRST_WIDTHS or not (np.diff(offsets) == width).all():
        return None
    cells = data[offsets[0] : offsets[-1]].reshape(-1, width)
    marks = [2, 5, 10, 13, 16][: {10: 2, 16: 4, 19: 5}[width]]
    if not (cells[:, marks] == np.frombuffer(b".. ::", dtype=np.uint8)[: len(marks)]).all():
        return None
    # one gather of the columns in ISO order (the separators after the year and month become dashes);
    # np.take keeps rows contiguous, as the Arrow buffer needs (a fancy index would lay it out by column)
    iso = np.take(cells, _ISO_ORDER[:width], axis=1)
    if width == 16:
        iso = np.concatenate([iso, np.broadcast_to(np.frombuffer(b":00", dtype=np.uint8), (len(iso), 3))], axis=1)
    iso[:, [4, 7]] = ord("-")
    step = iso.shape[1]
    starts = np.arange(0, (len(cells) + 1) * step, step, dtype=np.int64)
    rearranged = pa.LargeStringArray.from_buffers(len(cells), pa.py_buffer(starts), pa.py_buffer(iso))
    try:
        values = pc.cast(rearranged, pa.timestamp("s"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return _in_date_range(values, text.index)


# A UTC offset or zone after an ISO date-time; only after a time, so a date's "-01" stays. RE2 for
# pyarrow; the space class is Python's (str.isspace), which RE2's ASCII \s is not.
_SPACE = r"[\s\x0b\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_ISO_OFFSET = (
    r"^(\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)"
    + _SPACE
    + r"*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
)
_ZONE_END = r"(Z|UTC|GMT|[+-]\d{2}(:?\d{2})?)$"
# The common ISO forms, read by pyarrow's strptime (ten times pandas' speed on them); the rest by pandas.
_ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
_ISO_PLAIN = r"\d{4}-\d{2}-\d{2}( ([01]\d|2[0-3]):[0-5]\d:[0-5]\d)?"
# The day and month as written, to catch strptime rolling 31.02 over into March.
_DAY_MONTH = {
    "%Y-%m-%d": (r"^\d{4}-(?P<b>\d{1,2})-(?P<a>\d{1,2})", "a", "b"),
    "%d": (r"^(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./]", "a", "b"),
    "%m": (r"^(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./]", "b", "a"),
}
# Seconds written as 60 or 61: the last number after a colon (":%S" ends the time, before an AM/PM);
# strptime skips blanks before a number
_LEAP_SECOND = r":\s*6[01]\D*$"


def _iso_dates(text: pd.Series, plain: pd.Series | None = None) -> pd.Series:
    """ISO 8601 cells as wall-clock datetimes (the offset or zone dropped, not applied); NaT if unreadable.

    ``plain``: where the cell is one of the plain forms (``_ISO_PLAIN``), if already known.
    """
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    # strptime only where the cell is exactly such a form, with hours and seconds in range
    # (pandas refuses 24:00 and :60, strptime would roll them over)
    if plain is None:
        plain = text.str.fullmatch(_ISO_PLAIN).fillna(False)
    plain_text = text if plain.all() else text.where(plain)
    for fmt in _ISO_FORMATS:
        parsed = _fill_strptime(parsed, plain_text, fmt)
    rest = parsed.isna()
    if rest.any():
        array = pa.array(text[rest], type=pa.string(), from_pandas=True)
        zoned = pc.match_substring_regex(array, _ZONE_END)
        array = pc.if_else(zoned, pc.replace_substring_regex(array, _ISO_OFFSET, r"\1"), array)
        wall = pd.Series(array.to_numpy(zero_copy_only=False), index=text.index[rest.to_numpy()], dtype="str")
        parsed[rest] = _to_datetime(wall, format="ISO8601")
    return parsed


# Dates outside this range are typos or placeholders, not dates of deals.
_DATE_RANGE = (pd.Timestamp("1900-01-01", tz="UTC"), pd.Timestamp("2200-01-01", tz="UTC"))


def _to_datetime(values: pd.Series, format: str | None) -> pd.Series:
    """pandas' parser for ISO text and native datetime objects; out-of-range dates become NaT."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": each cell is then parsed alone
        try:
            parsed = pd.to_datetime(values, format=format, errors="coerce", utc=True)
        except (ValueError, TypeError, OverflowError):
            parsed = pd.to_datetime(values.astype("str"), format="mixed", errors="coerce", utc=True)
    parsed = parsed.where((parsed >= _DATE_RANGE[0]) & (parsed < _DATE_RANGE[1]))
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


def _fill_strptime(parsed: pd.Series, text: pd.Series, fmt: str) -> pd.Series:
    """``parsed`` with its missing values read from ``text`` by ``fmt`` where they match."""
    todo = parsed.isna().to_numpy()
    if not todo.any():
        return parsed
    cells = pa.array(text, type=pa.string(), from_pandas=True)
    if not todo.all():
        cells = pc.filter(cells, pa.array(todo))
    values = pc.strptime(cells, format=fmt, unit="s", error_is_null=True)
    seconds = values.to_numpy(zero_copy_only=False).astype("datetime64[s]")
    seconds[_rolled_over(cells, values, fmt)] = np.datetime64("NaT")
    low, high = (np.datetime64(d.tz_localize(None), "s") for d in _DATE_RANGE)
    seconds[(seconds < low) | (seconds >= high)] = np.datetime64("NaT")  # before casting: years 1..1677 overflow ns
    return _put(parsed, todo, pd.Series(seconds.astype("datetime64[ns]")))


def _rolled_over(cells: pa.Array, values: pa.Array, fmt: str) -> np.ndarray:
    """Where strptime read an impossible date or time (31.02.2024, 2024-04-31, 10:00:60) as a later one: the
    day, month or second it gives is not the one written."""
    out = np.zeros(len(cells), dtype=bool)
    key = next((k for k in _DAY_MONTH if fmt.startswith(k)), None)
    # A date rolls over by at most three days (31 February is 2 or 3 March): only early days can be one.
    early = _np(pc.less_equal(pc.day(values), 3), False)
    if key is not None and early.any():
        pattern, day_field, month_field = _DAY_MONTH[key]
        where = pa.array(early)
        fields = pc.extract_regex(pc.filter(cells, where), pattern)
        day = pc.cast(pc.struct_field(fields, day_field), pa.int64())
        month = pc.cast(pc.struct_field(fields, month_field), pa.int64())
        read = pc.filter(values, where)
        out[early] = _np(pc.or_(pc.not_equal(pc.day(read), day), pc.not_equal(pc.month(read), month)), False)
    if "%S" not in fmt:
        return out
    # "%S" takes the leap seconds 60 and 61 and rolls them into the next minute: second 0 or 1 read
    turned = _np(pc.less_equal(pc.second(values), 1), False) & ~out
    if turned.any():
        out[turned] = _np(pc.match_substring_regex(pc.filter(cells, pa.array(turned)), _LEAP_SECOND), False)
    return out


def _serials(numbers: pd.Series) -> pd.Series:
    ok = numbers.between(*_EXCEL_SERIALS)
    days = numbers.where(ok)
    return (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]")
