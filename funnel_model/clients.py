"""The client base month by month: new, active and dormant clients and how they move.

The rule is the one of :func:`funnel_model.segments.derive_segments`, applied
to a client instead of a deal: at an instant ``e`` the client's won deals
closed strictly before ``e`` count; none → ``new`` (the client has a deal
created before ``e`` but never won), the latest at most ``dormancy_days``
before ``e`` → ``active``, older → ``dormant``. A deal's segment is therefore
exactly its client's state at the deal's creation.

A month's state is read at the month's end, i.e. at the first instant of the
next month (every deal and win of the month counted), or at the data's
``as_of`` for the month that contains it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.schema import SEGMENTS, WON
from funnel_model.segments import derive_segments
from funnel_model.stats import wilson_interval

__all__ = [
    "ClientEvents",
    "base_from_events",
    "client_base",
    "client_events",
    "client_states",
    "retention",
    "retention_from_events",
]

NEW, ACTIVE, DORMANT = SEGMENTS
_NS_PER_DAY = 86_400_000_000_000
COUNTS = ("new", "active", "dormant")
FLOWS = ("new_clients", "first_win", "reactivated", "fell_dormant")


def _window(dormancy_days) -> np.timedelta64:
    try:
        window = float(dormancy_days)
    except (TypeError, ValueError):
        window = float("nan")
    if not np.isfinite(window) or window < 0:
        raise ParameterError("error.parameter", name="dormancy_days", rule="a number of days ≥ 0", value=dormancy_days)
    return np.timedelta64(round(window * _NS_PER_DAY), "ns")


@dataclass(frozen=True)
class ClientEvents:
    """Every client's history reduced to what the states need.

    Attributes
    ----------
    wins : DataFrame
        One row per won deal with a client and a date: ``client``, ``when``
        (``closed_at``, else ``created_at``), ``amount``, ``segment`` (the
        deal's segment), ``deal`` (row position in the deal table); sorted by
        client and time.
    first_seen : Series
        Per client, its earliest deal creation or win.
    as_of : Timestamp or NaT
        The last moment counted.
    window : numpy.timedelta64
        The dormancy window.
    without_client : int
        Deals with no client (not part of the client base).
    without_date : int
        Deals of a named client with neither a creation nor a close date.
    """

    wins: pd.DataFrame
    first_seen: pd.Series
    as_of: pd.Timestamp
    window: np.timedelta64
    without_client: int
    without_date: int


def client_events(
    deals: pd.DataFrame,
    dormancy_days: float = 365,
    *,
    as_of=None,
    client_col: str = "client_id",
    created_col: str = "created_at",
    closed_col: str = "closed_at",
    status_col: str = "status",
    amount_col: str = "amount",
    segment_col: str = "segment",
) -> ClientEvents:
    """Reduce the deal table to the clients' first appearance and wins (see :class:`ClientEvents`).

    ``as_of`` defaults to the latest creation or close date; deals created
    and wins closed after it are left out. The deal's segment is taken from
    ``segment_col`` when it is filled (the app's prepared dataset, which may
    carry a funnel → segment choice), else derived with the same window.
    """
    window = _window(dormancy_days)
    n = len(deals)

    def dates(name: str) -> np.ndarray:
        if name not in deals.columns:
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        return pd.to_datetime(deals[name]).to_numpy(dtype="datetime64[ns]")

    if client_col in deals.columns:
        client_s = deals[client_col].astype("str").str.strip().replace("", pd.NA)
    else:
        client_s = pd.Series(pd.NA, index=deals.index, dtype="str")
    has_client = client_s.notna().to_numpy(dtype=bool)
    client = client_s.to_numpy(dtype=object, na_value=None)
    created, closed = dates(created_col), dates(closed_col)
    status = (
        deals[status_col].astype("str").str.lower() if status_col in deals.columns else pd.Series("", index=deals.index)
    )
    won = (status == WON).fillna(False).to_numpy(dtype=bool)
    amount = (
        pd.to_numeric(deals[amount_col], errors="coerce").to_numpy(dtype=float)
        if amount_col in deals.columns
        else np.full(n, np.nan)
    )
    if segment_col in deals.columns and deals[segment_col].notna().all():
        segment = deals[segment_col].astype("str").to_numpy(dtype=object)
    else:
        segment = derive_segments(
            deals,
            dormancy_days,
            client_col=client_col,
            created_col=created_col,
            closed_col=closed_col,
            status_col=status_col,
            segment_col=segment_col,
        ).to_numpy(dtype=object)

    win_at = np.where(np.isnat(closed), created, closed)
    # a win closed before its deal's creation (a CRM typo) still makes the client known from the win on:
    # otherwise the month of that win would count a first win of a client not yet in the base
    seen_at = np.where(np.isnat(created) | (won & (win_at < created)), win_at, created)
    if as_of is None:
        stamps = np.concatenate([created[~np.isnat(created)], closed[~np.isnat(closed)]])
        as_of = pd.Timestamp(stamps.max()) if len(stamps) else pd.NaT
    else:
        as_of = pd.Timestamp(as_of)
    dated = has_client & ~np.isnat(seen_at)
    if pd.notna(as_of):
        dated &= seen_at <= as_of.to_datetime64()
    seen = pd.Series(seen_at[dated], index=pd.Index(client[dated], dtype="str", name="client"))
    first_seen = seen.groupby(level=0, sort=True).min()

    is_win = dated & won & ~np.isnat(win_at)
    if pd.notna(as_of):
        is_win &= win_at <= as_of.to_datetime64()
    wins = pd.DataFrame(
        {
            "client": pd.array(client[is_win], dtype="str"),
            "when": win_at[is_win],
            "amount": amount[is_win],
            "segment": segment[is_win],
            "deal": np.flatnonzero(is_win),
        }
    ).sort_values(["client", "when"], kind="stable", ignore_index=True)
    return ClientEvents(
        wins=wins,
        first_seen=first_seen,
        as_of=as_of,
        window=window,
        without_client=int((~has_client).sum()),
        without_date=int((has_client & np.isnat(seen_at)).sum()),
    )


def _state_at(events: ClientEvents, at) -> pd.DataFrame:
    """Per client seen before ``at``: ``state``, ``last_win``, ``wins`` (strictly before ``at``)."""
    at = np.datetime64(pd.Timestamp(at).to_datetime64(), "ns")
    seen = events.first_seen[events.first_seen.to_numpy() < at]
    before = events.wins[events.wins["when"].to_numpy() < at]
    per = before.groupby("client", sort=True).agg(last_win=("when", "max"), wins=("when", "size"))
    out = pd.DataFrame(index=seen.index)
    out["first_seen"] = seen
    out = out.join(per)
    out["wins"] = out["wins"].fillna(0).astype(int)
    gap = at - out["last_win"].to_numpy(dtype="datetime64[ns]")
    state = np.where(np.isnat(gap), NEW, np.where(gap <= events.window, ACTIVE, DORMANT))
    out.insert(0, "state", state)
    return out


def client_states(
    deals: pd.DataFrame,
    at,
    dormancy_days: float = 365,
    **columns: str,
) -> pd.DataFrame:
    """Every client's state at the instant ``at`` (wins strictly before it count).

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table.
    at : datetime-like
        The instant. A deal created exactly at ``at`` gets the segment this
        state names (:func:`derive_segments`).
    dormancy_days : float
        Dormancy window; a gap of exactly this many days is still active.
    **columns
        Column names as in :func:`client_events`.

    Returns
    -------
    DataFrame
        Indexed by client (those with a deal or win strictly before ``at``;
        a client whose first deal is created at ``at`` is a prospect not yet
        listed):
        ``state`` ("new", "active", "dormant"), ``first_seen``, ``last_win``
        (NaT for new clients), ``wins`` (won deals before ``at``).
    """
    return _state_at(client_events(deals, dormancy_days, **columns), at)


def _win_kinds(events: ClientEvents) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per win (rows of ``events.wins``): the client's first win; a reactivation (more than the
    window after the previous win); the last win before the client falls dormant (at win + window)."""
    client = events.wins["client"].to_numpy(dtype=object)
    when = events.wins["when"].to_numpy(dtype="datetime64[ns]")
    if not len(client):
        return (np.zeros(0, dtype=bool),) * 3
    same_prev = np.r_[False, client[1:] == client[:-1]]
    same_next = np.r_[client[1:] == client[:-1], False]
    prev_gap = when - np.r_[np.datetime64("NaT", "ns"), when[:-1]]
    next_gap = np.r_[when[1:], np.datetime64("NaT", "ns")] - when
    return ~same_prev, same_prev & (prev_gap > events.window), ~same_next | (next_gap > events.window)


def _month_ends(events: ClientEvents) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """First day of each month and the instant its state is read (exclusive end)."""
    if not len(events.first_seen) or pd.isna(events.as_of):
        return pd.DatetimeIndex([]), np.array([], dtype="datetime64[ns]")
    start = events.first_seen.min().to_period("M").to_timestamp()
    months = pd.date_range(start, events.as_of.to_period("M").to_timestamp(), freq="MS")
    ends = (months + pd.offsets.MonthBegin(1)).to_numpy(dtype="datetime64[ns]")
    # the current month is read at as_of: all that is known, nothing that has not happened yet
    ends[-1] = min(ends[-1], (events.as_of + pd.Timedelta(1, "ns")).to_datetime64())
    return months, ends


def client_base(
    deals: pd.DataFrame,
    dormancy_days: float = 365,
    *,
    as_of=None,
    client_col: str = "client_id",
    created_col: str = "created_at",
    closed_col: str = "closed_at",
    status_col: str = "status",
    amount_col: str = "amount",
    segment_col: str = "segment",
) -> pd.DataFrame:
    """The client base at each month's end and the month's moves between states.

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table.
    dormancy_days : float, default 365
        Dormancy window in days (the segments' window). A client whose last
        win is exactly ``dormancy_days`` old is still active.
    as_of : datetime-like, optional
        The last moment counted; default the latest creation or close date.
        The last row is that month, read at ``as_of``.
    client_col, created_col, closed_col, status_col, amount_col, segment_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per calendar month from the first client's first deal to
        ``as_of``:

        - ``month`` (first day), ``end`` (the instant the state is read:
          first instant of the next month, or just after ``as_of``);
        - ``new``, ``active``, ``dormant``, ``clients``: clients in each state
          then (a win counts from its close; a client counts from its first
          deal's creation);
        - flows of the month: ``new_clients`` (first deal), ``first_win``
          (new → active), ``reactivated`` (dormant → active: a win more than
          the window after the previous one), ``fell_dormant`` (active →
          dormant: the window after a win ran out with no new win); so
          ``active`` = previous + ``first_win`` + ``reactivated`` −
          ``fell_dormant``, and likewise for the others;
        - ``wins`` (won deals closed in the month) and ``revenue_new``,
          ``revenue_active``, ``revenue_dormant``, ``revenue``: their amount
          by the deal's segment.

        ``attrs`` hold ``without_client`` and ``without_date``: the deals
        left out of the client base, by reason.

    Raises
    ------
    ParameterError
        ``dormancy_days`` is negative or not a number.
    """
    events = client_events(
        deals,
        dormancy_days,
        as_of=as_of,
        client_col=client_col,
        created_col=created_col,
        closed_col=closed_col,
        status_col=status_col,
        amount_col=amount_col,
        segment_col=segment_col,
    )
    return base_from_events(events)


def base_from_events(events: ClientEvents) -> pd.DataFrame:
    """:func:`client_base` of events already reduced by :func:`client_events` (to share them between views)."""
    months, ends = _month_ends(events)
    m = len(months)
    out = pd.DataFrame({"month": months, "end": pd.DatetimeIndex(ends)})

    def binned(instants: np.ndarray, weights=None) -> np.ndarray:
        """Per month, the events at ``instants`` with end[M-1] <= t < end[M] (later ones dropped)."""
        idx = np.searchsorted(ends, np.asarray(instants, dtype="datetime64[ns]"), side="right")
        keep = idx < m
        return np.bincount(idx[keep], weights=None if weights is None else np.asarray(weights)[keep], minlength=m)

    wins = events.wins
    when = wins["when"].to_numpy(dtype="datetime64[ns]")
    first, reactivated, falls = _win_kinds(events)
    flows = {
        "new_clients": binned(events.first_seen.to_numpy(dtype="datetime64[ns]")),
        "first_win": binned(when[first]),
        "reactivated": binned(when[reactivated]),
        "fell_dormant": binned(when[falls] + events.window),
    }
    new = np.cumsum(flows["new_clients"] - flows["first_win"])
    active = np.cumsum(flows["first_win"] + flows["reactivated"] - flows["fell_dormant"])
    dormant = np.cumsum(flows["fell_dormant"] - flows["reactivated"])
    out["new"], out["active"], out["dormant"] = new.astype(int), active.astype(int), dormant.astype(int)
    out["clients"] = out["new"] + out["active"] + out["dormant"]
    for name in FLOWS:
        out[name] = flows[name].astype(int)
    out["wins"] = binned(when).astype(int)
    amount = np.nan_to_num(wins["amount"].to_numpy(dtype=float))
    segment = wins["segment"].to_numpy(dtype=object)
    for seg in SEGMENTS:
        out[f"revenue_{seg}"] = binned(when, np.where(segment == seg, amount, 0.0)).astype(float)
    out["revenue"] = binned(when, amount).astype(float)
    out.attrs.update(without_client=events.without_client, without_date=events.without_date)
    return out


def retention(
    deals: pd.DataFrame,
    dormancy_days: float = 365,
    *,
    as_of=None,
    year_days: float = 365,
    level: float = 0.95,
    **columns: str,
) -> pd.DataFrame:
    """Retention figures: the share of each state's clients who bought again, with Wilson intervals.

    - ``active_kept``: of the clients active ``dormancy_days`` before
      ``as_of``, the share who won a deal since (bought again within the
      window, so stayed active);
    - ``dormant_reactivated``: of the clients dormant at some time in the
      last ``year_days`` (dormant at its start, or fallen dormant during
      it), the share reactivated in that year;
    - ``new_won``: of the prospects of the last ``year_days`` (new at its
      start, or with a first deal during it), the share who won their first
      deal in that year.

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table.
    dormancy_days, as_of
        As in :func:`client_base`.
    year_days : float
        Follow-up of the dormant and new cohorts.
    level : float
        Coverage of the Wilson intervals.
    **columns
        Column names as in :func:`client_events`.

    Returns
    -------
    DataFrame
        One row per cohort: ``cohort`` (the state), ``measure``, ``start``,
        ``end``, ``days`` (follow-up), ``clients``, ``moved`` (bought
        again), ``rate``, ``low``, ``high`` (Wilson; NaN for an empty cohort,
        e.g. when the data is shorter than the follow-up), ``revenue`` (the
        movers' won amount in the follow-up).

    Raises
    ------
    ParameterError
        A negative window or follow-up, or a level outside (0, 1).

    Notes
    -----
    Clients who entered the dormant or new cohort late in the year had less
    time to move, so those two shares understate a full year's chance.
    """
    return retention_from_events(client_events(deals, dormancy_days, as_of=as_of, **columns), year_days, level)


def retention_from_events(events: ClientEvents, year_days: float = 365, level: float = 0.95) -> pd.DataFrame:
    """:func:`retention` of events already reduced by :func:`client_events`."""
    year = _window(year_days)
    wins = events.wins
    when = wins["when"].to_numpy(dtype="datetime64[ns]")
    names = events.first_seen.index
    code = names.get_indexer(wins["client"])  # integer clients: set algebra on 100,000 deals stays fast
    amount = np.nan_to_num(wins["amount"].to_numpy(dtype=float))
    first, reactivated, falls = _win_kinds(events)
    first_seen_at = events.first_seen.min() if len(events.first_seen) else pd.NaT
    rows = []
    for state, measure, horizon in (
        (ACTIVE, "active_kept", events.window),
        (DORMANT, "dormant_reactivated", year),
        (NEW, "new_won", year),
    ):
        end = events.as_of
        start = end - pd.Timedelta(horizon) if pd.notna(end) else pd.NaT
        n = k = 0
        revenue = 0.0
        # a cohort taken before the first deal would be empty, not "nobody came back"
        if pd.notna(start) and start > first_seen_at:
            s64 = start.to_datetime64()
            at_start = _state_at(events, start)
            cohort = np.zeros(len(names), dtype=bool)
            cohort[names.get_indexer(at_start.index[at_start["state"].to_numpy() == state])] = True
            in_year = when >= s64
            if state == ACTIVE:
                moves = in_year
            elif state == DORMANT:
                fall_at = when + events.window
                cohort[code[falls & (fall_at >= s64) & (fall_at <= end.to_datetime64())]] = True
                moves = reactivated & in_year
            else:
                cohort |= events.first_seen.to_numpy() >= s64
                moves = first & in_year
            moved = np.zeros(len(names), dtype=bool)
            moved[code[moves]] = True
            moved &= cohort
            n, k = int(cohort.sum()), int(moved.sum())
            revenue = float(amount[in_year & moved[code]].sum())
        rows.append((state, measure, start, end, horizon / np.timedelta64(1, "D"), n, k, revenue))
    out = pd.DataFrame(rows, columns=["cohort", "measure", "start", "end", "days", "clients", "moved", "revenue"])
    n, k = out["clients"].to_numpy(), out["moved"].to_numpy()
    out["rate"] = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    out["low"], out["high"] = wilson_interval(k, n, level)
    return out[["cohort", "measure", "start", "end", "days", "clients", "moved", "rate", "low", "high", "revenue"]]
