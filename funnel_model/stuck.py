"""Stuck and overdue deals: open deals that have sat in their stage longer than deals usually do.

A deal is *stuck* when its time in its current stage exceeds the stage's
usual limit: the ``quantile`` (90th percentile by default) of the time deals
spend there. With stage history, both come from it: the open deal's time
since it entered its current stage, against completed stays in that stage.
Without history only ages are known: the deal's age since creation, against
the ages of the deals that ended up at that stage (open there now, or lost
there). A deal is *overdue* when its expected close date has passed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.schema import LOST, OPEN

__all__ = ["at_risk_by_owner", "stuck_deals", "usual_stage_days"]

_DAY = 86400.0


def _days(delta: pd.Series) -> pd.Series:
    return delta.dt.total_seconds() / _DAY


def _as_of(deals: pd.DataFrame, as_of) -> pd.Timestamp:
    if as_of is not None:
        return pd.Timestamp(as_of)
    stamps = pd.concat([deals["created_at"], deals["closed_at"]]).dropna()
    return stamps.max() if len(stamps) else pd.NaT


def _stays(deals: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """One row per stage entry in history: deal, funnel, stage, entered, days (NaN when the stay is still on)."""
    info = deals.drop_duplicates("deal_id")
    n = len(info)
    # deals and history entries as integer codes of one factorisation (the deals' ids first: codes 0..n-1), so
    # matching, sorting and looking up are array operations (string lookups cost a second at 100,000 deals)
    codes, _ = pd.factorize(pd.concat([info["deal_id"], history["deal_id"]], ignore_index=True))
    code = codes[n:]
    kept = np.flatnonzero((code >= 0) & (code < n))
    entered_all = history["entered_at"].to_numpy(dtype="datetime64[ns]")
    order = kept[np.lexsort((entered_all[kept], code[kept]))]  # by deal, then entry time; ties in the file's order
    at = code[order]
    same_next = np.r_[at[1:] == at[:-1], False]
    entered = entered_all[order]
    closed = info["closed_at"].to_numpy(dtype="datetime64[ns]")[at]
    ended = np.where(same_next, np.r_[entered[1:], np.datetime64("NaT", "ns")], closed)
    # a closed deal's entry into its final (won / lost) stage is no stay (stages compared as codes too)
    stage = history["stage"].astype("str")
    stage_codes, _ = pd.factorize(pd.concat([info["stage"].astype("str"), stage], ignore_index=True))
    own = stage_codes[:n][at]
    final = (info["status"].astype("str") != OPEN).to_numpy()[at] & (own >= 0) & (stage_codes[n:][order] == own)
    order, at, entered, ended = order[~final], at[~final], entered[~final], ended[~final]
    return pd.DataFrame(
        {
            "deal_id": history["deal_id"].array.take(order),
            "funnel": info["funnel"].astype("str").fillna("").array.take(at),
            "stage": stage.array.take(order),
            "entered": entered,
            "days": (ended - entered) / np.timedelta64(1, "s") / _DAY,
        }
    )


def usual_stage_days(
    deals: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    as_of=None,
    quantile: float = 0.9,
    min_count: int = 5,
) -> pd.DataFrame:
    """The usual limit of time in each stage: the ``quantile`` of the stays (see module).

    Returns
    -------
    DataFrame
        ``funnel``, ``stage``, ``stays`` (how many stays it is taken from),
        ``usual_days`` (NaN below ``min_count`` stays), ``basis``
        ("history" or "age").
    """
    if not 0.0 < float(quantile) < 1.0:
        raise ParameterError("error.parameter", name="quantile", rule="between 0 and 1 (exclusive)", value=quantile)
    if history is not None and len(history):
        stays = _stays(deals, history).dropna(subset=["days"])
        frame, basis = stays[["funnel", "stage", "days"]], "history"
    else:
        as_of = _as_of(deals, as_of)
        status = deals["status"].astype("str").str.lower()
        is_open = (status == OPEN).to_numpy(dtype=bool)
        is_lost = (status == LOST).to_numpy(dtype=bool)
        end = deals["closed_at"].where(~is_open, as_of)
        stage = deals["stage"].astype("str").where(is_open, deals["lost_stage"].astype("str"))
        frame = pd.DataFrame(
            {
                "funnel": deals["funnel"].astype("str").fillna("").to_numpy(),
                "stage": stage.to_numpy(),
                "days": _days(end - deals["created_at"]).to_numpy(),
            }
        )[is_open | is_lost].dropna()
        basis = "age"
    out = frame.groupby(["funnel", "stage"]).agg(
        stays=("days", "size"), usual_days=("days", lambda d: d.quantile(quantile))
    )
    out = out.reset_index()
    out["usual_days"] = out["usual_days"].where(out["stays"] >= min_count)
    out["basis"] = basis
    return out


def stuck_deals(
    deals: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    as_of=None,
    quantile: float = 0.9,
    min_count: int = 5,
) -> pd.DataFrame:
    """Open deals that are stuck in their stage or past their expected close date.

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table.
    history : DataFrame, optional
        Stage history; without it the deals' ages are used (see module).
    as_of : datetime-like, optional
        Today; default the latest creation or close date.
    quantile : float
        The share of stays that counts as usual (0.9: longer than 90 % of
        stays is stuck).
    min_count : int
        Stays a stage needs for its limit; with fewer no deal there is
        called stuck.

    Returns
    -------
    DataFrame
        One row per open deal that is stuck or overdue, largest amount
        first: ``deal_id``, ``client_id``, ``owner``, ``funnel``, ``stage``,
        ``amount``, ``days_in_stage`` (from history, else the age),
        ``usual_days``, ``stuck``, ``expected_close_at``, ``days_overdue``,
        ``overdue``. ``attrs["basis"]`` is "history" or "age";
        ``attrs["open"]`` the open deals looked at.
    """
    as_of = _as_of(deals, as_of)
    usual = usual_stage_days(deals, history, as_of=as_of, quantile=quantile, min_count=min_count)
    basis = usual["basis"].iloc[0] if len(usual) else ("history" if history is not None and len(history) else "age")
    is_open = (deals["status"].astype("str").str.lower() == OPEN).to_numpy(dtype=bool)
    open_deals = deals[is_open]
    age = _days(as_of - open_deals["created_at"])
    if basis == "history":
        stays = _stays(open_deals, history)
        # the current stay: the latest entry of the deal's current stage
        current = stays[
            stays["stage"].to_numpy()
            == open_deals.set_index("deal_id")["stage"].astype("str").reindex(stays["deal_id"]).to_numpy()
        ]
        entered = current.groupby("deal_id")["entered"].max()
        # looked up by reindexing: ``map`` of no open deals on no entries failed on the empty datetime mapper
        since = _days(as_of - pd.Series(entered.reindex(open_deals["deal_id"]).to_numpy(), index=open_deals.index))
        in_stage = since.fillna(age)  # a deal without a history entry for its stage: its age, as without history
    else:
        in_stage = age
    out = pd.DataFrame(
        {
            "deal_id": open_deals["deal_id"],
            "client_id": open_deals["client_id"],
            "owner": open_deals["owner"],
            "funnel": open_deals["funnel"].astype("str").fillna(""),
            "stage": open_deals["stage"].astype("str"),
            "amount": open_deals["amount"],
            "days_in_stage": in_stage.to_numpy(),
        }
    )
    limit = usual.set_index(["funnel", "stage"])["usual_days"]
    out["usual_days"] = limit.reindex(pd.MultiIndex.from_frame(out[["funnel", "stage"]])).to_numpy()
    out["stuck"] = (out["days_in_stage"] > out["usual_days"]).fillna(False).astype(bool)
    out["expected_close_at"] = open_deals["expected_close_at"]
    out["days_overdue"] = _days(as_of - out["expected_close_at"]).where(lambda d: d > 0)
    out["overdue"] = out["days_overdue"].notna()
    out = out[out["stuck"] | out["overdue"]].sort_values("amount", ascending=False, kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update(basis=basis, open=int(is_open.sum()))
    return out


def at_risk_by_owner(stuck: pd.DataFrame) -> pd.DataFrame:
    """Per seller: stuck, overdue and flagged deals and the amount at risk (flagged deals' amount), largest first."""
    frame = stuck.assign(owner=stuck["owner"].astype("str").fillna(""), flagged=1)
    out = frame.groupby("owner").agg(
        deals=("flagged", "sum"), stuck=("stuck", "sum"), overdue=("overdue", "sum"), amount=("amount", "sum")
    )
    return out.reset_index().sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)
