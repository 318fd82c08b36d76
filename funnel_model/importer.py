"""CRM deal exports into the canonical deal table.

:func:`read_deals` reads amoCRM, Bitrix24, HubSpot, Pipedrive, Salesforce and
Odoo exports (and the canonical format itself) from CSV in any common dialect
and encoding, XLSX, an HTML table saved as ".xls", or Parquet, each also
packed as gzip or in a zip (unpacked within a bounded size, see
:data:`funnel_model.parsing.MAX_UNPACKED_BYTES`); it maps the columns,
parses the values, derives the status and infers the funnel config
(:func:`funnel_model.inference.infer_config`, re-exported here).

Nothing is dropped silently: every data row of the file is either a deal or a
"rejected" row of ``DealImport.problems``, so ``len(deals) + rejected ==``
the number of non-blank rows under the header. Cells that cannot be read are
left empty and listed as "repaired"; notes about the file as a whole are
"warning" rows.

Dates keep the clock time written in the export: a UTC offset or zone on a
date-time is dropped without converting (a close at 00:30 Moscow time on
1 April stays in April), see :func:`funnel_model.parsing.parse_dates`.

Encodings: UTF-8 (with or without BOM), UTF-16, Windows-1251; a UTF-8 file
with some Windows-1251 lines has those lines read as Windows-1251 and listed
as "repaired"; KOI8-R, DOS 866, ISO 8859-5 and Mac Cyrillic are recognised
by their letter frequencies and noted with a "warning".

Duplicate deal ids: a row that repeats an earlier row exactly (every source
cell equal) is "rejected" as a duplicate; a row that reuses an id with other
data is kept and gets the id with the first suffix ("-2", "-3", ...) that no
other row uses, "repaired"; deal ids always end unique.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from funnel_model.config import DEFAULT_FUNNEL, FunnelConfig
from funnel_model.errors import DealImportError
from funnel_model.formatting import currency_of
from funnel_model.i18n import catalog, t
from funnel_model.inference import infer_config, normalize_cells, status_from_stage
from funnel_model.parsing import (
    MIXED_ENCODING,
    RawTable,
    cell_text,
    clean_text,
    contains_any,
    import_allocator,
    in_threads,
    load_source,
    parse_amounts,
    parse_dates,
    parse_probabilities,
    read_table,
    text_where,
)
from funnel_model.schema import DEAL_COLUMN_NAMES, HISTORY_COLUMNS, LOST, OPEN, WON, conform
from funnel_model.templates import (
    HEADER_ALIASES,
    HISTORY_ALIASES,
    LOST_TIME_HEADERS,
    STATUS_VALUES,
    normalize_name,
)
from funnel_model.text import INVISIBLE, strip_invisible

__all__ = [
    "MAX_AMOUNT",
    "PROBLEM_COLUMNS",
    "DealImport",
    "detect_mapping",
    "infer_config",
    "problems_report",
    "read_deals",
    "read_stage_history",
]

PROBLEM_COLUMNS = ("row", "column", "value", "action", "reason")
# Above this an "amount" is an account or phone number in the wrong column, and a million of them
# would overflow the int64 sums the pages show (9.2e18).
MAX_AMOUNT = 1e12
_TEXT_COLUMNS = ("client_id", "funnel", "segment", "owner", "product", "source", "lost_reason", "lost_stage")
_DATE_COLUMNS = ("created_at", "closed_at", "expected_close_at")
# Encodings read without any guess; a mixed file's lines are listed one by one instead.
_PLAIN_ENCODINGS = ("", "utf-8", "utf-8-sig", "utf-16", "cp1251", MIXED_ENCODING)
# Windows-1251 reading of text in another encoding: a lowercase letter before a capital
# inside a word (KOI8-R «Этап» reads «ьФБР») or the rare letters and signs of 0x80-0xBF.
_GARBLED = re.compile(r"[а-яё][А-ЯЁ]|[\u0402-\u040f\u0452-\u045f\u0490\u0491\u00a4\u00a6\u00b5\u00b6]")
_SEGMENT_VALUES = {
    **dict.fromkeys(("new", "новый", "новые", "новая", "привлечение"), "new"),
    **dict.fromkeys(("active", "активный", "активные", "действующий", "удержание"), "active"),
    **dict.fromkeys(("dormant", "спящий", "спящие", "неактивный", "реактивация"), "dormant"),
}


@dataclass
class DealImport:
    """The result of :func:`read_deals`.

    Attributes
    ----------
    deals : DataFrame
        Canonical table (:func:`funnel_model.schema.conform`); unknown source
        columns follow the canonical ones under their source header names.
    problems : DataFrame
        One row per rejected, repaired or noted row: ``row`` (as numbered in a
        spreadsheet, header = 1), ``column`` (source header or ""), ``value``,
        ``action`` ("rejected", "repaired", "warning"), ``reason`` (message key;
        see :func:`problems_report` for the text).
    mapping : dict
        Canonical column -> source header actually used.
    config : FunnelConfig
        Funnel config inferred from the deals (:func:`infer_config`).
    source_columns : list of str
        Headers as found in the file (stripped, duplicates made unique).
    currency : str
        The currency sign the amount cells carry most often («1 500 ₽», "$1,500", "€ 1.500,00"); "" when none.
    """

    deals: pd.DataFrame
    problems: pd.DataFrame
    mapping: dict[str, str]
    config: FunnelConfig
    source_columns: list[str]
    currency: str = ""


# ------------------------------------------------------------------------- mapping


def _match(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    norm = {h: normalize_name(h).rstrip(":*").strip() for h in headers}
    out: dict[str, str] = {}
    used: set[str] = set()
    for canonical, names in aliases.items():
        for alias in names:
            hit = next((h for h in headers if norm[h] == alias and h not in used), None)
            if hit is not None:
                out[canonical] = hit
                used.add(hit)
                break
    return out


def detect_mapping(headers: list[str]) -> dict[str, str]:
    """Canonical column -> source header, from known CRM header names.

    Parameters
    ----------
    headers : list of str
        The file's headers (``DealImport.source_columns``).

    Returns
    -------
    dict
        Only the columns that were recognised; each header maps at most once.
    """
    return _match(list(headers), HEADER_ALIASES)


def _merge_mapping(auto: dict[str, str], user: dict[str, str] | None, headers: list[str], name: str) -> dict[str, str]:
    final = dict(auto)
    for canonical, header in (user or {}).items():
        if canonical not in DEAL_COLUMN_NAMES:
            raise DealImportError(
                "importer.mapping_unknown_field", canonical=canonical, fields=", ".join(DEAL_COLUMN_NAMES)
            )
        if header is None or header == "" or (isinstance(header, float) and np.isnan(header)):
            final.pop(canonical, None)
            continue
        if header not in headers:
            raise DealImportError(
                "importer.mapping_unknown_header",
                name=name,
                canonical=canonical,
                header=header,
                columns=_listed(headers),
            )
        # The user's choice takes the header away from whatever auto-detection gave it to.
        for other, h in list(final.items()):
            if h == header and other != canonical and other not in (user or {}):
                del final[other]
        final[canonical] = header
    return {c: final[c] for c in DEAL_COLUMN_NAMES if c in final}


# -------------------------------------------------------------------------- problems


def _problems(rows, column: str, values, action: str, reason: str) -> pd.DataFrame:
    rows = np.asarray(rows, dtype="int64")
    values = pd.Series(values, dtype="object").fillna("").astype("str").to_numpy() if len(rows) else []
    return pd.DataFrame(
        {"row": rows, "column": column, "value": values, "action": action, "reason": reason},
        columns=list(PROBLEM_COLUMNS),
    )


def _finish_problems(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in PROBLEM_COLUMNS})
    out = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
    return out.astype({"row": "int64", "column": "str", "value": "str", "action": "str", "reason": "str"})


def _cell_text(cells: pd.Series, where: pd.Series | None = None) -> pd.Series:
    """Cells as the user wrote them (stripped), "" for empty: problem values and kept columns.

    ``where``: only these cells (a problem's few rows, not a million cells written out and dropped).
    """
    text = cell_text(cells if where is None else cells[where])
    return text_where(text, text.notna().to_numpy(), "")


# ------------------------------------------------------------------------ read_deals


_LISTED_COLUMNS = 40  # a message names this many columns at most: a wide file's list would fill the page


def _listed(headers) -> str:
    """The columns a message names: all of a usual file's, the first of a wide one's and how many there are."""
    headers = list(headers)
    if len(headers) <= _LISTED_COLUMNS:
        return ", ".join(headers)
    return ", ".join(headers[:_LISTED_COLUMNS]) + f", … ({len(headers)})"


def read_deals(source, mapping: dict[str, str] | None = None, *, name: str | None = None) -> DealImport:
    """Read a CRM deal export into the canonical deal table.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        The export (CSV, XLSX, or an HTML table saved as ".xls"); the format is
        sniffed from the content.
    mapping : dict, optional
        Canonical column -> source header, merged over the detected mapping; a
        value of None or "" unmaps that column.
    name : str, optional
        File name for messages (defaults to the path's name or "upload").

    Returns
    -------
    DealImport

    Raises
    ------
    DealImportError
        When the file cannot be read as a table of deals at all (empty, binary,
        unknown encoding, no stage column, a mapping naming a missing header).
    """
    with import_allocator():
        return _read_deals(source, mapping, name)


def _read_deals(source, mapping: dict[str, str] | None, name: str | None) -> DealImport:
    data, name = load_source(source, name)
    raw = read_table(data, name)
    used = _merge_mapping(detect_mapping(raw.headers), mapping, raw.headers, name)
    if "stage" not in used and "status" in used and "status" not in (mapping or {}):
        used = _status_as_stage(raw, used)
    if "stage" not in used:
        if (raw.encoding.startswith("cp1251") or raw.encoding == MIXED_ENCODING) and any(
            _GARBLED.search(h) for h in raw.headers
        ):
            # a short file in another 8-bit encoding: its headers are the evidence
            raise DealImportError("importer.encoding_garbled", name=name, columns=_listed(raw.headers))
        raise DealImportError("importer.no_stage_column", name=name, columns=_listed(raw.headers))
    deals, problems = _build_deals(raw, used)
    return DealImport(
        deals=deals,
        problems=problems,
        mapping=used,
        config=infer_config(deals),
        source_columns=list(raw.headers),
        currency=_amount_currency(raw.body[used["amount"]]) if "amount" in used else "",
    )


CURRENCY_SAMPLE = 2_000  # amount cells looked at for a sign: an export writes one currency throughout


def _amount_currency(cells: pd.Series) -> str:
    """The sign the amount cells carry most often (the numbers were read without it); "" for bare numbers."""
    if pd.api.types.is_numeric_dtype(cells):
        return ""
    return currency_of(cells.iloc[:CURRENCY_SAMPLE], by_language=False)  # «1 500 тыс.» names no currency


def _encoding_notes(raw: RawTable) -> list[pd.DataFrame]:
    """A warning when the file's encoding is not what it claims or not a common one."""
    if raw.encoding == "cp1251 (BOM)":
        return [_problems([raw.header_row], "", [""], "warning", "importer.encoding_mismatch")]
    if raw.encoding not in _PLAIN_ENCODINGS:
        return [_problems([raw.header_row], "", [raw.encoding], "warning", "importer.encoding_guessed")]
    return []


def _status_as_stage(raw: RawTable, used: dict[str, str]) -> dict[str, str]:
    """amoCRM calls its stages «статусы»: a «Статус» column holding stage names is the stage."""
    values = clean_text(raw.body[used["status"]]).dropna()
    known = normalize_cells(values).isin(list(STATUS_VALUES)).mean() if len(values) else 1.0
    if known >= 0.5:
        return used
    used = {**used, "stage": used["status"]}
    del used["status"]
    return {c: used[c] for c in DEAL_COLUMN_NAMES if c in used}


def _map_names(text: pd.Series, mapping: dict[str, str], keep_unknown: bool = False) -> pd.Series:
    """``normalize_cells(text).map(mapping)``, looked up once per distinct cell.

    ``keep_unknown``: a cell that maps to nothing keeps its text (``.fillna(text)``, decided per
    distinct cell rather than by a fill over every row).
    """
    codes, uniques = pd.factorize(text)
    names = pd.Series([normalize_name(u) for u in uniques] + [None], dtype="object").map(mapping)
    if keep_unknown:
        names = names.fillna(pd.Series([*uniques, None], dtype="object"))
    return pd.Series(names.to_numpy()[codes], index=text.index, dtype=names.dtype)


def _build_deals(raw: RawTable, used: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    body, rows = raw.body, raw.rows
    parts = [pd.DataFrame(raw.problems, columns=list(PROBLEM_COLUMNS))]
    parts.extend(_encoding_notes(raw))

    # Status: an explicit status column, else the terminal stage names.
    first = {"stage": partial(_visible_text, body[used["stage"]], rows, used["stage"])}
    if "status" in used:
        first["status"] = partial(_status_text, body[used["status"]])
    if "deal_id" in used:
        first["deal_id"] = partial(clean_text, body[used["deal_id"]])
    first = in_threads(first, len(body))
    stage, found = first["stage"]
    parts.extend(found)
    stage_status = status_from_stage(stage)
    explicit = status_text = None  # without a status column the stage names alone say it
    if "status" in used:
        status_text, explicit = first["status"]

    # Rejected rows: nothing says where the deal is.
    no_stage = stage.isna()
    if explicit is not None:
        no_stage &= ~explicit.isin([WON, LOST])
    if no_stage.any():
        parts.append(_reject_stageless(body, rows, no_stage, used["stage"]))
    keep = ~no_stage.to_numpy()

    # Deal ids, then duplicates among the kept rows.
    if "deal_id" in used:
        ids = first["deal_id"]
        missing = ids.isna().to_numpy() & keep
        if missing.any():
            parts.append(
                _problems(
                    rows[missing], used["deal_id"], [""] * int(missing.sum()), "repaired", "importer.row.missing_id"
                )
            )
    else:
        ids = pd.Series(np.nan, index=body.index, dtype="object")
        parts.append(_problems([raw.header_row], "", [""], "warning", "importer.no_deal_id"))
    if ids.isna().any():  # spelling out a "row-N" for every row costs more than the rest of the id work
        ids = ids.fillna(pd.Series("row-" + pd.Series(rows, index=body.index).astype("str"), index=body.index))
    ids = ids.astype("str")
    keep, ids = _deduplicate(body, rows, ids, keep, used.get("deal_id", ""), parts)

    if not keep.all():  # filtering copies every column: skip it for a clean file
        body = body.loc[keep].reset_index(drop=True)
        rows = rows[keep]
        ids, stage = ids[keep].reset_index(drop=True), stage[keep].reset_index(drop=True)
        stage_status = stage_status[keep].reset_index(drop=True)
        if explicit is not None:
            explicit = explicit[keep].reset_index(drop=True)
    out: dict[str, pd.Series] = {"deal_id": ids}
    lost_time = _lost_time_header(raw.headers, used) if "closed_at" in used else None
    parsed = _parse_columns(body, rows, used, lost_time)

    for col in _TEXT_COLUMNS:
        if col in used:
            out[col], found = parsed[col]
            parts.extend(found)
    if "segment" in out:
        seg = out["segment"]
        out["segment"] = _map_names(seg, _SEGMENT_VALUES, keep_unknown=True)
    funnel = out.get("funnel", pd.Series(np.nan, index=body.index, dtype="object"))
    out["funnel"] = text_where(funnel, funnel.notna().to_numpy(), DEFAULT_FUNNEL)

    if "amount" in used:
        h = used["amount"]
        values, bad, negative = parsed["amount"]
        out["amount"] = values
        for mask, reason in ((bad, "importer.row.bad_amount"), (negative, "importer.row.negative_amount")):
            parts.append(_problems(rows[mask.to_numpy()], h, _cell_text(body[h], mask), "repaired", reason))
        absurd = values.abs() > MAX_AMOUNT
        if absurd.any():
            out["amount"] = values.mask(absurd)
            absurd_text = _cell_text(body[h], absurd)
            parts.append(_problems(rows[absurd.to_numpy()], h, absurd_text, "repaired", "importer.row.absurd_amount"))
    for col in _DATE_COLUMNS:
        if col in used:
            h = used[col]
            values, bad = parsed[col]
            out[col] = values
            if col == "closed_at" and lost_time is not None:  # Pipedrive: lost deals are dated in their own column
                lost, lost_bad = parsed["lost_time"]
                out[col] = values.fillna(lost)
                parts.append(
                    _problems(
                        rows[lost_bad.to_numpy()],
                        lost_time,
                        _cell_text(body[lost_time], lost_bad),
                        "repaired",
                        "importer.row.bad_date",
                    )
                )
            parts.append(
                _problems(rows[bad.to_numpy()], h, _cell_text(body[h], bad), "repaired", "importer.row.bad_date")
            )
    if "probability" in used:
        h = used["probability"]
        read = parsed["probability"]
        out["probability"] = read.values
        off_scale = "importer.row.probability_not_share" if not read.percent else "importer.row.probability_not_percent"
        for mask, reason in ((read.bad, "importer.row.bad_probability"), (read.off_scale, off_scale)):
            parts.append(_problems(rows[mask.to_numpy()], h, _cell_text(body[h], mask), "repaired", reason))

    # A status column may close a deal whose stage is a regular one (Pipedrive keeps
    # the last stage of a lost deal): that stage is where it was lost, and the status
    # text becomes its terminal stage.
    status = stage_status
    stageless = stage.isna()  # kept only because the status column closes them
    if status_text is not None:
        status = stage_status.where(stage_status != OPEN, explicit.where(explicit.notna(), OPEN))
        if not keep.all():
            status_text = status_text[keep].reset_index(drop=True)
        unknown = status_text.notna() & explicit.isna()
        if unknown.any():
            h = used["status"]
            parts.append(
                _problems(rows[unknown.to_numpy()], h, status_text[unknown], "warning", "importer.row.unknown_status")
            )
        moved = (stage_status == OPEN) & explicit.isin([WON, LOST])
        if moved.any():
            lost_stage = out.get("lost_stage", pd.Series(np.nan, index=body.index, dtype="object"))
            out["lost_stage"] = lost_stage.where(~(moved & (explicit == LOST)) | lost_stage.notna(), stage)
            stage = stage.where(~moved, status_text)
    if stageless.any():
        stage = _stage_for_stageless(stage, stageless, status, out["funnel"])
        parts.append(
            _problems(
                rows[stageless.to_numpy()], used["stage"], stage[stageless], "repaired", "importer.row.no_stage_closed"
            )
        )
    out["stage"] = stage
    out["status"] = status

    # An open deal has not closed: a close date on it is the planned one (Salesforce, HubSpot).
    if "closed_at" in out:
        closed = out["closed_at"]
        expected = out.get("expected_close_at", pd.Series(pd.NaT, index=body.index, dtype="datetime64[ns]"))
        planned = (status == OPEN) & closed.notna()
        out["expected_close_at"] = expected.where(~(planned & expected.isna()), closed)
        out["closed_at"] = closed.where(~planned)

    deals = pd.DataFrame(out, index=body.index)
    mapped = set(used.values())
    for h in raw.headers:
        if h not in mapped:
            extra = _cell_text(body[h])
            key = h if h not in DEAL_COLUMN_NAMES else f"{h} (unmapped)"
            deals[key] = text_where(extra, (extra != "").to_numpy())
    return conform(deals), _finish_problems(parts)


def _parse_columns(body: pd.DataFrame, rows: np.ndarray, used: dict[str, str], lost_time: str | None) -> dict:
    """The text, amount, date and probability columns parsed, by canonical name ("lost_time": Pipedrive's
    date of loss); a text column comes with the problem rows it found.

    On a large file two threads parse them at once (see ``in_threads``); the caller lists the problems
    in the serial order.
    """
    tasks = {}
    for col in _DATE_COLUMNS:  # the longest first, so that the two threads finish together
        if col in used:
            tasks[col] = partial(parse_dates, body[used[col]])
    if lost_time is not None:
        tasks["lost_time"] = partial(parse_dates, body[lost_time])
    if "amount" in used:
        tasks["amount"] = partial(parse_amounts, body[used["amount"]])
    if "probability" in used:
        tasks["probability"] = partial(parse_probabilities, body[used["probability"]])
    for col in _TEXT_COLUMNS:
        if col in used:
            tasks[col] = partial(_visible_text, body[used[col]], rows, used[col])
    return in_threads(tasks, len(body))


def _status_text(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A status column's text and the status it names (NaN where it names none)."""
    text = clean_text(cells)
    return text, _map_names(text, STATUS_VALUES)


def _visible_text(cells: pd.Series, rows: np.ndarray, header: str) -> tuple[pd.Series, list]:
    """A text column cleaned and without invisible characters, with the problem rows of the cells that had some."""
    found: list = []
    return _visible(clean_text(cells), rows, header, found), found


def _visible(text: pd.Series, rows: np.ndarray, header: str, parts: list) -> pd.Series:
    """``text`` without bidi controls and zero-width characters, each cell that had some listed.

    A right-to-left override makes «Ivan\u202eovteP» read as "IvanPetvo": the name shown would not
    be the name in the file.
    """
    if not contains_any(pa.array(text, from_pandas=True), INVISIBLE):
        return text  # a byte scan of the column: a tenth of the regex's time on a clean one
    hidden = text.str.contains(f"[{INVISIBLE}]", regex=True, na=False)
    if not hidden.any():
        return text
    shown = text.where(~hidden, text[hidden].map(strip_invisible))
    parts.append(_problems(rows[hidden.to_numpy()], header, shown[hidden], "repaired", "importer.row.invisible_chars"))
    return text_where(shown, (shown != "").to_numpy())


def _lost_time_header(headers: list[str], used: dict[str, str]) -> str | None:
    """An unmapped «Lost time» column beside the mapped close date, or None."""
    mapped = set(used.values())
    return next((h for h in headers if h not in mapped and normalize_name(h) in LOST_TIME_HEADERS), None)


def _stage_for_stageless(stage: pd.Series, stageless: pd.Series, status: pd.Series, funnel: pd.Series) -> pd.Series:
    """A closed deal without a stage goes to its funnel's commonest stage of that outcome (won or lost),
    so its status text does not become a stage of its own; with no such stage it keeps the status text."""
    known = pd.DataFrame({"funnel": funnel, "status": status, "stage": stage})[~stageless]
    common = known.groupby(["funnel", "status"], sort=False)["stage"].agg(lambda s: s.value_counts().index[0])
    pairs = pd.MultiIndex.from_arrays([funnel[stageless], status[stageless]])
    found = pd.Series(common.reindex(pairs).to_numpy(), index=stage.index[stageless])
    return stage.where(~stageless, found.fillna(stage[stageless]))


def _reject_stageless(body: pd.DataFrame, rows: np.ndarray, mask: pd.Series, stage_header: str) -> pd.DataFrame:
    """Rows without a stage: report footers and notes (one filled cell) or deals missing their stage."""
    sub = body.loc[mask]
    text = pd.DataFrame({c: cell_text(sub[c]) for c in sub.columns}, index=sub.index)
    text = text.mask(text == "")
    filled = text.notna().sum(axis=1)
    first = text.bfill(axis=1).iloc[:, 0].fillna("")
    note = (filled <= 1).to_numpy() & (body.shape[1] >= 3)
    sub_rows = rows[mask.to_numpy()]
    return pd.concat(
        [
            _problems(sub_rows[note], "", first[note], "rejected", "importer.row.not_data"),
            _problems(sub_rows[~note], stage_header, [""] * int((~note).sum()), "rejected", "importer.row.no_stage"),
        ]
    )


def _deduplicate(body, rows, ids: pd.Series, keep: np.ndarray, id_header: str, parts: list) -> tuple:
    """Reject exact repeats of a row; give reused ids a suffix."""
    if _all_distinct(pa.array(ids)):
        return keep, ids
    candidate = pd.Series(keep, index=ids.index)
    dup = ids.duplicated(keep=False) & candidate
    if not dup.any():
        return keep, ids
    sub = body.loc[dup]
    exact = sub.astype("str").duplicated(keep="first")
    repeat = pd.Series(False, index=ids.index)
    repeat[exact.index] = exact
    if repeat.any():
        parts.append(
            _problems(rows[repeat.to_numpy()], id_header, ids[repeat], "rejected", "importer.row.duplicate_row")
        )
    keep = keep & ~repeat.to_numpy()
    live = ids[keep]
    occurrence = live.groupby(live, sort=False).cumcount()
    again = occurrence[occurrence > 0]
    if len(again):
        renamed = ids.index.isin(again.index)
        parts.append(_problems(rows[renamed], id_header, ids[renamed], "repaired", "importer.row.duplicate_id"))
        ids = ids.copy()
        ids[again.index] = _free_suffixes(ids[again.index], pd.Index(live.unique()))
    return keep, ids


def _all_distinct(ids: pa.Array) -> bool:
    """Whether no id repeats: the usual case, told by one hash pass (Arrow's unique: a third of count_distinct's time).

    Ids written as whole numbers are compared as numbers: distinct numbers mean distinct texts, while equal
    numbers ("7", "007") are told apart by their text. Numbers in strict order (an export sorted by id) are
    distinct at a glance; others are hashed, a tenth of the time of hashing their text.
    """
    try:
        numbers = pc.cast(ids, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = None
    if numbers is not None and not numbers.null_count:
        step = np.diff(numbers.to_numpy())
        if (step > 0).all() or (step < 0).all() or len(pc.unique(numbers)) == len(ids):
            return True
    return len(pc.unique(ids)) == len(ids)


def _free_suffixes(repeated: pd.Series, taken: pd.Index) -> pd.Series:
    """New ids for the repeats of ids, in row order: ``id-2``, ``id-3``, ... skipping ids in ``taken``.

    Works per repeated id, not per row: each round lists, for every id, as many
    candidate suffixes as it still lacks free names, and stops once every id
    has enough (a file with ids 5, 5, 5-2 gives 5, 5-3, 5-2).
    """
    need = repeated.groupby(repeated, sort=False).size()
    extra = pd.Series(0, index=need.index)
    while True:
        width = (need + extra).to_numpy()
        base = np.repeat(need.index.to_numpy(dtype=object), width)
        # suffixes 2, 3, ... per id: position within its block + 2
        suffix = np.arange(len(base)) - np.repeat(np.cumsum(width) - width, width) + 2
        names = pd.Series(base, dtype="str") + "-" + pd.Series(suffix).astype("str")
        free = ~names.isin(taken)
        short = need - free.groupby(base, sort=False).sum().reindex(need.index, fill_value=0)
        if not (short > 0).any():
            break
        extra = extra + short.clip(lower=0)
    ok = free.to_numpy()
    names, base = names.to_numpy()[ok], base[ok]
    rank = pd.Series(base).groupby(base, sort=False).cumcount().to_numpy()
    lookup = pd.Series(names, index=pd.MultiIndex.from_arrays([base, rank]))
    # the k-th repeat of an id, in row order, takes that id's k-th free name
    order = repeated.groupby(repeated, sort=False).cumcount().to_numpy()
    wanted = pd.MultiIndex.from_arrays([repeated.to_numpy(dtype=object), order])
    return pd.Series(lookup.reindex(wanted).to_numpy(), index=repeated.index, dtype="str")


# --------------------------------------------------------------------- stage history


def read_stage_history(source, *, name: str | None = None) -> pd.DataFrame:
    """Read a stage history file: one row per entry of a deal into a stage.

    Accepts the canonical headers (``deal_id, stage, entered_at``) and
    amoCRM / Russian ones («ID сделки», «Этап», «Дата перехода»). Rows missing
    an id, a stage or a readable date are left out and listed in
    ``result.attrs["problems"]`` (same columns as ``DealImport.problems``).

    Returns
    -------
    DataFrame
        ``deal_id`` (str), ``stage`` (str), ``entered_at`` (datetime64[ns]),
        sorted by deal_id, entered_at.
    """
    data, name = load_source(source, name)
    raw = read_table(data, name)
    used = _match(raw.headers, HISTORY_ALIASES)
    missing = [c for c in HISTORY_COLUMNS if c not in used]
    if missing:
        raise DealImportError(
            "importer.history_columns", name=name, missing=", ".join(missing), columns=_listed(raw.headers)
        )
    body = raw.body
    ids = clean_text(body[used["deal_id"]])
    parts = [pd.DataFrame(raw.problems, columns=list(PROBLEM_COLUMNS)), *_encoding_notes(raw)]
    stage = _visible(clean_text(body[used["stage"]]), raw.rows, used["stage"], parts)
    entered, _ = parse_dates(body[used["entered_at"]])
    ok = (ids.notna() & stage.notna() & entered.notna()).to_numpy()
    if not ok.any():
        raise DealImportError("importer.history_no_rows", name=name)
    # Incomplete rows are left out and listed, naming the first field missing.
    no_id = ids.isna()
    no_stage = ~no_id & stage.isna()
    no_date = ~no_id & ~no_stage & entered.isna()
    parts += [
        _problems(
            raw.rows[mask.to_numpy()],
            used[col],
            _cell_text(body[used[col]], mask).map(strip_invisible),
            "rejected",
            reason,
        )
        for mask, col, reason in (
            (no_id, "deal_id", "importer.row.history_no_id"),
            (no_stage, "stage", "importer.row.history_no_stage"),
            (no_date, "entered_at", "importer.row.history_bad_date"),
        )
    ]
    history = pd.DataFrame(
        {"deal_id": ids[ok].astype("str"), "stage": stage[ok].astype("str"), "entered_at": entered[ok]}
    )
    history = history.sort_values(["deal_id", "entered_at"], kind="stable").reset_index(drop=True)
    history.attrs["problems"] = _finish_problems(parts)
    return history


# -------------------------------------------------------------------------- reports


def problems_report(problems: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The problems table in ``lang``: translated headers, actions and reasons.

    Parameters
    ----------
    problems : DataFrame
        ``DealImport.problems``.
    lang : str
        "ru" or "en".

    Returns
    -------
    DataFrame
        Columns Row, Column, Value, Action, Reason (translated), for display
        and CSV download.
    """
    reasons = pd.Series("", index=problems.index, dtype="object")
    texts = catalog()
    for key in pd.unique(problems["reason"]):
        mask = problems["reason"] == key
        template = texts.get(key, {}).get(lang) or t(key, lang)
        reasons[mask] = _fill(template, problems.loc[mask, "column"], problems.loc[mask, "value"])
    actions = problems["action"].map(lambda a: t(f"importer.action.{a}", lang))
    return pd.DataFrame(
        {
            t("importer.report.row", lang): problems["row"].astype("int64"),
            t("importer.report.column", lang): problems["column"].astype("str"),
            t("importer.report.value", lang): problems["value"].astype("str"),
            t("importer.report.action", lang): actions.astype("str"),
            t("importer.report.reason", lang): reasons.astype("str"),
        }
    )


def _fill(template: str, column: pd.Series, value: pd.Series) -> pd.Series:
    """``template.format(column=..., value=...)`` for a whole column at once."""
    out = pd.Series("", index=column.index, dtype="object")
    for piece in re.split(r"(\{column\}|\{value\})", template):
        if piece == "{column}":
            out = out + column.astype("str")
        elif piece == "{value}":
            out = out + value.astype("str")
        else:
            out = out + piece
    return out
