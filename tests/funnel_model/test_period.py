"""The plan for a period: revenue against a direct simulation of the close-time model, backtest on a known case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from funnel_model.errors import ParameterError
from funnel_model.period import (
    MONTH_DAYS,
    Period,
    as_known_on,
    backtest,
    compare_periods,
    compound_poisson,
    forecast_categories,
    new_lead_wins,
    period_bounds,
    period_breakdown,
    period_forecast,
    period_shares,
    recent_change,
    risky_deals,
    shifted_period,
    won_in,
)
from funnel_model.survival import aalen_johansen

AS_OF = pd.Timestamp("2025-03-10 15:00")


def _history(n: int = 400, seed: int = 1):
    """Closed and censored deals with spread-out (non-integer) ages: the timing the model learns."""
    rng = np.random.default_rng(seed)
    ages = rng.gamma(2.0, 20.0, n) + rng.random(n) / 7
    events = rng.choice(["won", "lost", "open"], size=n, p=[0.35, 0.5, 0.15])
    return aalen_johansen(ages, events)


def _pipeline(n: int = 60, seed: int = 2):
    rng = np.random.default_rng(seed)
    amounts = rng.choice([50_000.0, 120_000.0, 300_000.0, 900_000.0], n)
    p = rng.uniform(0.05, 0.95, n)
    created = AS_OF - pd.to_timedelta(rng.uniform(0, 90, n), unit="D")
    return amounts, p, pd.Series(created)


def _simulate(
    amounts, p, created, cif, period, inflow, sizes, already=0.0, expected=None, draws=40_000, seed=7, cycle=1.0
):
    """Draw each deal's outcome and win time, and the new leads, straight from the close-time model.

    ``cycle`` multiplies every time still to come: an open deal's remaining time, a new lead's whole time.
    """
    rng = np.random.default_rng(seed)
    jumps = np.diff(np.concatenate([[0.0], cif.won]))
    s = max((period.start - AS_OF) / pd.Timedelta(days=1), 0.0)
    e = max((period.stop - AS_OF) / pd.Timedelta(days=1), 0.0)
    total = np.full(draws, float(already))
    ages = ((AS_OF - created) / pd.Timedelta(days=1)).to_numpy(float)
    for i, (a, age) in enumerate(zip(amounts, ages, strict=True)):
        won = rng.random(draws) < p[i]
        if expected is not None and not pd.isna(expected[i]) and expected[i] >= AS_OF.normalize():
            inside = period.start <= expected[i] < period.stop
            total += a * won * inside
            continue
        later = cif.times > age
        w = jumps[later]
        if w.sum() <= 0:
            continue
        t = cif.times[later][rng.choice(len(w), size=draws, p=w / w.sum())] - age  # days after the as-of date
        t = t * cycle
        total += a * (won & (t > s) & (t <= e))
    # new leads: a Poisson stream over [s, e], each won at its own time from the unconditional incidence
    leads = rng.poisson(inflow / MONTH_DAYS * (e - s), draws)
    owner = np.repeat(np.arange(draws), leads)
    c = rng.uniform(s, e, len(owner))
    final = cif.won[-1]
    ever = rng.random(len(owner)) < final
    t = cif.times[rng.choice(len(jumps), size=len(owner), p=jumps / jumps.sum())] * cycle
    hit = ever & (c + t <= e)
    total += np.bincount(owner[hit], weights=rng.choice(sizes, size=hit.sum()), minlength=draws)
    return total


def _check_against(forecast, sim, plan):
    d = forecast.distribution
    n = len(sim)
    assert d.mean == pytest.approx(sim.mean(), abs=4 * sim.std() / math.sqrt(n) + 1e-6)
    for q in (0.1, 0.5, 0.9):
        x = d.quantile(q)
        se = math.sqrt(q * (1 - q) / n)
        # the model's quantile, widened by its stated error, holds the simulated share q within 4 SE
        assert (sim <= x + d.error).mean() >= q - 4 * se
        assert (sim < x - d.error).mean() <= q + 4 * se
    share = (sim >= plan).mean()
    near = ((sim >= plan - d.error) & (sim < plan + d.error)).mean()
    assert abs(forecast.summary(plan)["p_plan"] - share) <= 4 * math.sqrt(share * (1 - share) / n) + near + 1e-3


@pytest.mark.parametrize(
    ("kind", "inflow", "already"),
    [("this_month", 40.0, 250_000.0), ("next_month", 25.0, 0.0), ("this_quarter", 60.0, 0.0), ("this_month", 0.0, 0.0)],
)
def test_period_revenue_against_direct_simulation(kind, inflow, already):
    cif = _history()
    amounts, p, created = _pipeline()
    period = period_bounds(kind, AS_OF)
    sizes = np.array([80_000.0, 150_000.0, 400_000.0])
    f = period_forecast(
        amounts,
        p,
        created,
        cif,
        as_of=AS_OF,
        period=period,
        inflow_per_month=inflow,
        won_sizes=sizes,
        already=already,
    )
    sim = _simulate(amounts, p, created, cif, period, inflow, sizes, already)
    median = float(np.median(sim))
    _check_against(f, sim, median)
    _check_against(f, sim, float(np.quantile(sim, 0.8)))
    # later + in the period + before the period: every deal's expected revenue a·p once
    assert f.later + f.before + float(amounts @ f.within) == pytest.approx(float(amounts @ p))
    assert (f.before > 0) == (kind == "next_month")


@pytest.mark.parametrize(("kind", "cycle"), [("this_month", 0.7), ("this_quarter", 1.4), ("next_month", 0.5)])
def test_a_shorter_or_longer_cycle_against_simulation_and_the_rescaled_history(kind, cycle):
    cif = _history()
    amounts, p, created = _pipeline()
    period = period_bounds(kind, AS_OF)
    sizes = np.array([80_000.0, 150_000.0, 400_000.0])
    common = {"as_of": AS_OF, "period": period, "inflow_per_month": 30.0, "won_sizes": sizes}
    f = period_forecast(amounts, p, created, cif, cycle_factor=cycle, new_cycle_factor=cycle, **common)
    sim = _simulate(amounts, p, created, cif, period, 30.0, sizes, cycle=cycle)
    _check_against(f, sim, float(np.median(sim)))
    # the definition: every close time of the history and every open deal's age multiplied by the factor
    scaled = type(cif)(cif.times * cycle, cif.won, cif.lost, cif.survival)
    older = AS_OF - (AS_OF - created) * cycle
    g = period_forecast(amounts, p, older, scaled, **common)
    assert f.distribution.mean == pytest.approx(g.distribution.mean, rel=1e-9)
    assert np.allclose(f.within, g.within)
    assert f.new_wins == pytest.approx(g.new_wins, rel=1e-9)
    plain = period_forecast(amounts, p, created, cif, **common)
    # a shorter cycle brings more into a period that starts today, a longer one less
    if period.start <= AS_OF:
        assert (f.distribution.mean > plain.distribution.mean) == (cycle < 1)
    # the win probabilities do not change: before + within + later is still each deal's a·p
    assert f.later + f.before + float(amounts @ f.within) == pytest.approx(float(amounts @ p))


def test_a_cycle_factor_moves_the_sellers_expected_dates_too():
    cif = _history()
    period = period_bounds("this_month", AS_OF)  # 2025-03-01 .. 2025-03-31
    expected = pd.Series(pd.to_datetime(["2025-04-09", "2025-03-20", None]))
    created = pd.Series([AS_OF - pd.Timedelta(days=10)] * 3)
    shares = period_shares(created, cif, as_of=AS_OF, period=period, expected_close_at=expected, cycle_factor=0.5)
    # 30 days to the 9th of April halve to 15: inside March; 10 days to the 20th halve to 5: still inside
    assert shares["within"].tolist()[:2] == [1.0, 1.0]
    assert shares["by_date"].tolist() == [True, True, False]
    with pytest.raises(ParameterError):
        period_shares(created, cif, as_of=AS_OF, period=period, cycle_factor=0.0)


def test_expected_close_dates_place_deals_against_simulation():
    cif = _history()
    amounts, p, created = _pipeline(40)
    period = period_bounds("this_month", AS_OF)
    rng = np.random.default_rng(3)
    days = rng.integers(-5, 60, len(amounts)).astype(float)
    days[::5] = np.nan  # no date: the history's timing
    expected = pd.Series(AS_OF.normalize() + pd.to_timedelta(days, unit="D"))
    f = period_forecast(amounts, p, created, cif, as_of=AS_OF, period=period, expected_close_at=expected)
    shares = f.shares
    dated = expected.notna() & (expected >= AS_OF.normalize())
    assert shares["by_date"].tolist() == dated.tolist()
    in_march = dated & (expected <= pd.Timestamp("2025-03-31"))
    assert (shares.loc[in_march, "within"] == 1).all() and (shares.loc[dated & ~in_march, "later"] == 1).all()
    sim = _simulate(amounts, p, created, cif, period, 0.0, [1.0], expected=expected.to_numpy())
    _check_against(f, sim, float(np.median(sim)))


def test_period_shares_hand_case():
    # wins come at age 10 or 40 in equal measure; losses at 20
    cif = aalen_johansen([10, 20, 40, 20], ["won", "lost", "won", "lost"])
    period = Period(pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
    as_of = pd.Timestamp("2025-03-25")
    created = pd.Series(pd.to_datetime(["2025-03-20", "2025-03-01", "2024-01-01"]))
    sh = period_shares(created, cif, as_of=as_of, period=period)
    # deal 1 (age 5): age 10 on 30 March (before), age 40 on 29 April (in April): half each
    # deal 2 (age 24): only the age-40 win remains, on 10 April; deal 3 (older than every close): later
    np.testing.assert_allclose(sh["before"], [0.5, 0, 0])
    np.testing.assert_allclose(sh["within"], [0.5, 1, 0])
    np.testing.assert_allclose(sh["later"], [0, 0, 1])


def test_new_lead_wins_hand_case():
    # every lead is won at age 10 with probability 1/2
    cif = aalen_johansen([10, 10], ["won", "lost"])
    period = Period(pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
    lam = new_lead_wins(cif, as_of="2025-04-01", period=period, inflow_per_month=MONTH_DAYS)
    # one lead a day for 30 days; the first 20 have 10 days to close: 20 · 1/2
    assert lam == pytest.approx(10.0)
    # from the 21 April on, 10 days are left: no lead created then is won in time
    assert new_lead_wins(cif, as_of="2025-04-21", period=period, inflow_per_month=MONTH_DAYS) == pytest.approx(0.0)
    with pytest.raises(ParameterError):
        new_lead_wins(cif, as_of="2025-04-01", period=period, inflow_per_month=-1.0)


def _compound_cdf(lam, sizes):
    """Exact P(S ≤ x) at every atom x for two equally likely sizes: P(S = u i + v j) = Pois(i; λ/2) Pois(j; λ/2)."""
    pmf: dict[float, float] = {}
    for i in range(40):
        for j in range(40):
            x = sizes[0] * i + sizes[1] * j
            pmf[x] = pmf.get(x, 0.0) + stats.poisson.pmf(i, lam / 2) * stats.poisson.pmf(j, lam / 2)
    xs = np.array(sorted(pmf))
    return xs, np.cumsum([pmf[x] for x in xs])


def test_compound_poisson_against_exact_enumeration():
    lam, sizes = 1.7, np.array([100.0, 250.0])
    d = compound_poisson(lam, sizes)
    xs, cdf = _compound_cdf(lam, sizes)
    assert d.step == 50
    assert d.mean == pytest.approx(lam * 175.0)
    assert d.std == pytest.approx(math.sqrt(lam * (100**2 + 250**2) / 2))
    for x, c in zip(xs[:30], cdf[:30], strict=True):
        assert 1 - d.prob_at_least(x + 1) == pytest.approx(c, abs=1e-9)
    assert compound_poisson(0.0, sizes).method == "point"


def test_compound_poisson_off_the_grid_keeps_within_its_stated_error():
    lam, sizes = 3.2, np.array([103.7, 251.3])
    d = compound_poisson(lam, sizes, points=512)
    xs, cdf = _compound_cdf(lam, sizes)
    assert d.mean == pytest.approx(lam * sizes.mean())
    # quantiles halfway between the exact cdf's steps (an atom each): the lattice's within its stated error
    for k in range(1, 25):
        q = (cdf[k - 1] + cdf[k]) / 2
        assert d.quantile(q) == pytest.approx(xs[k], abs=d.error)


def test_period_bounds_and_shifts():
    as_of = pd.Timestamp("2026-02-14 10:00")
    assert period_bounds("this_month", as_of).to_json() == {
        "kind": "this_month",
        "start": "2026-02-01",
        "end": "2026-02-28",
    }
    assert period_bounds("next_month", as_of).end == pd.Timestamp("2026-03-31")
    q = period_bounds("this_quarter", as_of)
    assert (q.start, q.end) == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-31"))
    assert period_bounds("this_year", as_of).end == pd.Timestamp("2026-12-31")
    prev = shifted_period(q, "previous")
    assert (prev.start, prev.end) == (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-12-31"))
    ago = shifted_period(period_bounds("this_month", as_of), "year_ago")
    assert (ago.start, ago.end) == (pd.Timestamp("2025-02-01"), pd.Timestamp("2025-02-28"))
    custom = period_bounds("custom", as_of, "2026-02-10", "2026-02-19")
    assert shifted_period(custom, "previous").start == pd.Timestamp("2026-01-31")
    with pytest.raises(ParameterError):
        period_bounds("custom", as_of, "2026-03-01", "2026-02-01")
    with pytest.raises(ParameterError):
        period_bounds("fortnight", as_of)


def _monthly_deals(lost_created: str = "2025-06-25"):
    """One deal of 100 created on the 25th of each month (noon) and closed 10 days later: won, but one lost."""
    created = pd.DatetimeIndex([pd.Timestamp(f"2025-{m:02d}-25 12:00") for m in range(1, 10)])
    closed = created + pd.Timedelta(days=10)
    status = np.where(created == pd.Timestamp(f"{lost_created} 12:00"), "lost", "won")
    deals = pd.DataFrame(
        {
            "deal_id": [f"d{i}" for i in range(len(created))],
            "status": status,
            "amount": 100.0,
            "created_at": created,
            "closed_at": closed,
        }
    )
    # the last deal is still open on the data's last day
    deals.loc[len(deals)] = ["d9", "open", 100.0, pd.Timestamp("2025-10-10 12:00"), pd.NaT]
    return deals


def test_as_known_on_reopens_deals_closed_later():
    deals = _monthly_deals()
    known = as_known_on(deals, "2025-04-01")
    assert known["deal_id"].tolist() == ["d0", "d1", "d2"]
    assert known["status"].tolist() == ["won", "won", "open"]
    assert pd.isna(known["closed_at"].iloc[-1])
    assert won_in(deals, "2025-04-01", "2025-05-01") == 100.0


def test_backtest_on_a_case_with_a_known_answer():
    deals = _monthly_deals()
    bt = backtest(deals, as_of="2025-10-15", months=6, inflow_months=12)
    assert bt["month"].dt.month.tolist() == [4, 5, 6, 7, 8, 9]
    # on the 1st of month M the deal of 25 (M−1) is open, 6.5 days old; every past deal closed at age 10,
    # a share w of them won: it is won on the 4th/5th with probability w (sure while w = 1).
    # New leads: M−1 deals in the past 12 months → (M−1)/12 a month, won at age 10 with probability w:
    # λ = (M−1)/12 / 30.4375 · (days in M − 10) · w
    won_share = {4: 1, 5: 1, 6: 1, 7: 1, 8: 5 / 6, 9: 6 / 7}
    days = {4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30}
    for row in bt.itertuples():
        m = row.month.month
        w = won_share[m]
        lam = (m - 1) / 12 / MONTH_DAYS * (days[m] - 10) * w
        assert row.mean == pytest.approx(100 * w + 100 * lam)
    # actual: 100 each month but July (the June deal was lost on 5 July)
    assert bt["actual"].tolist() == [100, 100, 100, 0, 100, 100]
    # while every deal was won, the open one was sure: P10 = 100, and July's 0 falls outside the band
    assert bt.loc[:3, "low"].to_numpy() == pytest.approx(100, abs=1)
    assert bt["inside"].tolist() == [True, True, True, False, True, True]


def test_breakdown_risky_deals_and_categories():
    open_deals = pd.DataFrame(
        {
            "deal_id": ["a", "b", "c", "d"],
            "owner": ["Ann", "Bob", "Ann", None],
            "amount": [1000.0, 500.0, 4000.0, 100.0],
        }
    )
    q = np.array([0.9, 0.5, 0.2, 0.0])
    by = period_breakdown(open_deals, q, "owner")
    assert by["owner"].tolist() == ["Ann", "Bob", "—"]
    np.testing.assert_allclose(by["expected"], [900 + 800, 250, 0])
    np.testing.assert_allclose(by["sd"], [math.sqrt(1000**2 * 0.09 + 4000**2 * 0.16), 250, 0])
    np.testing.assert_allclose(by["share"], [1700 / 1950, 250 / 1950, 0])
    risky = risky_deals(open_deals, q, top=1)
    # most expected: a (900); most variance: c (4000² · 0.16)
    assert risky["deal_id"].tolist() == ["a", "c"]
    cats = forecast_categories(open_deals["amount"], q, commit=0.7, best_case=0.4)
    assert cats["category"].tolist() == ["commit", "best_case", "pipeline"]
    assert cats["deals"].tolist() == [1, 1, 1]
    np.testing.assert_allclose(cats["amount"], [1000, 500, 4000])
    np.testing.assert_allclose(cats["cumulative"], [1000, 1500, 5500])
    np.testing.assert_allclose(cats["expected"], [900, 250, 800])
    with pytest.raises(ParameterError):
        forecast_categories([1.0], [0.5], commit=0.3, best_case=0.6)


def test_breakdown_groups_by_what_each_value_reads_as():
    # hash-equal values that read differently (1, 1.0, True) stay apart, as text; none is "—"
    open_deals = pd.DataFrame(
        {
            "owner": pd.Series([1, 1.0, True, "1", None, np.nan, "—", 1], dtype=object),
            "amount": [10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0, 1280.0],
        }
    )
    by = period_breakdown(open_deals, np.full(8, 0.5), "owner").set_index("owner")
    assert by["expected"].to_dict() == {"—": 560.0, "1": 685.0, "1.0": 10.0, "True": 20.0}
    assert by["deals"].to_dict() == {"—": 3, "1": 3, "1.0": 1, "True": 1}
    # text columns of the importer (Arrow strings) group the same way
    texts = open_deals.assign(owner=pd.Series(["1", "1.0", "True", "1", None, None, "—", "1"], dtype="str"))
    assert period_breakdown(texts, np.full(8, 0.5), "owner").set_index("owner")["deals"].to_dict() == {
        "—": 3,
        "1": 3,
        "1.0": 1,
        "True": 1,
    }
    # numbers equal as keys but written apart: 0.0 and -0.0
    signed = pd.DataFrame({"owner": [0.0, -0.0, np.nan], "amount": [1.0, 2.0, 4.0]})
    assert period_breakdown(signed, np.full(3, 0.5), "owner")["owner"].tolist() == ["—", "-0.0", "0.0"]


def test_compare_periods_this_previous_and_a_year_ago():
    deals = _monthly_deals()
    period = period_bounds("this_month", "2025-08-15")
    out = compare_periods(deals, period, as_of="2025-10-15").set_index("which")
    assert out.loc["previous", "start"] == pd.Timestamp("2025-07-01")
    # July: the June deal was lost there (nothing won); August: the July deal was won, one deal created
    assert out.loc["previous", ["won", "lost", "created", "revenue"]].tolist() == [0, 1, 1, 0.0]
    assert out.loc["this", ["won", "lost", "created", "revenue"]].tolist() == [1, 0, 1, 100.0]
    assert out.loc["this", "win_rate"] == 1.0 and out.loc["previous", "win_rate"] == 0.0
    # the forecast made on 1 August is the backtest's August row
    bt = backtest(deals, as_of="2025-10-15", months=6).set_index("month")
    assert out.loc["this", "forecast"] == pytest.approx(bt.loc["2025-08-01", "mean"])
    # a year before there is no data: counts 0, no forecast
    assert out.loc["year_ago", "created"] == 0 and math.isnan(out.loc["year_ago", "forecast"])
    assert math.isnan(out.loc["year_ago", "win_rate"])


def test_backtest_on_a_stationary_process_is_unbiased_and_its_band_holds():
    """Deals arrive as a Poisson stream and close after random times: the replayed forecasts match what happened."""
    rng = np.random.default_rng(5)
    start, days = pd.Timestamp("2023-01-01"), 3 * 365
    n = rng.poisson(200 / MONTH_DAYS * days)
    created = start + pd.to_timedelta(np.sort(rng.uniform(0, days, n)), unit="D")
    won = rng.random(n) < 0.3
    closed = created + pd.to_timedelta(np.where(won, rng.gamma(3, 15, n), rng.gamma(2, 10, n)), unit="D")
    as_of = start + pd.Timedelta(days=days)
    status = np.where(closed > as_of, "open", np.where(won, "won", "lost"))
    deals = pd.DataFrame(
        {
            "status": status,
            "amount": rng.choice([1e5, 3e5, 1e6], n),
            "created_at": created,
            "closed_at": pd.Series(closed).where(status != "open"),
        }
    )
    bt = backtest(deals, as_of=as_of, months=12)
    assert len(bt) == 12
    # P10–P90 is mean ± 1.28 sd for these near-normal months: the year's total within 4 of its sd
    sd = np.sqrt((((bt["high"] - bt["low"]) / (2 * 1.2816)) ** 2).sum())
    assert abs(bt["actual"].sum() - bt["mean"].sum()) <= 4 * sd
    assert bt["inside"].mean() >= 0.5


def _two_segments(seed: int, days: float = 4 * 365, onset: float = 1.5 * 365):
    """Deals simulated from the replay's own model, per client segment: each segment a stationary Poisson stream
    with its own win chance and close times; the active clients' segment begins only after a year and a half, so
    the history pooled over both is mostly slow, rarely won deals of new clients."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2022-01-01")
    parts = []
    for name, rate, begin, p_win, won_wait, lost_wait in (
        ("new", 150, 0.0, 0.2, (3, 20), (2, 15)),
        ("active", 100, onset, 0.6, (2, 8), (2, 10)),
    ):
        n = rng.poisson(rate / MONTH_DAYS * (days - begin))
        t = rng.uniform(begin, days, n)
        won = rng.random(n) < p_win
        wait = np.where(won, rng.gamma(*won_wait, n), rng.gamma(*lost_wait, n))
        parts.append(pd.DataFrame({"t": t, "won": won, "wait": wait, "segment": name}))
    d = pd.concat(parts, ignore_index=True).sort_values("t", ignore_index=True)
    created = start + pd.to_timedelta(d["t"], unit="D")
    closed = created + pd.to_timedelta(d["wait"], unit="D")
    as_of = start + pd.Timedelta(days=days)
    status = np.where(closed > as_of, "open", np.where(d["won"], "won", "lost"))
    deals = pd.DataFrame(
        {
            "status": status,
            "amount": rng.choice([1e5, 3e5, 1e6], len(d)),
            "created_at": created,
            "closed_at": pd.Series(closed).where(status != "open"),
            "segment": d["segment"],
        }
    )
    return deals, as_of


def _bias(bt: pd.DataFrame) -> float:
    """The replayed months' total actual minus forecast, in sd of the total (P10–P90 = mean ± 1.28 sd)."""
    sd = np.sqrt((((bt["high"] - bt["low"]) / (2 * 1.2816)) ** 2).sum())
    return float((bt["actual"].sum() - bt["mean"].sum()) / sd)


def test_backtest_replays_each_segment_on_its_own_history_and_holds_its_band():
    deals, as_of = _two_segments(11)
    bt = backtest(deals, as_of=as_of, months=18)
    assert len(bt) == 18
    # the band holds about 8 months in 10 (18 months: 0.8 ± 0.09) and the forecast is not biased
    assert bt["inside"].mean() >= 0.6
    assert abs(_bias(bt)) <= 3
    # the cause it removes: pooled over segments, the history is dominated by the slow segment of the past
    pooled = backtest(deals.drop(columns="segment"), as_of=as_of, months=18)
    assert _bias(pooled) > 4 and pooled["inside"].mean() < 0.5


def test_recent_change_counts_each_window_per_funnel():
    deals = pd.DataFrame(
        {
            "funnel": ["A", "A", "A", "A", "B"],
            "segment": ["new"] * 5,
            "status": ["won", "lost", "won", "open", "lost"],
            "created_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-05-01", "2025-06-01", "2025-03-01"]),
            "closed_at": pd.to_datetime(["2025-03-01", "2025-03-15", "2025-06-10", None, "2025-06-20"]),
        }
    )
    out = recent_change(deals, as_of="2025-06-30", days=90).set_index("funnel")
    # last 90 days: (1 Apr, 30 Jun]; the 90 before: (1 Jan, 1 Apr]
    assert out.loc["A", ["won_now", "closed_now", "won_before", "closed_before"]].tolist() == [1, 1, 1, 2]
    assert out.loc["A", "change"] == pytest.approx(1.0 - 0.5)
    # created on 1 Jan is on the boundary, outside the earlier window (a window is (start, end])
    assert out.loc["A", ["created_now", "created_before"]].tolist() == [2, 1]
    assert out.loc["B", "rate_now"] == 0.0 and math.isnan(out.loc["B", "rate_before"])


@pytest.mark.parametrize(("kind", "by_date", "cycle"), [("this_quarter", False, 1.0), ("next_month", True, 0.7)])
def test_period_chances_are_the_forecasts_own_without_its_distributions(kind, by_date, cycle):
    from funnel_model.forecast_views import deal_probabilities
    from funnel_model.period import period_bounds, period_chances, plan_for_period
    from tests.funnel_model.test_moves import demo

    deals, inputs = demo()
    p = deal_probabilities(inputs, inputs.stages["rate"].to_numpy(), own=True)
    factors = np.where(inputs.open_deals["segment"].to_numpy() == "new", cycle, 1.0)
    common = {"inflow_per_month": 25.0, "by_expected_date": by_date, "cycle_factor": factors, "new_cycle_factor": cycle}
    period = period_bounds(kind, inputs.as_of)
    full = plan_for_period(inputs, deals, p, period, **common)
    within, new_wins = period_chances(inputs, deals, p, period, **common)
    np.testing.assert_array_equal(within, full.within)
    assert new_wins == full.new_wins > 0
