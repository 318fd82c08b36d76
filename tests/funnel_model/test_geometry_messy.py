"""Inference and geometry on messy data give the numbers they gave before their speed-ups.

The expected values in ``geometry_messy.json`` were written by the implementation
before issue 10's speed work (one hash of history ids per call, stage names
encoded per caller, a lexsort of every history). Speed never changes a number:
any difference here is a regression, unless a deliberate change of semantics
rewrites the file (``python tests/funnel_model/test_geometry_messy.py --write``)
and the diff is reviewed.

The cases are what real exports do: stages entered out of order or moved back,
stages no config names, history rows without a stage, a date or a known deal,
repeated rows, repeated deal ids, deals without history, deals without a
funnel, status or loss stage, several funnels sharing stage names; one case is
large enough for the two-thread path.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

if __name__ == "__main__":  # run as a script to rewrite the expected values
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.geometry import deal_depth, funnel_geometry
from funnel_model.inference import infer_config
from funnel_model.schema import conform

EXPECTED = Path(__file__).with_name("geometry_messy.json")
FUNNELS = {
    # name: open stages, won, lost; "S3" is in two funnels
    "main": (["S1", "S2", "S3", "S4", "S5", "S6"], "Won", "Lost"),
    "short": (["X1", "S3", "X2"], "Paid", "Lost"),
    "renewal": (["P1", "P2", "P3", "P4"], "Won", "Dropped"),
}
# A config that knows only part of the data: "short" without X2, no funnel for the funnel-less deals.
GIVEN = FunnelConfig(
    [
        FunnelSpec("main", [StageSpec(s, 0.1 * (i + 1)) for i, s in enumerate(FUNNELS["main"][0])], ["Won"], ["Lost"]),
        FunnelSpec("short", [StageSpec("X1", 0.3), StageSpec("S3", 0.6)], ["Paid"], ["Lost"]),
    ]
)
DAY = pd.Timedelta(days=1)


def messy(
    seed: int,
    n: int,
    *,
    order: str,
    history_ids: str = "str",
    status: bool = True,
    unrecorded: tuple = (),
    objects: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deals of three funnels and their stage history, with what exports get wrong.

    ``order`` is how the history rows are listed: "grouped" (each deal's rows
    together, in time order, as most exports), "terminal last" (closing rows
    appended at the end) or "shuffled". Without ``status`` the deals have no
    status column: the stage names say it. Funnels in ``unrecorded`` have no
    history (their order comes from probabilities or the snapshot). With
    ``objects`` the deals' text columns hold Python objects, as a caller's own
    frame may, and a stage name is a number.
    """
    rng = np.random.default_rng(seed)
    names = list(FUNNELS)
    deal_rows, hist_rows = [], []
    start = pd.Timestamp("2024-01-01")
    for i in range(n):
        funnel = names[rng.choice(3, p=[0.6, 0.3, 0.1])]
        stages, won, lost = FUNNELS[funnel]
        depth = int(rng.integers(1, len(stages) + 1))
        status = rng.choice(["open", "won", "lost"], p=[0.4, 0.25, 0.35])
        created = start + int(rng.integers(0, 400)) * DAY
        stage = {"open": stages[depth - 1], "won": won, "lost": lost}[status]
        lost_stage = stages[depth - 1] if status == "lost" and rng.random() < 0.7 else None
        if rng.random() < 0.03:
            stage = "Mystery"  # a stage no funnel has
        probability = np.nan if funnel == "short" or rng.random() < 0.2 else round(rng.uniform(0.05, 0.95), 2)
        closed = pd.NaT if status == "open" else created + (depth * 7 + int(rng.integers(0, 5))) * DAY
        deal_id = f"D{i}"
        if funnel == "main" and rng.random() < 0.1:
            funnel = None  # a deal without a funnel: the default one
        segment, amount = rng.choice(["new", "active"]), float(rng.integers(1, 100)) * 1000
        deal_rows.append((deal_id, funnel, segment, stage, status, lost_stage, probability, amount, created, closed))
        if rng.random() < 0.15 or funnel in unrecorded:
            continue  # a deal without history
        day = created
        walk = list(stages[:depth])
        if depth > 2 and rng.random() < 0.2:
            walk.insert(depth - 1, walk[0])  # moved back to the first stage, then on
        if depth > 2 and rng.random() < 0.2:
            walk.pop(1)  # skipped a stage
        for s in walk:
            hist_rows.append((deal_id, s, day))
            day += int(rng.integers(0, 9)) * DAY  # ties on the same day happen
        if status != "open":
            hist_rows.append((deal_id, won if status == "won" else lost, day))
        if rng.random() < 0.05:
            hist_rows.append((deal_id, "Ghost", day))  # a stage no deal sits at
        if rng.random() < 0.05:
            hist_rows.append(hist_rows[-1])  # the same row twice
        if rng.random() < 0.03:
            hist_rows.append((deal_id, None, day))  # a row without a stage
        if rng.random() < 0.03:
            hist_rows.append((deal_id, walk[-1], pd.NaT))  # a row without a date
    for j in range(max(n // 20, 2)):
        hist_rows.append((f"Z{j}", FUNNELS["main"][0][j % 6], start))  # a deal not in the file
        hist_rows.append((None, "S2", start))  # a row without a deal
    deal_rows.append(deal_rows[1])  # a deal id twice in the file: its history goes to the first
    deals = conform(
        pd.DataFrame(
            deal_rows,
            columns=[
                "deal_id",
                "funnel",
                "segment",
                "stage",
                "status",
                "lost_stage",
                "probability",
                "amount",
                "created_at",
                "closed_at",
            ],
        )
    )
    if not status:
        deals = deals.drop(columns="status")
    if objects:
        deals = deals.astype({c: object for c in ("funnel", "segment", "stage", "status", "lost_stage")})
        deals["stage"] = deals["stage"].where(deals["stage"] != "S1", 1)
    history = pd.DataFrame(hist_rows, columns=["deal_id", "stage", "entered_at"])
    if order == "terminal last":
        terminal = history["stage"].isin(["Won", "Lost", "Paid", "Dropped"])
        history = pd.concat([history[~terminal], history[terminal]])
    elif order == "shuffled":
        history = history.iloc[rng.permutation(len(history))]
    history = history.reset_index(drop=True).astype({"deal_id": history_ids, "stage": "str"})
    return deals, history.astype({"entered_at": "datetime64[us]"})


CASES = {
    "grouped": dict(seed=1, n=300, order="grouped"),
    "terminal last": dict(seed=2, n=300, order="terminal last"),
    "shuffled": dict(seed=3, n=300, order="shuffled"),
    "object ids": dict(seed=4, n=200, order="shuffled", history_ids="object"),
    "no status column": dict(seed=6, n=200, order="grouped", status=False),
    "funnels without history": dict(seed=7, n=300, order="shuffled", unrecorded=("short", "renewal")),
    "object columns": dict(seed=8, n=300, order="terminal last", objects=True),
    # over 100,000 history rows: the two-thread path
    "large": dict(seed=5, n=32_000, order="terminal last"),
}


def _plain(value):
    """A cell as JSON keeps it exactly: NaN as None, numpy scalars as Python's (floats by repr)."""
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    return None if value is None or value is pd.NA else str(value)


def _table(frame: pd.DataFrame, *, digest: bool) -> dict:
    rows = [[_plain(v) for v in row] for row in frame.itertuples(index=False)]
    out = {"columns": list(frame.columns), "dtypes": [str(t) for t in frame.dtypes]}
    if digest:  # a table per deal: its digest, and its per-column sums to read
        out["sha256"] = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
        out["sums"] = {c: int(frame[c].sum()) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    else:
        out["rows"] = rows
    return out


def results(deals: pd.DataFrame, history: pd.DataFrame) -> dict:
    """Everything the speed-ups touch: the inferred config, deal depths, and geometry with and without one."""
    inferred = infer_config(deals, history)
    depth = deal_depth(deals, None, history).assign(status=lambda d: d["status"].astype(str))
    return {
        "config": inferred.to_dict(),
        "depth": _table(depth, digest=True),
        "given depth": _table(deal_depth(deals, GIVEN, history).astype({"status": str}), digest=True),
        "geometry": _table(funnel_geometry(deals, None, history), digest=False),
        "given geometry": _table(funnel_geometry(deals, GIVEN, history, by=("segment",)), digest=False),
        "snapshot geometry": _table(funnel_geometry(deals, None, None, by=()), digest=False),
    }


def _actual(name: str) -> dict:
    deals, history = messy(**CASES[name])
    return json.loads(json.dumps(results(deals, history)))


@pytest.mark.parametrize("name", list(CASES))
def test_inference_and_geometry_give_the_numbers_they_gave_before(name):
    expected = json.loads(EXPECTED.read_text())[name]
    actual = _actual(name)
    for key in expected:
        assert actual[key] == expected[key], f"{name}: {key}"


def test_the_messy_cases_are_messy():
    deals, history = messy(**CASES["terminal last"])
    ids = set(deals["deal_id"])
    assert deals["deal_id"].duplicated().any() and deals["funnel"].isna().any() and deals["lost_stage"].isna().any()
    assert not set(history["deal_id"].dropna()) >= ids  # deals without history
    assert not set(history["deal_id"].dropna()) <= ids  # history of deals not in the file
    assert history["deal_id"].isna().any() and history["stage"].isna().any() and history["entered_at"].isna().any()
    assert history.duplicated().any() and {"Ghost", "Mystery"} & set(history["stage"].dropna()) == {"Ghost"}
    assert len(messy(**CASES["large"])[1]) > 100_000


if __name__ == "__main__" and "--write" in sys.argv:
    EXPECTED.write_text(json.dumps({name: _actual(name) for name in CASES}, indent=None) + "\n")
