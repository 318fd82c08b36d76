"""Client segment of each deal: new, active or dormant.

The segment is decided by the client's own buying history as of the moment
the deal was created: a client who never bought is a *new* prospect (the
attraction funnel), one who bought within the dormancy window is *active*
(retention), one whose last purchase is older is *dormant* (reactivation).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.schema import SEGMENTS, WON

__all__ = ["MAX_DORMANCY_DAYS", "SEGMENT_ALIASES", "derive_segments", "normalise_segment"]

NEW, ACTIVE, DORMANT = SEGMENTS
MAX_DORMANCY_DAYS = 36_500  # a century

# Spellings seen in CRM exports and user mappings, lower-cased; the funnel
# kinds of DESIGN.md (attraction / retention / reactivation) count too.
SEGMENT_ALIASES: dict[str, str] = {
    **{s: NEW for s in ("new", "new client", "new clients", "prospect", "prospects", "attraction", "acquisition")},
    **{s: NEW for s in ("новый", "новые", "новый клиент", "новые клиенты", "привлечение")},
    **{s: ACTIVE for s in ("active", "active client", "active clients", "existing", "retention", "development")},
    **{s: ACTIVE for s in ("активный", "активные", "действующий", "действующие", "действующие клиенты")},
    **{s: ACTIVE for s in ("удержание", "развитие")},
    **{s: DORMANT for s in ("dormant", "dormant client", "dormant clients", "lapsed", "inactive", "reactivation")},
    **{s: DORMANT for s in ("спящий", "спящие", "спящие клиенты", "неактивный", "реактивация")},
}


def normalise_segment(values: pd.Series) -> pd.Series:
    """Map segment spellings («Новый», "Active", "реактивация") to the canonical values.

    Parameters
    ----------
    values : pandas.Series
        Raw segment labels; missing and blank values stay missing.

    Returns
    -------
    pandas.Series
        "new", "active", "dormant" or missing (for blanks and unknown labels),
        aligned to ``values``.
    """
    key = values.astype("str").str.strip().str.lower().str.replace("ё", "е")
    return key.map(SEGMENT_ALIASES).where(values.notna()).astype("str")


def derive_segments(
    deals: pd.DataFrame,
    dormancy_days: float = 365,
    *,
    funnel_segments: Mapping[str, str] | None = None,
    client_col: str = "client_id",
    created_col: str = "created_at",
    closed_col: str = "closed_at",
    status_col: str = "status",
    segment_col: str = "segment",
    funnel_col: str = "funnel",
) -> pd.Series:
    """Segment of every deal from its client's won deals before it was created.

    For each deal, the client's won deals whose win date is strictly before
    the deal's creation are considered: none → ``"new"``; the latest at most
    ``dormancy_days`` before the creation → ``"active"``; the latest older
    than that → ``"dormant"``. A win on the very day (same timestamp) the
    deal was created, or later, does not count.

    Parameters
    ----------
    deals : pandas.DataFrame
        Canonical deal table (any index; the result is aligned to it).
    dormancy_days : float, default 365
        Dormancy window in days. A gap of exactly ``dormancy_days`` is still
        active.
    funnel_segments : mapping of str to str, optional
        Funnel name → segment; deals in these funnels get that segment
        whatever their client's history (a CRM that keeps one pipeline per
        client type). Values may be any spelling known to
        :func:`normalise_segment`.
    client_col, created_col, closed_col, status_col, segment_col, funnel_col : str
        Column names. Missing optional columns are treated as empty.

    Returns
    -------
    pandas.Series
        ``"new"``, ``"active"`` or ``"dormant"`` per deal, dtype ``str``,
        aligned to ``deals.index``.

    Raises
    ------
    ParameterError
        ``dormancy_days`` is negative, above :data:`MAX_DORMANCY_DAYS` or not
        a number (numpy scalars are numbers), or a ``funnel_segments``
        value is not a known segment.

    Notes
    -----
    - A won deal without ``closed_at`` counts as won on its ``created_at``
      (the earliest moment it can have been won); a won deal with neither
      date is ignored.
    - A deal with no client, or no creation date, is ``"new"``: nothing is
      known about its client's history, and an unnamed lead is a prospect.
    - Precedence: a non-empty, recognised value in ``segment_col`` (the
      deal's own label) beats the funnel mapping, which beats the derivation.
      Unrecognised labels are ignored, so the deal is derived.
    """
    try:
        window = float(dormancy_days)
    except (TypeError, ValueError, OverflowError):
        window = float("nan")
    # beyond a century no client history is older; nanosecond timestamps end near 292 years anyway
    if not np.isfinite(window) or not 0 <= window <= MAX_DORMANCY_DAYS:
        rule = f"a number of days from 0 to {MAX_DORMANCY_DAYS}"
        raise ParameterError("error.parameter", name="dormancy_days", rule=rule, value=dormancy_days)

    n = len(deals)
    empty = pd.Series(pd.NA, index=deals.index, dtype="str")

    def column(name: str, kind: str) -> pd.Series:
        if name not in deals.columns:
            return empty if kind == "str" else pd.Series(pd.NaT, index=deals.index, dtype="datetime64[ns]")
        col = deals[name]
        if kind == "datetime":
            return pd.to_datetime(col).astype("datetime64[ns]")
        return col.astype("str").str.strip().replace("", pd.NA)

    client_s = column(client_col, "str")
    client = client_s.to_numpy(dtype=object, na_value=None)
    created = column(created_col, "datetime").to_numpy()
    closed = column(closed_col, "datetime").to_numpy()
    won = (column(status_col, "str").str.lower() == WON).fillna(False).to_numpy(dtype=bool)
    has_client = client_s.notna().to_numpy(dtype=bool)

    win_at = np.where(np.isnat(closed), created, closed)
    wins_mask = won & has_client & ~np.isnat(win_at)
    wins = pd.DataFrame({"client": client[wins_mask], "when": win_at[wins_mask]}).sort_values("when", kind="stable")

    query_mask = has_client & ~np.isnat(created)
    queries = pd.DataFrame(
        {"pos": np.flatnonzero(query_mask), "client": client[query_mask], "when": created[query_mask]}
    ).sort_values("when", kind="stable")
    # merge_asof needs the same key dtypes on both sides, also when one is empty
    queries = queries.astype({"client": "str", "when": "datetime64[ns]"})
    wins = wins.astype({"client": "str", "when": "datetime64[ns]"})
    wins["last_win"] = wins["when"]
    matched = pd.merge_asof(
        queries,
        wins,
        on="when",
        by="client",
        direction="backward",
        allow_exact_matches=False,  # strictly before creation
    )

    result = np.full(n, NEW, dtype=object)
    gap = (matched["when"] - matched["last_win"]).to_numpy()
    has_win = ~np.isnat(gap)
    recent = has_win & (gap <= np.timedelta64(round(window * 86_400_000_000_000), "ns"))
    pos = matched["pos"].to_numpy()
    result[pos[has_win]] = DORMANT
    result[pos[recent]] = ACTIVE

    if funnel_segments:
        mapping = {str(k): v for k, v in funnel_segments.items()}
        targets = normalise_segment(pd.Series(list(mapping.values()), dtype="str"))
        bad = [v for v, seg in zip(mapping.values(), targets, strict=True) if pd.isna(seg)]
        if bad:
            raise ParameterError(
                "error.parameter", name="funnel_segments", rule="one of new, active, dormant", value=bad[0]
            )
        mapped = column(funnel_col, "str").map(dict(zip(mapping, targets, strict=True)))
        result = np.where(mapped.notna().to_numpy(), mapped.to_numpy(dtype=object), result)

    if segment_col in deals.columns:
        own = normalise_segment(deals[segment_col])
        result = np.where(own.notna().to_numpy(), own.to_numpy(dtype=object), result)

    return pd.Series(result, index=deals.index, dtype="str", name="segment")
