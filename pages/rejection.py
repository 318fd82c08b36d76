"""Rejection math: the trainer's view of "nine rejections out of ten".

Few big numbers with a sentence each, made to be projected. Every setting
lives in the URL too, so a trainer can send the exact view as a link; the
presenter mode hides the sidebar and the controls a room does not need, sets
the type large and shows one section per screen, with next and previous.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from funnel_model import formatting as fmt
from funnel_model import rejection as rj
from funnel_model.charts import rejection as charts
from funnel_model.compensation import pay_per_revenue, preset
from funnel_model.errors import FunnelError
from ui import data
from ui.charts import show_chart
from ui.formats import currency, money_input
from ui.guard import guarded
from ui.i18n import lang, tr
from ui.specs import chart_spec
from ui.tables import show_table

CONFIDENCE = 0.9  # "attempts for a 90 % chance of a deal"
MIN_SELLER_ATTEMPTS = 10  # fewer closed deals say too little about a seller
MAX_CHART_ATTEMPTS = 150
PLAN_KEY = "compensation.plan_a"
DEFAULT_PLAN = "mix_50_50"  # pages/compensation.py DEFAULT_PRESET["a"]
# The settings of the last run: a page switch clears the URL and forgets unrendered widgets, this does not.
SAVED_KEY = "rejection.saved_settings"

# Constant CSS only: never any user text in here.
BASE_CSS = """<style>
[data-testid="stMetricValue"] { font-size: 2.8rem; }
</style>"""
PRESENTER_CSS = """<style>
section[data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMarkdownContainer"] p { font-size: 1.4rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 4.5rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.5rem !important; }
</style>"""


@dataclass(frozen=True)
class Setting:
    """A page setting mirrored in the URL: widget key, query parameter, kind and bounds.

    ``kind`` is "flag", "int", "float" or "rate" (a close rate, rounded to
    a whole percent as the slider steps).
    """

    key: str
    param: str
    kind: str
    default: object
    low: float = -math.inf
    high: float = math.inf

    def parse(self, raw: str) -> object:
        """The URL text as a value of this setting: clamped to the bounds, the default when unreadable.

        A link is user input: "abc", "inf", "1e400" or "nan" must not break the page.
        """
        if self.kind == "flag":
            return raw.strip().lower() in ("1", "true", "yes", "on")
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return self.default
        if not math.isfinite(number):
            return self.default
        number = min(max(number, self.low), self.high)
        if self.kind == "int":
            return round(number)
        if self.kind == "rate":
            return round(number, 2)
        return float(round(number))

    def from_url(self) -> object:
        """The URL's value; without one, the last value used in this session, else the default."""
        raw = st.query_params.get(self.param)
        if raw is None:
            return st.session_state.get(SAVED_KEY, {}).get(self.key, self.default)
        return self.parse(raw)

    def to_url(self, value: object) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


SETTINGS = (
    Setting("rejection.presenter", "presenter", "flag", False),
    Setting("rejection.p", "p", "rate", 0.1, 0.01, 0.9),
    Setting("rejection.n", "n", "int", 50, 5, 500),
    Setting("rejection.k", "k", "int", 10, 1, 500),
    Setting("rejection.value", "value", "float", 100_000.0, 0, 1e12),
    Setting("rejection.wins_a", "wins_a", "int", 2, 0, 100_000),
    Setting("rejection.n_a", "n_a", "int", 10, 1, 100_000),
    Setting("rejection.wins_b", "wins_b", "int", 1, 0, 100_000),
    Setting("rejection.n_b", "n_b", "int", 10, 1, 100_000),
    Setting("rejection.sellers", "sellers", "int", 5, 1, 10),
    Setting("rejection.seed", "seed", "int", 1, 0, 2**31 - 1),
    Setting("rejection.names", "names", "flag", False),
    # presenter mode's screen, 1-based; capped at the number of sections by load_settings
    Setting("rejection.section", "section", "int", 1, 1),
)
BY_KEY = {s.key: s for s in SETTINGS}


def value(key: str) -> object:
    """The setting's current value: the widget's, else the URL's (see :meth:`Setting.from_url`)."""
    if key in st.session_state:
        return st.session_state[key]
    return BY_KEY[key].from_url()


def load_settings() -> None:
    """Give every setting a value before its widget is drawn.

    On first load the URL provides it. A widget hidden in presenter mode
    loses its state; the URL, always kept up to date, brings it back.
    """
    for setting in SETTINGS:
        if setting.key not in st.session_state:
            st.session_state[setting.key] = setting.from_url()
        elif setting.kind != "flag":  # a loaded scenario's value may lie beyond the widget's bounds
            bounded = setting.parse(str(st.session_state[setting.key]))
            if bounded != st.session_state[setting.key]:
                st.session_state[setting.key] = bounded
    # bounds that depend on other settings
    st.session_state["rejection.k"] = min(st.session_state["rejection.k"], st.session_state["rejection.n"])
    for who in ("a", "b"):
        wins, n = f"rejection.wins_{who}", f"rejection.n_{who}"
        st.session_state[wins] = min(st.session_state[wins], st.session_state[n])
    st.session_state["rejection.section"] = min(st.session_state["rejection.section"], len(SECTIONS))


def save_settings() -> None:
    """Write every setting to the URL (only the ones that changed) and keep a copy for the session."""
    st.session_state[SAVED_KEY] = {setting.key: value(setting.key) for setting in SETTINGS}
    for setting in SETTINGS:
        text = setting.to_url(value(setting.key))
        if st.query_params.get(setting.param) != text:
            st.query_params[setting.param] = text


def new_month() -> None:
    st.session_state["rejection.seed"] = int(value("rejection.seed")) + 1


def turn(step: int) -> None:
    """Presenter mode: go ``step`` sections forward (negative: back), staying within the sections."""
    st.session_state["rejection.section"] = min(max(int(value("rejection.section")) + step, 1), len(SECTIONS))


# ------------------------------------------------------------------ formatting


def chance(x: float) -> str:
    """A probability: whole percent between 10 % and 90 %, else one decimal; never a misleading "0.0 %" (fmt.chance)."""
    return fmt.chance(x, lang(), 0 if 0.1 <= x <= 0.9 else 1)


def short(x: float) -> str:
    """At most one decimal, none when it is a whole number."""
    return fmt.number(x, lang(), 0 if abs(x - round(x)) < 0.05 else 1)


def points(diff: float) -> str:
    """A difference of rates in signed percentage points; below one point with decimals, so it never reads "+0"."""
    x = 100 * diff
    digits = 0 if abs(x) >= 1 or x == 0 else 1 if abs(x) >= 0.05 else 2
    return fmt.signed(x, lang(), digits)


def one_in(share: float) -> str:
    """The N of "one seller in N": whole when large, "∞" when the share is zero."""
    if share <= 0:
        return "∞"
    return fmt.number(1 / share, lang()) if 1 / share >= 10 else short(1 / share)


def money(x: float) -> str:
    """An amount with the app's currency (ui/formats.py), kopecks shown below 100."""
    return fmt.money(x, lang(), currency(), digits=0 if x >= 100 else 2)


def big_number(label: str, shown: str, sentence: str) -> None:
    st.metric(label, shown)
    st.caption(sentence)


# cached under the dataset's key: the deal table itself is not hashed on every rerun
@data.view_cache(max_entries=4)
def seller_outcomes(_deals: pd.DataFrame, key: str) -> dict:
    return rj.seller_sequences(_deals)


@data.view_cache(max_entries=4)
def seller_table(_deals: pd.DataFrame, key: str, min_attempts: int) -> pd.DataFrame:
    return rj.seller_streaks(_deals, min_attempts=min_attempts)


# ---------------------------------------------------------------------- sections
# Each section draws itself from the rate, the attempts and the mode; presenter mode shows one per screen.


def font(presenter: bool) -> int:
    """Chart label size: large for a room."""
    return charts.ROOM_FONT_SIZE if presenter else charts.FONT_SIZE


def attempts_section(p: float, n: int, presenter: bool) -> None:
    st.header(tr("rejection.attempts.header"))
    per_deal = rj.attempts_per_deal(p)
    none_in_n = rj.prob_no_deal(p, n)
    needed = rj.attempts_for_confidence(p, CONFIDENCE)
    c1, c2, c3 = st.columns(3)
    with c1:
        big_number(tr("rejection.per_deal"), short(per_deal), tr("rejection.per_deal.sentence", value=short(per_deal)))
    with c2:
        big_number(
            tr("rejection.no_deal", n=n),
            fmt.chance(none_in_n, lang()),
            tr("rejection.no_deal.sentence", n=n, one_in=one_in(none_in_n)),
        )
    with c3:
        big_number(
            tr("rejection.for_90"),
            fmt.number(needed, lang()),
            tr("rejection.for_90.sentence", value=fmt.number(needed, lang())),
        )
    shown = min(max(rj.attempts_for_confidence(p, 0.99), 10), MAX_CHART_ATTEMPTS)
    show_chart(
        chart_spec(
            charts.attempts_chart,
            rj.attempts_distribution(p, shown),
            needed,
            x_title=tr("rejection.chart.attempt"),
            y_title=tr("rejection.chart.first_deal_here"),
            inside_label=tr("rejection.chart.within", k=needed),
            outside_label=tr("rejection.chart.later"),
            font_size=font(presenter),
            lang=lang(),
        ),
        width="stretch",
        name="rejection_first_deal",
        title=tr("rejection.attempts.header"),
    )


def streak_section(p: float, n: int, presenter: bool) -> None:
    st.header(tr("rejection.streak.header"))
    pmf = rj.longest_streak_pmf(n, p)
    expected = rj.expected_longest_streak(n, p)
    k = st.slider(tr("rejection.k"), min_value=1, max_value=n, step=1, key="rejection.k")
    at_least = rj.prob_streak_at_least(n, p, k)
    c1, c2 = st.columns(2)
    with c1:
        big_number(
            tr("rejection.streak.expected"),
            fmt.number(expected, lang(), 1),
            tr("rejection.streak.expected.sentence", n=n, value=fmt.number(expected, lang(), 1)),
        )
    with c2:
        big_number(
            tr("rejection.streak.at_least", k=k),
            chance(at_least),
            tr("rejection.streak.at_least.sentence", k=k, n=n, share=chance(at_least)),
        )
    show_chart(
        chart_spec(
            charts.streak_chart,
            pmf,
            k,
            expected,
            x_title=tr("rejection.chart.run"),
            y_title=tr("rejection.chart.share_of_sellers"),
            at_least_label=tr("rejection.chart.at_least", k=k),
            below_label=tr("rejection.chart.below", k=k),
            expected_label=tr("rejection.chart.expected", value=fmt.number(expected, lang(), 1)),
            font_size=font(presenter),
            lang=lang(),
        ),
        width="stretch",
        name="rejection_streaks",
        title=tr("rejection.streak.header"),
    )


def contact_section(p: float, n: int, presenter: bool) -> None:
    st.header(tr("rejection.contact.header"))
    if not presenter:
        money_input(tr("rejection.value"), "rejection.value")
    deal_value = float(value("rejection.value"))
    per_contact = rj.contact_value(deal_value, p)
    c1, c2 = st.columns(2)
    with c1:
        big_number(
            tr("rejection.contact"),
            money(per_contact),
            tr(
                "rejection.contact.sentence",
                value=money(per_contact),
                deal=money(deal_value),
                p=fmt.percent(p, lang(), 0),
            ),
        )
    # plan A as edited on the Compensation page; before any visit there, its default preset
    plan = st.session_state.get(PLAN_KEY) or preset(DEFAULT_PLAN, lang())
    pay_rate = None
    if plan is not None:
        try:
            pay_rate = pay_per_revenue(plan, attainment=1.0)
        except FunnelError:  # a plan without a target: no pay line rather than no page
            pay_rate = None
    if pay_rate is not None and math.isfinite(pay_rate):
        with c2:
            big_number(
                tr("rejection.pay"),
                money(per_contact * pay_rate),
                tr("rejection.pay.sentence", value=money(per_contact * pay_rate)),
            )


def luck_section(p: float, n: int, presenter: bool) -> None:
    st.header(tr("rejection.ab.header"))
    if not presenter:
        c1, c2, c3, c4 = st.columns(4)
        c2.number_input(tr("rejection.ab.n", who="A"), min_value=1, step=1, key="rejection.n_a")
        c1.number_input(
            tr("rejection.ab.wins", who="A"),
            min_value=0,
            max_value=int(value("rejection.n_a")),
            step=1,
            key="rejection.wins_a",
        )
        c4.number_input(tr("rejection.ab.n", who="B"), min_value=1, step=1, key="rejection.n_b")
        c3.number_input(
            tr("rejection.ab.wins", who="B"),
            min_value=0,
            max_value=int(value("rejection.n_b")),
            step=1,
            key="rejection.wins_b",
        )
    wins_a, n_a = int(value("rejection.wins_a")), int(value("rejection.n_a"))
    wins_b, n_b = int(value("rejection.wins_b")), int(value("rejection.n_b"))
    if wins_a > n_a or wins_b > n_b:
        st.warning(tr("rejection.ab.wins_over_n"))
        return
    ab = rj.compare_sellers(wins_a, n_a, wins_b, n_b)
    record_a = tr("rejection.ab.record", wins=wins_a, n=n_a)
    record_b = tr("rejection.ab.record", wins=wins_b, n=n_b)
    more = fmt.number(ab.more_attempts, lang()) if ab.more_attempts is not None else "—"
    verdict = tr(f"rejection.ab.verdict.{ab.verdict}", a=record_a, b=record_b, more=more)
    # the one sentence the room must read: as a heading inside the box (numbers only, no user text)
    box = st.info if ab.verdict == "not_enough" else st.warning if "suggestive" in ab.verdict else st.success
    box(f"#### {verdict}")
    # plain words on screen; the tests behind them in the expander
    c1, c2, c3 = st.columns(3)
    with c1:
        big_number(tr("rejection.ab.prob"), fmt.chance(ab.prob_a_better, lang()), tr("rejection.ab.prob.sentence"))
    with c2:
        interval = f"{points(ab.diff_low)} … {points(ab.diff_high)}"
        big_number(tr("rejection.ab.interval"), interval, tr("rejection.ab.interval.sentence"))
    with c3:
        if ab.attempts_needed is None:
            big_number(tr("rejection.ab.needed"), "—", tr("rejection.ab.needed.equal"))
        else:
            big_number(
                tr("rejection.ab.needed"),
                fmt.number(ab.attempts_needed, lang()),
                tr(
                    "rejection.ab.needed.sentence",
                    a=fmt.percent(ab.rate_a, lang(), 0),
                    b=fmt.percent(ab.rate_b, lang(), 0),
                ),
            )
    with st.expander(tr("rejection.how")):
        big_number(tr("rejection.ab.test"), fmt.number(ab.p_value, lang(), 2), tr("rejection.ab.test.sentence"))
        st.markdown(tr("rejection.ab.method"))


def month_section(p: float, n: int, presenter: bool) -> None:
    st.header(tr("rejection.month.header"))
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    if not presenter:
        c1.slider(tr("rejection.sellers"), min_value=1, max_value=10, step=1, key="rejection.sellers")
        c2.number_input(tr("rejection.seed"), min_value=0, step=1, key="rejection.seed")
    c3.button(tr("rejection.new_month"), on_click=new_month, key="rejection.new_month", width="stretch")
    sellers, seed = int(value("rejection.sellers")), int(value("rejection.seed"))
    month = rj.simulate_month(p, n, sellers=sellers, seed=seed)
    labels = [
        tr("rejection.month.row", i=i + 1, deals=int(row.sum()), run=rj.longest_run(row)) for i, row in enumerate(month)
    ]
    st.caption(tr("rejection.month.sentence", sellers=sellers, p=fmt.percent(p, lang(), 0), n=n))
    show_chart(
        chart_spec(
            charts.month_strip,
            month,
            labels,
            deal_label=tr("rejection.month.deal"),
            rejection_label=tr("rejection.month.rejection"),
            x_title=tr("rejection.chart.attempt"),
            font_size=font(presenter),
        ),
        width="stretch",
        name="rejection_month",
        title=tr("rejection.month.header"),
    )


def data_section(p: float, n: int, presenter: bool) -> None:
    st.header(tr("rejection.data.header"))
    dataset = data.current()
    deals = dataset.deals
    table = seller_table(deals, dataset.key, MIN_SELLER_ATTEMPTS)
    if presenter:
        st.toggle(tr("rejection.data.show_names"), key="rejection.names")
    real_names = table["owner"].tolist()
    if presenter and not value("rejection.names"):  # a room sees no real seller's name unless the presenter shows it
        table = table.assign(owner=[tr("rejection.data.alias", i=i + 1) for i in range(len(table))])
    to_real = dict(zip(table["owner"], real_names, strict=True))
    if table.empty:
        st.info(tr("rejection.data.none", min=MIN_SELLER_ATTEMPTS))
        return
    long_runs = int((table["flag"] == "long").sum())
    short_runs = int((table["flag"] == "short").sum())
    st.markdown(f"#### {tr('rejection.data.summary', long=long_runs, short=short_runs, total=len(table))}")
    st.caption(tr("rejection.data.explain"))
    show_chart(
        chart_spec(
            charts.sellers_chart,
            table,
            x_title=tr("rejection.data.axis"),
            range_label=tr("rejection.data.range"),
            observed_label=tr("rejection.data.observed"),
            flag_labels={f: tr(f"rejection.data.flag.{f}") for f in ("long", "typical", "short")},
            font_size=font(presenter),
        ),
        width="stretch",
        name="rejection_sellers",
        title=tr("rejection.data.header"),
    )
    if not presenter:
        shown_table = pd.DataFrame(
            {
                tr("rejection.data.col.owner"): table["owner"],
                tr("rejection.data.col.attempts"): table["attempts"],
                tr("rejection.data.col.wins"): table["wins"],
                tr("rejection.data.col.rate"): table["rate"],
                tr("rejection.data.col.run"): table["longest_run"],
                tr("rejection.data.col.range"): table["low"].astype(str) + "–" + table["high"].astype(str),
                tr("rejection.data.col.p"): table["p_at_least"],
                tr("rejection.data.col.flag"): table["flag"].map(lambda f: tr(f"rejection.data.flag.{f}")),
            }
        )
        show_table(
            shown_table,
            counts=[tr(f"rejection.data.col.{c}") for c in ("attempts", "wins", "run")],
            shares=[tr("rejection.data.col.rate"), tr("rejection.data.col.p")],
            hide_index=True,
            width="stretch",
            download="seller_streaks",
        )

    # one seller's real record, deal by deal, the longest losing run marked
    st.subheader(tr("rejection.data.sequence"))
    seller = st.selectbox(tr("rejection.data.seller"), table["owner"], key="rejection.seller")
    facts = table.set_index("owner").loc[seller]
    outcomes = seller_outcomes(deals, dataset.key)[to_real[seller]]
    st.caption(
        tr(
            "rejection.data.sequence.sentence",
            wins=int(facts["wins"]),
            attempts=int(facts["attempts"]),
            rate=fmt.percent(facts["rate"], lang(), 0),
            run=int(facts["longest_run"]),
            low=int(facts["low"]),
            high=int(facts["high"]),
            share=chance(facts["p_at_least"]),
        )
    )
    show_chart(
        chart_spec(
            charts.sequence_strip,
            outcomes,
            rj.longest_run_span(outcomes),
            deal_label=tr("rejection.data.won"),
            rejection_label=tr("rejection.data.lost"),
            longest_label=tr("rejection.data.longest"),
            x_title=tr("rejection.data.position"),
            font_size=font(presenter),
        ),
        width="stretch",
        name="rejection_sequence",
        title=tr("rejection.data.sequence"),
    )


@dataclass(frozen=True)
class Section:
    """One screen of presenter mode: its title's message key and the function that draws it."""

    title: str
    draw: Callable[[float, int, bool], None]


SECTIONS = (
    Section("rejection.attempts.header", attempts_section),
    Section("rejection.streak.header", streak_section),
    Section("rejection.contact.header", contact_section),
    Section("rejection.ab.header", luck_section),
    Section("rejection.month.header", month_section),
    Section("rejection.data.header", data_section),  # last: it reads the data, which can fail
)


def presenter_nav(at: int) -> None:
    """Previous and next, with where the room is: "2 / 6 · Runs of rejections"."""
    back, where, forward = st.columns([1, 4, 1], vertical_alignment="center")
    back.button(
        tr("rejection.previous"), on_click=turn, args=(-1,), disabled=at <= 1, key="rejection.previous", width="stretch"
    )
    where.markdown(
        tr("rejection.where", at=at, total=len(SECTIONS), title=tr(SECTIONS[at - 1].title)), text_alignment="center"
    )
    forward.button(
        tr("rejection.next"),
        on_click=turn,
        args=(1,),
        disabled=at >= len(SECTIONS),
        key="rejection.next",
        width="stretch",
    )


# ------------------------------------------------------------------------ page

head, toggle = st.columns([4, 1], vertical_alignment="bottom")
head.title(tr("page.rejection"))

with guarded():
    load_settings()  # reads the URL, which anyone can edit
    save_settings()  # before any section draws: one that fails still leaves the link whole
    presenter = toggle.toggle(tr("rejection.presenter"), key="rejection.presenter")
    st.html(PRESENTER_CSS if presenter else BASE_CSS)
    left, right = st.columns(2)
    p = left.slider(tr("rejection.p"), min_value=0.01, max_value=0.9, step=0.01, format="percent", key="rejection.p")
    n = right.slider(tr("rejection.n"), min_value=5, max_value=500, step=1, key="rejection.n")
    st.markdown(f"#### {tr('rejection.intro', p=fmt.percent(p, lang(), 0), rejections=short(10 * (1 - p)))}")
    if presenter:
        at = int(value("rejection.section"))
        presenter_nav(at)
        SECTIONS[at - 1].draw(p, n, presenter)
    else:
        for section in SECTIONS:
            section.draw(p, n, presenter)
