"""Why deals are lost: free-text loss reasons normalised, grouped and ranked (Pareto).

CRM loss reasons are typed by hand: «Дорого», «дорого!» and « Дорого » are
one reason, and so are «Выбрали конкурента» and «Выбрали конкурентов».
Reasons are normalised (case, «ё», spaces, punctuation) and near-duplicates
grouped by similarity (:class:`difflib.SequenceMatcher` ratio; a different
word such as «Дороговато» stays apart); each group is named by its most
frequent spelling, and the grouping is returned so it can be shown.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.schema import LOST

__all__ = ["NO_REASON", "group_reasons", "loss_breakdown", "loss_pareto", "lost_deals", "normalise_reason"]

NO_REASON = ""  # the group of lost deals without a reason
DEFAULT_SIMILARITY = 0.85


def normalise_reason(text: object) -> str:
    """Lower case, «ё» as «е», punctuation dropped, spaces collapsed: «  Дорого!! » → «дорого»."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return NO_REASON
    folded = str(text).casefold().replace("ё", "е")
    kept = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in folded)
    return re.sub(r"\s+", " ", kept).strip()


def group_reasons(reasons: pd.Series, similarity: float = DEFAULT_SIMILARITY) -> pd.DataFrame:
    """Group spellings of one reason together.

    Parameters
    ----------
    reasons : Series
        Raw reasons (one per lost deal); missing and blank → :data:`NO_REASON`.
    similarity : float
        Two normalised reasons whose ``SequenceMatcher`` ratio is at least
        this are one reason. 1 groups only identical normalised texts.

    Returns
    -------
    DataFrame
        One row per raw spelling: ``raw``, ``normalised``, ``group`` (the
        most frequent spelling of the group), ``deals``; most frequent groups
        first.

    Raises
    ------
    ParameterError
        ``similarity`` outside [0, 1].
    """
    if not 0.0 <= float(similarity) <= 1.0:
        raise ParameterError("error.parameter", name="similarity", rule="between 0 and 1", value=similarity)
    raw = reasons.astype("str").str.strip().fillna(NO_REASON)
    counts = raw.value_counts(sort=False).rename("deals").reset_index().rename(columns={raw.name or "index": "raw"})
    counts.columns = ["raw", "deals"]
    counts["normalised"] = counts["raw"].map(normalise_reason)
    per_key = counts.groupby("normalised", sort=False)["deals"].sum().sort_values(ascending=False, kind="stable")
    # most frequent first, so each group is anchored on its commonest wording
    leader: dict[str, str] = {}
    anchors: list[str] = []
    for key in per_key.index:
        if key == NO_REASON:
            leader[key] = NO_REASON
            continue
        match = next(
            (a for a in anchors if difflib.SequenceMatcher(None, key, a, autojunk=False).ratio() >= similarity), None
        )
        if match is None:
            anchors.append(key)
            match = key
        leader[key] = match
    counts["anchor"] = counts["normalised"].map(leader)
    top = counts.sort_values(["deals", "raw"], ascending=[False, True], kind="stable").drop_duplicates("anchor")
    name = dict(zip(top["anchor"], top["raw"], strict=True))
    counts["group"] = counts["anchor"].map(name)
    size = counts.groupby("group")["deals"].transform("sum")
    counts = counts.assign(_size=size).sort_values(["_size", "group", "deals"], ascending=[False, True, False])
    return counts[["raw", "normalised", "group", "deals"]].reset_index(drop=True)


def lost_deals(
    deals: pd.DataFrame,
    similarity: float = DEFAULT_SIMILARITY,
    *,
    status_col: str = "status",
    reason_col: str = "lost_reason",
) -> pd.DataFrame:
    """The lost deals with a ``reason_group`` column (see :func:`group_reasons`)."""
    lost = deals[(deals[status_col].astype("str").str.lower() == LOST).fillna(False).to_numpy(dtype=bool)]
    if reason_col in lost.columns:
        raw = lost[reason_col].astype("str").str.strip().fillna(NO_REASON)
    else:
        raw = pd.Series(NO_REASON, index=lost.index, dtype="str")
    groups = group_reasons(raw, similarity)
    return lost.assign(reason_group=raw.map(dict(zip(groups["raw"], groups["group"], strict=True))))


def loss_pareto(lost: pd.DataFrame, *, amount_col: str = "amount") -> pd.DataFrame:
    """Loss reasons of ``lost`` (from :func:`lost_deals`), most frequent first.

    Returns
    -------
    DataFrame
        ``reason`` (group), ``deals``, ``amount`` (lost amount), ``share``
        (of lost deals), ``cumulative`` (running share: the Pareto line),
        ``amount_share``.
    """
    amount = pd.to_numeric(lost[amount_col], errors="coerce").fillna(0.0)
    frame = pd.DataFrame({"reason": lost["reason_group"].to_numpy(), "amount": amount.to_numpy()})
    out = frame.groupby("reason", sort=False).agg(deals=("amount", "size"), amount=("amount", "sum")).reset_index()
    out = out.sort_values(["deals", "amount", "reason"], ascending=[False, False, True], kind="stable")
    total, money = out["deals"].sum(), out["amount"].sum()
    out["share"] = out["deals"] / total if total else np.nan
    out["cumulative"] = out["share"].cumsum()
    out["amount_share"] = out["amount"] / money if money > 0 else np.nan
    return out.reset_index(drop=True)


def loss_breakdown(lost: pd.DataFrame, by: str, *, amount_col: str = "amount") -> pd.DataFrame:
    """Lost deals and amount per ``by`` value (e.g. ``lost_stage``, ``segment``) and reason group.

    Returns
    -------
    DataFrame
        ``by`` column (missing as ""), ``reason``, ``deals``, ``amount``,
        ``share`` (of that ``by`` value's lost deals); groups by size.
    """
    amount = pd.to_numeric(lost[amount_col], errors="coerce").fillna(0.0)
    frame = pd.DataFrame(
        {
            by: lost[by].astype("str").fillna("").to_numpy() if by in lost.columns else "",
            "reason": lost["reason_group"].to_numpy(),
            "amount": amount.to_numpy(),
        }
    )
    out = frame.groupby([by, "reason"], sort=False).agg(deals=("amount", "size"), amount=("amount", "sum"))
    out = out.reset_index()
    out["share"] = out["deals"] / out.groupby(by)["deals"].transform("sum")
    return out.sort_values([by, "deals"], ascending=[True, False], kind="stable").reset_index(drop=True)
