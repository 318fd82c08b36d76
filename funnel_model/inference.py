"""A funnel config guessed from the deals: stages, their order, default probabilities.

:func:`infer_config` is the one inference of the package: the importer
attaches its result to every :class:`~funnel_model.importer.DealImport`, and
geometry and calibration fall back to it when no config is given.

Order of a funnel's open stages, the first rule that applies:

1. a known CRM default pipeline containing every open stage of the funnel;
2. the stage history: stages by the median position at which deals entered them;
3. the mean stated probability of the funnel's open deals at each stage, ascending;
4. the snapshot itself (see below), ties broken by first appearance in the data.

**Snapshot order.** A deal is *placed* at a stage when it is open there, or
was lost there (``lost_stage``). Two things distinguish a later stage from an
earlier one, and both are read as a test statistic for "stage a comes after
stage b", standard normal when the two stages are indistinguishable:

* *age*: deals move forward with time, so deals placed at a later stage are
  older. The age of a deal is the time from ``created_at`` to the as-of date
  (open deals) or to ``closed_at`` (lost deals). Statistic: the Mann–Whitney
  z of the two stages' ages;
* *count*: a funnel narrows, so fewer deals are placed at a later stage.
  Statistic: ``(n_b − n_a) / √(n_a + n_b)``, the normal approximation to the
  sign test of the two counts.

The count is the weaker sign: by Little's law an open stage's count is its
inflow (which narrows) times its dwell time (which does not), so a slow late
stage can hold more open deals than a quick early one; lost deals are placed
by their inflow alone. It therefore gets half the weight of the age in the
weighted sum (Stouffer's method) ``z_ab = z_age + ½·z_count``. On the
demo generator's simulated exports (:mod:`funnel_model.demo`, seeds 1–40,
three funnels each) this weighting orders more funnels exactly than either
sign alone or equal weights: without loss stages 105 of 120 funnels exactly
and the rest one adjacent swap off; with loss stages all 120.

The stages are then sorted by their total evidence of being late (Borda
score ``Σ_b z_ab``), and adjacent stages whose own pairwise evidence
disagrees are swapped until none does ("local Kemenization": the order is
then consistent with every adjacent pairwise comparison).

Default probability per stage, the first that applies: the median stated
probability of open deals at the stage; the template's; the empirical share
of closed deals that reached the stage and were won (won deals reached every
stage, lost deals their ``lost_stage``; used only with at least five closed
deals and a known loss stage for most lost ones); evenly spaced
(k / (n + 1)).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from funnel_model.config import DEFAULT_FUNNEL, FunnelConfig, FunnelSpec, StageSpec
from funnel_model.parsing import in_threads
from funnel_model.schema import LOST, OPEN, WON
from funnel_model.templates import (
    LOST_STAGE_NAMES,
    STAGE_TEMPLATES,
    WON_STAGE_NAMES,
    StageTemplate,
    normalize_name,
)

__all__ = ["COUNT_WEIGHT", "infer_config", "normalize_cells", "snapshot_order", "status_from_stage"]

# Weight of the count statistic against the age statistic in the snapshot order (see module docstring).
COUNT_WEIGHT = 0.5
# Below this many closed deals (or with loss stages unknown) win shares say little; see infer_config.
_MIN_CLOSED_FOR_EMPIRICAL = 5
_DAY = np.timedelta64(1, "D")


def normalize_cells(text: pd.Series) -> pd.Series:
    """:func:`~funnel_model.templates.normalize_name` of each cell, computed once per distinct value."""
    codes, uniques = pd.factorize(text)
    names = np.array([normalize_name(u) for u in uniques] + [None], dtype="object")
    return pd.Series(names[codes], index=text.index, dtype="object")


def status_from_stage(stage: pd.Series) -> pd.Series:
    """Status implied by stage names: known won / lost stage names are terminal, anything else is open."""
    # decided once per distinct stage name, then spread over the rows
    codes, uniques = pd.factorize(stage)
    norm = pd.Series([normalize_name(u) for u in uniques] + [None], dtype="object")
    status = np.select([norm.isin(WON_STAGE_NAMES), norm.isin(LOST_STAGE_NAMES)], [WON, LOST], OPEN)
    # spread as Arrow text: a million Python strings cost ten times as much in every later comparison
    spread = pc.take(pa.array(status, type=pa.large_string()), pa.array(np.where(codes < 0, len(uniques), codes)))
    return pd.Series(spread, index=stage.index, dtype="str")


def infer_config(
    deals: pd.DataFrame, history: pd.DataFrame | None = None, *, as_of: pd.Timestamp | None = None
) -> FunnelConfig:
    """Infer each funnel's stages, their order and default probabilities, and its won/lost names.

    The rules are those of the module docstring.

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table. ``status`` is derived from the stage names when
        the column is missing; ``lost_stage``, ``probability``,
        ``created_at`` and ``closed_at`` are used when present.
    history : DataFrame, optional
        Stage history (``deal_id, stage, entered_at``).
    as_of : Timestamp, optional
        Date the ages of open deals are measured to; defaults to the latest
        ``created_at`` or ``closed_at`` in ``deals`` (the export's date).

    Returns
    -------
    FunnelConfig
        One funnel per value of ``funnel`` (missing values form
        :data:`~funnel_model.config.DEFAULT_FUNNEL`), in order of appearance.
    """
    return _infer_config(deals, history, as_of=as_of)


def _infer_config(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    *,
    as_of: pd.Timestamp | None = None,
    read: _Read | None = None,
) -> FunnelConfig:
    """:func:`infer_config`, with the history and the deals already read by :func:`_read` if they were."""
    rows, snapshot, _ = _read(deals, history, infer=True, as_of=as_of) if read is None else read
    names = snapshot.funnels
    hist = _history_codes(rows, snapshot.funnel_codes, len(names)) if rows is not None else None
    stages, lost_at, placed = snapshot.stages, snapshot.lost_at, snapshot.placed
    specs = []
    for code, name in enumerate(names):
        h = hist.of_funnel(code) if hist is not None else None
        specs.append(
            _infer_funnel(
                str(name),
                stages.loc[stages["f"] == code],
                lost_at.loc[lost_at["f"] == code],
                int(snapshot.n_lost.get(code, 0)),
                h if h is not None and len(h.deal) else None,
                placed.loc[placed["f"] == code],
                snapshot.placed_names,
            )
        )
    return FunnelConfig(specs)


class _HistoryRows(NamedTuple):
    """A stage history read once for inference and deal depth alike: every row, as integer codes.

    Millions of ids and stage names are hashed once, in two threads, and never
    sorted as text.
    """

    deal: np.ndarray  # position of the row's deal among the deals (the first of a repeated id), -1 if absent
    stage: np.ndarray  # code into ``names``, -1 for a row without a stage
    names: np.ndarray  # stage names, in order of first appearance in the history
    entered: np.ndarray | None  # :func:`_entry_ticks`, read for inference only


class _Snapshot(NamedTuple):
    """What inference reads from the deal table: per-(funnel, status, stage) aggregates and placed deals."""

    funnels: pd.Index  # funnel names (a missing one is DEFAULT_FUNNEL), in order of first appearance
    funnel_codes: np.ndarray  # each deal's code into ``funnels``
    stages: pd.DataFrame  # per funnel, status and stage: n, first deal, mean and median stated probability
    lost_at: pd.DataFrame  # per funnel and loss stage: n, first deal
    n_lost: pd.Series  # lost deals per funnel code
    placed: pd.DataFrame  # each placed deal's funnel, stage (code into ``placed_names``) and age
    placed_names: np.ndarray


class _Read(NamedTuple):
    """What inference and deal depth read from the data before any config is known (see :func:`_read`)."""

    rows: _HistoryRows | None  # None without history
    snapshot: _Snapshot | None  # when asked for inference
    texts: dict[str, tuple[np.ndarray, list]]  # :func:`_text_codes` of deal columns (all depth looks up, asked)


# The deal columns inference takes as text codes, and those deal depth looks up in a config.
_INFERENCE_COLUMNS = ("stage", "status", "lost_stage")
_DEPTH_COLUMNS = ("funnel", "stage", "status", "lost_stage")


def _read(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    *,
    infer: bool,
    depth: bool = False,
    as_of: pd.Timestamp | None = None,
) -> _Read:
    """The history's rows as codes; when ``infer``, the deals' :class:`_Snapshot`; when ``depth``, the text
    codes of the deal columns depth looks up (:data:`_DEPTH_COLUMNS`, those present).

    These are the slow parts of inference and deal depth, and need no config.
    Hashing the history's ids against the deals' is the longest, in Arrow
    without the GIL: one thread does it (then the entry dates) while the other
    reads the rest.
    """
    recorded = history is not None and len(history) > 0
    columns = _DEPTH_COLUMNS if depth else _INFERENCE_COLUMNS if infer else ()

    def ids() -> tuple:
        if not recorded:
            return None, None
        return _deal_positions(history["deal_id"], deals["deal_id"]), _entry_ticks(history) if infer else None

    def rest() -> tuple:
        texts = {c: _text_codes(deals[c]) for c in columns if c in deals.columns}
        snapshot = _snapshot(deals, as_of, texts) if infer else None
        return texts, snapshot, _history_stages(history) if recorded else None

    done = in_threads({"ids": ids, "rest": rest}, max(len(deals), len(history) if recorded else 0))
    (deal, entered), (texts, snapshot, stages) = done["ids"], done["rest"]
    return _Read(_HistoryRows(deal, *stages, entered) if recorded else None, snapshot, texts)


def _text_codes(values: pd.Series) -> tuple[np.ndarray, list]:
    """Each value's code into the distinct values as text (-1 for a missing one), and those values.

    A long column of few distinct values is then looked up value by value:
    ``geometry._codes`` of the distinct values spread over the codes is
    ``geometry._codes`` of the column, as both compare the same text.
    """
    encoded = pc.dictionary_encode(_arrow_text(values))
    return np.asarray(encoded.indices.fill_null(-1)), encoded.dictionary.to_pylist()


def _snapshot(deals: pd.DataFrame, as_of: pd.Timestamp | None, texts: dict) -> _Snapshot:
    """The deals' :class:`_Snapshot`; ``texts``: :func:`_text_codes` of some of their columns, reused."""
    # Everything but the snapshot ages works on per-(funnel, status, stage)
    # aggregates: a few hundred rows however many deals there are.
    n = len(deals)
    funnel = deals["funnel"] if "funnel" in deals else pd.Series(np.nan, index=deals.index, dtype="object")
    codes, names = pd.factorize(funnel.fillna(DEFAULT_FUNNEL))
    stage_codes, stage_names = _factorized(deals, "stage", texts)
    lost_codes, lost_names = _factorized(deals, "lost_stage", texts) if "lost_stage" in deals else (np.full(n, -1), [])
    # Arrow's hash lookup: a Categorical of a million status strings costs ten times more
    if "status" in texts:  # each distinct status looked up once
        values, statuses = texts["status"]
        known = pc.index_in(pa.array(statuses, type=pa.large_string()), value_set=pa.array([OPEN, WON, LOST]))
        status_codes = np.append(np.asarray(known.fill_null(-1)), -1)[values]
    else:
        status = deals["status"] if "status" in deals else status_from_stage(deals["stage"])
        known = pc.index_in(_arrow_text(status), value_set=pa.array([OPEN, WON, LOST]))
        status_codes = np.asarray(known.fill_null(-1))
    p = deals["probability"].to_numpy() if "probability" in deals else np.full(n, np.nan)
    age = _ages(deals, status_codes, as_of)
    # Where each deal is placed for the snapshot order: open deals at their stage, lost ones at lost_stage,
    # as codes into the stage names followed by the lost stage names (no million names spelled out)
    stage_array = np.asarray(stage_names, dtype="object")
    lost_array = np.asarray(lost_names, dtype="object")
    open_rows = (status_codes == 0) & (stage_codes >= 0)
    lost_rows = (status_codes == 2) & (lost_codes >= 0)
    placed = pd.DataFrame(
        {
            "f": np.concatenate([codes[open_rows], codes[lost_rows]]),
            "stage": np.concatenate([stage_codes[open_rows], lost_codes[lost_rows] + len(stage_array)]),
            "age": np.concatenate([age[open_rows], age[lost_rows]]),
        }
    )
    placed_names = np.concatenate([stage_array, lost_array])

    # Deals without a stage are left out of the aggregates. Each aggregate's groups are the codes of one
    # integer key, in order of first appearance (groupby's sort=False).
    width = len(stage_array) + 1
    group, key = pd.factorize((codes * 4 + status_codes + 1) * width + stage_codes + 1)
    by = pd.Series(p).groupby(group, sort=False)
    stages = pd.DataFrame(
        {
            "f": key // width // 4,
            "status": np.array([OPEN, OPEN, WON, LOST], dtype="object")[key // width % 4],
            "stage": key % width - 1,
            "n": np.bincount(group, minlength=len(key)),
            "first": _first_rows(group),
            "pmean": by.mean().to_numpy(),
            "pmed": by.median().to_numpy(),
        }
    )
    stages = stages.loc[stages["stage"] >= 0].reset_index(drop=True)
    stages["stage"] = stage_array[stages["stage"]]
    lost = (status_codes == 2) & (stage_codes >= 0)
    at = np.flatnonzero(lost & (lost_codes >= 0))
    width = max(len(lost_array), 1)
    group, key = pd.factorize(codes[at] * width + lost_codes[at])
    lost_at = pd.DataFrame(
        {
            "f": key // width,
            "lost": key % width,
            "n": np.bincount(group, minlength=len(key)),
            "first": at[_first_rows(group)],
            "stage": lost_array[key % width],
        }
    )
    n_lost = pd.Series(np.bincount(codes[lost], minlength=len(names)))
    return _Snapshot(names, codes, stages, lost_at, n_lost, placed, placed_names)


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """The first row of each code, for codes numbered in order of first appearance (``pd.factorize``'s)."""
    # the running maximum steps up by one exactly where a code first appears
    return np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1))


def _factorized(deals: pd.DataFrame, column: str, texts: dict) -> tuple[np.ndarray, object]:
    """``pd.factorize`` of a deal column, taken from its :func:`_text_codes` when it is text.

    Pandas factorizes text by the same dictionary encoding: the same codes
    and values. Other columns (numbers, mixed objects) are factorized as they
    are, as their text could merge values.
    """
    if column in texts and isinstance(deals[column].dtype, pd.StringDtype):
        return texts[column]
    return pd.factorize(deals[column])


class _History(NamedTuple):
    """The history rows inference orders stages by: those of a deal among the deals that name a stage."""

    deal: np.ndarray  # position of the row's deal among the deals
    stage: np.ndarray  # code into ``names``
    entered: np.ndarray  # int64 ticks of the column's own unit (only compared), NaT as the largest value
    funnel: np.ndarray | None  # funnel code of the row's deal; None when the deals have one funnel
    names: np.ndarray  # stage names, in order of first appearance in the history

    def of_funnel(self, code: int) -> _History:
        if self.funnel is None:
            return self
        rows = self.funnel == code
        if rows.all():  # one funnel: no copy of millions of rows
            return self
        return _History(self.deal[rows], self.stage[rows], self.entered[rows], self.funnel[rows], self.names)


def _arrow_text(values: pd.Series) -> pa.Array:
    array = pa.array(values.astype("str"), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _deal_positions(history_ids: pd.Series, deal_ids: pd.Series) -> np.ndarray:
    """Position of each history row's deal among the deals (the first of a repeated id), -1 if absent."""
    found = pc.index_in(_arrow_text(history_ids), value_set=_arrow_text(deal_ids)).fill_null(-1)
    return np.asarray(found)


def _history_stages(history: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each history row's stage as a code (-1 without one), and the stage names."""
    encoded = pc.dictionary_encode(_arrow_text(history["stage"]))
    stage = np.asarray(encoded.indices.fill_null(-1))
    return stage, np.asarray(encoded.dictionary.to_pylist(), dtype="object")


def _entry_ticks(history: pd.DataFrame) -> np.ndarray:
    """Entry times as int64 ticks of the column's own unit, NaT as the largest: they are only compared."""
    entered = history["entered_at"]
    if not (isinstance(entered.dtype, np.dtype) and entered.dtype.kind == "M"):  # no copy of dates as dates
        entered = pd.to_datetime(entered)
        if not (isinstance(entered.dtype, np.dtype) and entered.dtype.kind == "M"):
            entered = entered.astype("datetime64[ns]")
    ticks = entered.to_numpy().view(np.int64)
    missing = ticks == np.iinfo(np.int64).min
    return np.where(missing, np.iinfo(np.int64).max, ticks) if missing.any() else ticks


def _history_codes(rows: _HistoryRows, funnel_codes: np.ndarray, n_funnels: int) -> _History:
    """The rows of a deal among the deals (the first deal of a repeated id) that name a stage."""
    deal, stage, entered = rows.deal, rows.stage, rows.entered
    ok = (deal >= 0) & (stage >= 0)
    if not ok.all():  # each filter copies millions of rows: only when some row goes
        deal, stage, entered = deal[ok], stage[ok], entered[ok]
    funnel = np.asarray(funnel_codes)[deal] if n_funnels > 1 else None
    return _History(deal, stage, entered, funnel, rows.names)


def _ages(deals: pd.DataFrame, status_codes: np.ndarray, as_of: pd.Timestamp | None) -> np.ndarray:
    """Days from creation to the as-of date (open deals) or to closing (others); NaN when unknown."""
    if "created_at" not in deals:
        return np.full(len(deals), np.nan)
    created = pd.to_datetime(deals["created_at"])
    closed = pd.to_datetime(deals["closed_at"]) if "closed_at" in deals else pd.Series(pd.NaT, index=deals.index)
    if as_of is None:
        as_of = max((d for d in (created.max(), closed.max()) if pd.notna(d)), default=pd.NaT)
    end = closed.where(status_codes != 0, pd.Timestamp(as_of))
    return ((end - created) / _DAY).to_numpy(dtype="float64", na_value=np.nan)


def _infer_funnel(
    name: str,
    stages: pd.DataFrame,
    lost_at: pd.DataFrame,
    n_lost: int,
    history: pd.DataFrame | None,
    placed: pd.DataFrame,
    placed_names: np.ndarray,
) -> FunnelSpec:
    """One funnel's spec from its (status, stage) aggregates, loss stages and placed deals (their stages as
    codes into ``placed_names``)."""
    won = [str(x) for x in stages.loc[stages["status"] == WON].sort_values("first")["stage"]]
    lost = [str(x) for x in stages.loc[stages["status"] == LOST].sort_values("first")["stage"] if x not in won]
    terminal = set(won) | set(lost)
    opened = stages.loc[stages["status"] == OPEN].set_index("stage")
    seen = pd.concat([opened["first"], lost_at.set_index("stage")["first"]]).groupby(level=0).min().sort_values()
    names = [str(x) for x in seen.index if x not in terminal]
    if history is not None:
        seen_in_history = history.names[_in_order_of_appearance(history.stage, len(history.names))]
        names += [str(x) for x in seen_in_history if x not in terminal and x not in names]
    template = _template_for(names)
    if template is not None:
        index = {normalize_name(x): i for i, x in enumerate(template.stages)}
        names = sorted(names, key=lambda x: index[normalize_name(x)])
    elif history is not None and np.isin(seen_in_history, names).any():
        names = _order_by_history(names, history)
    elif opened["pmean"].notna().any():
        mean = opened["pmean"]
        names = sorted(names, key=lambda x: (np.isnan(mean.get(x, np.nan)), mean.get(x, 0.0)))
    else:
        at = pd.Index(names).get_indexer(placed_names)[placed["stage"].to_numpy()]
        names = _placement_order(names, at, placed["age"].to_numpy())
    n_won = int(stages.loc[stages["status"] == WON, "n"].sum())
    empirical = _empirical_rates(names, n_won, n_lost, lost_at.set_index("stage")["n"])
    probabilities = _stage_probabilities(names, opened["pmed"].dropna(), template, empirical)
    return FunnelSpec(name, [StageSpec(x, p) for x, p in zip(names, probabilities, strict=True)], won=won, lost=lost)


def _in_order_of_appearance(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """``pd.unique(codes)`` of codes below ``n_codes``, from the head of ``codes`` that holds them all.

    Every code present usually shows within the first rows: a head 4 times longer
    is tried until it holds as many codes as the whole.
    """
    present = np.count_nonzero(np.bincount(codes, minlength=n_codes))
    head = 4096
    while True:
        seen = pd.unique(codes[:head])
        if len(seen) == present or head >= len(codes):
            return seen
        head *= 4


def _template_for(names: list[str]) -> StageTemplate | None:
    if not names:
        return None
    wanted = {normalize_name(x) for x in names}
    for template in STAGE_TEMPLATES:
        if wanted <= {normalize_name(x) for x in template.stages}:
            return template
    return None


def _order_by_history(names: list[str], history: _History) -> list[str]:
    """Stages by the median position (0 = first) at which deals entered them, among ``names``."""
    wanted = np.isin(history.names, names)
    if wanted.all():
        deal, stage, entered = history.deal, history.stage, history.entered
    else:
        rows = wanted[history.stage]
        deal, stage, entered = history.deal[rows], history.stage[rows], history.entered[rows]
    same = deal[1:] == deal[:-1]
    # An export lists each deal's entries together and in time order: then no sort is needed.
    runs = 1 + int(np.count_nonzero(~same)) if deal.size else 0
    # (a time going back within a run, found without copying the runs' rows out)
    grouped = runs == np.count_nonzero(np.bincount(deal)) and not np.any(same & (entered[1:] < entered[:-1]))
    if not grouped:
        order = np.lexsort((entered, deal))  # stable: ties keep the file's order
        deal, stage = deal[order], stage[order]
        same = deal[1:] == deal[:-1]
    # position in the run: a running count of rows that steps back by the previous run's length at each start
    starts = np.flatnonzero(~same) + 1
    step = np.ones(deal.size, dtype=np.int64)
    step[starts] = 1 - np.diff(starts, prepend=0)
    position = np.cumsum(step) - 1
    median = _median_by_code(stage, position, len(history.names))
    by_name = {history.names[c]: median[c] for c in range(len(history.names)) if not np.isnan(median[c])}
    first = {x: i for i, x in enumerate(names)}
    return sorted(names, key=lambda x: (x not in by_name, by_name.get(x, 0.0), first[x]))


def _median_by_code(codes: np.ndarray, values: np.ndarray, n_codes: int) -> np.ndarray:
    """Median of small non-negative integer ``values`` per code (NaN for a code without values).

    From a (code, value) histogram: the middle one or two values of each code's
    sorted values, as pandas' median takes them.
    """
    width = int(values.max()) + 1 if values.size else 1
    if n_codes * width > 1 << 24:  # a deal with a great many entries: the histogram would not fit
        median = pd.Series(values).groupby(codes).median()
        return median.reindex(range(n_codes)).to_numpy(dtype="float64")
    counts = np.bincount(codes * width + values, minlength=n_codes * width).reshape(n_codes, width)
    total = counts.sum(axis=1)
    cumulative = np.cumsum(counts, axis=1)
    low = np.argmax(cumulative > ((total - 1) // 2)[:, None], axis=1)
    high = np.argmax(cumulative > (total // 2)[:, None], axis=1)
    median = (low + high) / 2.0
    return np.where(total > 0, median, np.nan)


def _mann_whitney_z(x: np.ndarray, y: np.ndarray) -> float:
    """Normal score of the Mann–Whitney U of ``x`` against sorted ``y``: > 0 when ``x`` tends to be larger."""
    if not len(x) or not len(y):
        return 0.0
    # U = #(x > y) + ½ #(x = y), from the insertion points of x in sorted y.
    u = (np.searchsorted(y, x, "left").sum() + np.searchsorted(y, x, "right").sum()) / 2.0
    nx, ny = len(x), len(y)
    return float((u - nx * ny / 2.0) / np.sqrt(nx * ny * (nx + ny + 1) / 12.0))


def snapshot_order(
    names: list[str], stage: pd.Series, age: pd.Series, *, count_weight: float = COUNT_WEIGHT
) -> list[str]:
    """Order stages from where deals are placed now and how old they are (module docstring, rule 4).

    Parameters
    ----------
    names : list of str
        The stages to order; ties keep this order (first appearance).
    stage : Series
        The stage each placed deal is at (open) or was lost at; other values
        are ignored.
    age : Series
        Days since each placed deal was created (aligned with ``stage``);
        NaN when unknown.
    count_weight : float
        Weight of the count statistic relative to the age statistic.

    Returns
    -------
    list of str
        ``names``, earliest stage first.
    """
    if len(names) < 2:
        return list(names)
    at = pd.Index(names).get_indexer(stage.to_numpy())
    return _placement_order(names, at, np.asarray(age, dtype="float64"), count_weight)


def _placement_order(names: list[str], at: np.ndarray, age: np.ndarray, count_weight: float = COUNT_WEIGHT) -> list:
    """:func:`snapshot_order` with each placed deal's stage as its position in ``names`` (-1: another stage)."""
    k = len(names)
    if k < 2:
        return list(names)
    ok = at >= 0
    at, age = at[ok].astype(np.int64), np.asarray(age, dtype="float64")[ok]
    count = np.bincount(at, minlength=k).astype("float64")
    total = count[:, None] + count[None, :]
    # later[a, b]: evidence that stage a comes after stage b.
    later = count_weight * np.divide(
        count[None, :] - count[:, None], np.sqrt(total), out=np.zeros((k, k)), where=total > 0
    )
    dated = ~np.isnan(age)
    samples = [np.sort(age[dated & (at == i)]) for i in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            z = _mann_whitney_z(samples[i], samples[j])
            later[i, j] += z
            later[j, i] -= z
    order = list(np.argsort(later.sum(axis=1), kind="stable"))
    # Local Kemenization: each swap turns one adjacent pair to agree with its own evidence and
    # strictly raises the total agreement, so the loop ends.
    swapped = True
    while swapped:
        swapped = False
        for q in range(k - 1):
            a, b = order[q], order[q + 1]
            if later[a, b] > 0:
                order[q], order[q + 1] = b, a
                swapped = True
    return [names[i] for i in order]


def _stage_probabilities(
    names: list[str], stated: pd.Series, template: StageTemplate | None, empirical: np.ndarray | None
) -> list[float]:
    n = len(names)
    result = [(k + 1) / (n + 1) for k in range(n)]
    template_p = {}
    if template is not None and template.probabilities is not None:
        template_p = {normalize_name(x): p for x, p in zip(template.stages, template.probabilities, strict=True)}
    for k, x in enumerate(names):
        if x in stated.index:
            result[k] = float(stated[x])
        elif normalize_name(x) in template_p:
            result[k] = template_p[normalize_name(x)]
        elif empirical is not None and not np.isnan(empirical[k]):
            result[k] = float(empirical[k])
    return [round(min(max(p, 0.0), 1.0), 4) for p in result]


def _empirical_rates(names: list[str], n_won: int, n_lost: int, lost_at: pd.Series) -> np.ndarray | None:
    """P(won | reached stage k) from a snapshot; None when the data cannot say."""
    if not names or n_won + n_lost < _MIN_CLOSED_FOR_EMPIRICAL or n_lost == 0:
        return None
    index = pd.Series(range(len(names)), index=names)
    known = lost_at[lost_at.index.isin(names)]
    if known.sum() * 2 < n_lost:
        return None
    at = index[known.index].to_numpy()
    # Every deal reached the first stage; a lost deal reached the stages up to its loss stage.
    reached = np.array([known.to_numpy()[at >= k].sum() for k in range(len(names))], dtype="float64")
    reached[0] = n_lost
    return n_won / (n_won + reached)
