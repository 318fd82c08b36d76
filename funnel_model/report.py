"""A one-page report of a scenario as one self-contained HTML file that prints to A4.

Pure: ``report_sections`` computes each section's plain-words text, table and
chart (inline SVG through vl-convert when installed) from the deals and a
:class:`~funnel_model.scenario.Scenario`; ``render_html`` lays them out.
Every text from the data or the user (client, title, funnel, stage and
seller names) is HTML-escaped; charts come as SVG whose text Vega escapes.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from funnel_model.config import FunnelConfig
from funnel_model.formatting import MISSING, date, money, number, percent
from funnel_model.i18n import t
from funnel_model.scenario import Scenario, stage_probabilities_for
from funnel_model.schema import SEGMENTS

__all__ = [
    "SECTIONS",
    "Section",
    "build_report",
    "chart_svg",
    "charts_available",
    "data_as_of",
    "render_html",
    "report_sections",
]

SECTIONS = ("summary", "funnels", "forecast", "reverse", "clients", "compensation", "assumptions")
CHART_WIDTH = 640  # px: fits an A4 page's text width at print scale


@dataclass(frozen=True)
class Section:
    """One block of the report: a heading, plain words, an optional table and chart(s)."""

    key: str
    heading: str
    text: str
    table: tuple[tuple[str, ...], ...] = ()  # first row is the header; cells already formatted
    charts: tuple[str, ...] = field(default=())  # inline SVG documents


def charts_available() -> bool:
    """Whether charts can be embedded (vl-convert is installed)."""
    return importlib.util.find_spec("vl_convert") is not None


def chart_svg(chart: object) -> str | None:
    """An Altair chart (or a Vega-Lite spec dict) as SVG text; None when vl-convert is not installed."""
    try:
        import vl_convert
    except ImportError:
        return None
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return vl_convert.vegalite_to_svg(spec)


def _segment(seg: object, lang: str) -> str:
    return t(f"segment.{seg}", lang) if seg in SEGMENTS else MISSING


def _funnels(deals, history, config, lang, charts: bool) -> Section:
    from funnel_model.charts.funnels import funnel_panel
    from funnel_model.funnel_views import funnel_views

    views = funnel_views(deals, history, config)
    geo, necks = views.geometry, views.bottlenecks
    rows = [
        (
            t("report.col.funnel", lang),
            t("report.col.segment", lang),
            t("report.col.deals", lang),
            t("report.col.win_rate", lang),
            t("report.col.bottleneck", lang),
        )
    ]
    svgs, lines = [], []
    labels = {
        k: t(f"funnels.label.{k}", lang) for k in ("stage", "reached", "amount", "from_previous", "from_first", "open")
    }
    for (funnel, segment), group in geo.groupby(["funnel", "segment"], sort=False, dropna=False):
        first, won = group.sort_values("order").iloc[0], group[group["kind"] == "won"]
        reached = float(first["reached"])
        if reached <= 0:
            continue
        win = float(won["reached"].iloc[0]) / reached if len(won) else math.nan
        neck = necks[
            (necks["funnel"] == funnel) & (necks["segment"].fillna("") == ("" if pd.isna(segment) else segment))
        ]
        neck_text = MISSING
        if len(neck) and pd.notna(neck["stage"].iloc[0]):
            n = neck.iloc[0]
            neck_text = t(
                "report.bottleneck",
                lang,
                previous=n["previous"],
                stage=n["stage"],
                conversion=percent(float(n["conversion"]), lang),
            )
            lines.append(t("report.funnels.line", lang, funnel=funnel, segment=_segment(segment, lang), neck=neck_text))
        rows.append((str(funnel), _segment(segment, lang), number(reached, lang), percent(win, lang), neck_text))
        if charts:
            svg = chart_svg(
                funnel_panel(
                    _segment(segment, lang),
                    group,
                    subtitle=str(funnel),
                    labels=labels,
                    lang=lang,
                    width=CHART_WIDTH // 2,
                    stage_height=44,
                )
            )
            if svg:
                svgs.append(svg)
    text = t("report.funnels.text", lang, n=number(views.deals, lang)) + (" " + " ".join(lines) if lines else "")
    return Section("funnels", t("report.section.funnels", lang), text, tuple(rows), tuple(svgs))


def _forecast_parts(deals, history, config, scenario: Scenario):
    from funnel_model.forecast import revenue_distribution
    from funnel_model.forecast_views import deal_probabilities, plan_blocker, plan_by_funnel, prepare_forecast
    from funnel_model.scenario import key_figures

    figures = key_figures(deals, history, config, scenario)
    inputs = prepare_forecast(deals, scenario.config or config, history)
    stage_p = stage_probabilities_for(inputs.stages, scenario)
    p = deal_probabilities(inputs, stage_p, own=scenario.own_estimates)
    plan = scenario.plan_target
    if plan is None:
        median = revenue_distribution(
            inputs.open_deals["amount"].to_numpy(), deal_probabilities(inputs, inputs.stages["rate"].to_numpy())
        ).quantile(0.5)
        plan = float(f"{median:.2g}") if median > 0 else 0.0
    reverse = None
    if plan_blocker(inputs) is None:
        reverse = plan_by_funnel(inputs, stage_p, p, plan, (scenario.confidence or 90) / 100)
    return figures, plan, reverse


def _forecast(figures, plan, lang, currency) -> Section:
    m = lambda x: money(x, lang, currency)  # noqa: E731
    text = t(
        "report.forecast.text",
        lang,
        mean=m(figures["mean"]),
        p10=m(figures["p10"]),
        p90=m(figures["p90"]),
        plan=m(plan),
        p_plan=percent(figures["p_plan"], lang),
    )
    rows = (
        (t("report.col.figure", lang), t("report.col.value", lang)),
        (t("scenario.figure.mean", lang), m(figures["mean"])),
        (t("scenario.figure.p10", lang), m(figures["p10"])),
        (t("scenario.figure.p50", lang), m(figures["p50"])),
        (t("scenario.figure.p90", lang), m(figures["p90"])),
        (t("report.plan", lang), m(plan)),
        (t("scenario.figure.p_plan", lang), percent(figures["p_plan"], lang)),
    )
    return Section("forecast", t("report.section.forecast", lang), text, rows)


def _reverse(reverse, lang, currency) -> Section:
    if reverse is None:
        return Section("reverse", t("report.section.reverse", lang), t("report.reverse.none", lang))
    _, funnels = reverse
    rows = [
        (
            t("report.col.funnel", lang),
            t("report.col.segment", lang),
            t("report.col.gap", lang),
            t("report.col.wins", lang),
            t("report.col.leads", lang),
        )
    ]
    for r in funnels.itertuples():
        rows.append(
            (
                str(r.funnel),
                _segment(r.segment, lang),
                money(r.gap, lang, currency),
                number(r.wins_mean, lang, 1),
                number(r.leads_mean, lang, 1),
            )
        )
    total = float(funnels["leads_mean"].sum())
    text = t("report.reverse.text", lang, leads=number(total, lang, 0))
    return Section("reverse", t("report.section.reverse", lang), text, tuple(rows))


def _clients(deals, lang, dormancy_days: int) -> Section | None:
    try:
        from funnel_model.clients import client_base
    except ImportError:  # the client-base analysis is not in this build
        return None
    base = client_base(deals, dormancy_days)
    if base.empty:
        return None
    columns = ("new", "active", "dormant", "clients")
    rows = [(t("report.col.month", lang), *(t(f"report.col.clients_{c}", lang) for c in columns))]
    for r in base.tail(12).itertuples(index=False):
        month = pd.Timestamp(r.month).strftime("%m.%Y" if lang == "ru" else "%Y-%m")
        rows.append((month, *(number(getattr(r, c), lang) for c in columns)))
    last = base.iloc[-1]
    text = t(
        "report.clients.text",
        lang,
        active=number(last["active"], lang),
        dormant=number(last["dormant"], lang),
        new=number(last["new"], lang),
    )
    return Section("clients", t("report.section.clients", lang), text, tuple(rows))


def _compensation(scenario: Scenario, figures, lang, currency) -> Section:
    if not scenario.plans:
        return Section("compensation", t("report.section.compensation", lang), t("report.compensation.none", lang))
    rows = [
        (
            t("report.col.plan", lang),
            t("report.col.base", lang),
            t("report.col.target_bonus", lang),
            t("report.col.cost_of_sales", lang),
        )
    ]
    for x, plan in sorted(scenario.plans.items()):
        rows.append(
            (
                f"{x.upper()}: {plan.name}",
                money(plan.fixed.base, lang, currency),
                money(plan.variable.target_bonus, lang, currency),
                percent(figures[f"cost_of_sales_{x}"], lang),
            )
        )
    text = t("report.compensation.text", lang, sellers=number(len(scenario.targets), lang))
    return Section("compensation", t("report.section.compensation", lang), text, tuple(rows))


def _assumptions(scenario: Scenario, config: FunnelConfig, lang, currency, plan) -> Section:
    rows = [(t("report.col.assumption", lang), t("report.col.value", lang))]
    rows.append((t("report.assume.dormancy", lang), t("report.days", lang, n=scenario.dormancy_days)))
    rows.append((t("report.plan", lang), money(plan, lang, currency)))
    if scenario.plan_period:
        rows.append((t("report.assume.period", lang), " – ".join(scenario.plan_period)))
    rows.append((t("report.assume.confidence", lang), f"{scenario.confidence or 90} %"))
    rows.append((t("report.assume.own", lang), t("report.yes" if scenario.own_estimates else "report.no", lang)))
    for f, seg in sorted(scenario.funnel_segments.items()):
        rows.append((t("report.assume.funnel_segment", lang, funnel=f), _segment(seg, lang)))
    cfg = scenario.config or config
    for s in scenario.stage_probabilities:
        try:
            configured = cfg.funnel(s.funnel).probability(s.stage)
        except Exception:  # a stage of another config: shown without its default
            configured = math.nan
        if not math.isclose(s.probability, configured, abs_tol=0.005):
            where = f"{s.funnel} · {_segment(s.segment, lang)}" if s.segment else s.funnel
            rows.append(
                (
                    t("report.assume.stage", lang, funnel=where, stage=s.stage),
                    f"{percent(s.probability, lang, 0)} ({t('report.instead', lang)} {percent(configured, lang, 0)})",
                )
            )
    return Section(
        "assumptions", t("report.section.assumptions", lang), t("report.assumptions.text", lang), tuple(rows)
    )


def report_sections(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    config: FunnelConfig,
    scenario: Scenario,
    *,
    lang: str = "en",
    currency: str = "",
    sections: Iterable[str] = SECTIONS,
    charts: bool = True,
) -> list[Section]:
    """The chosen sections of the report of ``scenario`` on ``deals``, in report order.

    Parameters
    ----------
    deals : DataFrame
        Canonical deals with ``segment`` derived as the scenario says.
    history : DataFrame or None
    config : FunnelConfig
        The config in use where the scenario keeps none.
    scenario : Scenario
    lang, currency : str
        Language of every word and number; currency sign after amounts.
    sections : names from ``SECTIONS``
        "clients" is left out when the build has no client-base analysis.
    charts : bool
        Embed charts (needs vl-convert).
    """
    chosen = [s for s in SECTIONS if s in set(sections)]
    config = scenario.config or config
    out: list[Section] = []
    figures, plan, reverse = _forecast_parts(deals, history, config, scenario)
    for key in chosen:
        if key == "funnels":
            out.append(_funnels(deals, history, config, lang, charts))
        elif key == "forecast":
            out.append(_forecast(figures, plan, lang, currency))
        elif key == "reverse":
            out.append(_reverse(reverse, lang, currency))
        elif key == "clients":
            section = _clients(deals, lang, scenario.dormancy_days)
            if section is not None:
                out.append(section)
        elif key == "compensation":
            out.append(_compensation(scenario, figures, lang, currency))
        elif key == "assumptions":
            out.append(_assumptions(scenario, config, lang, currency, plan))
        elif key == "summary":
            m = lambda x: money(x, lang, currency)  # noqa: E731
            text = t(
                "report.summary.text",
                lang,
                p50=m(figures["p50"]),
                p10=m(figures["p10"]),
                p90=m(figures["p90"]),
                plan=m(plan),
                p_plan=percent(figures["p_plan"], lang),
                leads=number(figures["leads"], lang, 0),
            )
            out.append(Section("summary", t("report.section.summary", lang), text))
    return out


_CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #1d2330; margin: 0 auto;
       max-width: 182mm; line-height: 1.4; }
header { border-bottom: 2px solid #2b5797; margin-bottom: 10px; padding-bottom: 6px; }
h1 { font-size: 18pt; margin: 0; } .client { font-size: 12pt; color: #2b5797; margin: 2px 0 0; }
.meta { color: #5c6370; font-size: 9pt; margin-top: 4px; }
section { margin: 12px 0; break-inside: avoid; page-break-inside: avoid; }
h2 { font-size: 13pt; margin: 0 0 4px; color: #2b5797; }
p { margin: 4px 0 6px; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4px 0; }
th, td { border-bottom: 1px solid #d8dce3; padding: 3px 6px; text-align: left; vertical-align: top; }
td:not(:first-child), th:not(:first-child) { text-align: right; }
th { background: #eef2f8; }
.charts { display: flex; flex-wrap: wrap; gap: 6px; }
.charts svg { max-width: 100%; height: auto; }
footer { color: #5c6370; font-size: 8pt; border-top: 1px solid #d8dce3; margin-top: 12px; padding-top: 4px; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def render_html(
    sections: Sequence[Section],
    *,
    title: str,
    client: str = "",
    scenario_name: str = "",
    as_of: dt.date | None = None,
    lang: str = "en",
) -> str:
    """The report as one HTML document (styles and charts inline, nothing fetched), A4 print layout."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{e(title)}</h1>",
    ]
    if client:
        parts.append(f'<p class="client">{e(client)}</p>')
    meta = t("report.meta", lang, as_of=date(as_of, lang), scenario=scenario_name or t("scenario.current", lang))
    parts.append(f'<p class="meta">{e(meta)}</p></header>')
    for section in sections:
        parts.append(f'<section id="{e(section.key)}"><h2>{e(section.heading)}</h2><p>{e(section.text)}</p>')
        if section.table:
            head, *body = section.table
            parts.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in head) + "</tr></thead><tbody>")
            parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in body]
            parts.append("</tbody></table>")
        if section.charts:
            parts.append('<div class="charts">' + "".join(_inline(svg) for svg in section.charts) + "</div>")
        parts.append("</section>")
    parts.append(f"<footer>{e(t('report.footer', lang))}</footer></body></html>")
    return "\n".join(parts)


def _inline(svg: str) -> str:
    """An SVG document as inline markup: no XML prolog, and nothing that could run (Vega writes none)."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else ""
    if "<script" in body.lower() or "<foreignobject" in body.lower():
        return ""
    return body


def data_as_of(deals: pd.DataFrame) -> dt.date | None:
    """The day of the data's latest event (a deal created or closed); None for no dated deal."""
    dates = pd.concat([deals["created_at"], deals["closed_at"]]).dropna()
    return dates.max().date() if len(dates) else None


def build_report(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    config: FunnelConfig,
    scenario: Scenario,
    *,
    title: str,
    client: str = "",
    lang: str = "en",
    currency: str = "",
    sections: Iterable[str] = SECTIONS,
    as_of: dt.date | None = None,
    charts: bool = True,
) -> str:
    """The whole report as an HTML string (see :func:`report_sections` and :func:`render_html`)."""
    if as_of is None:
        as_of = data_as_of(deals)
    chosen = report_sections(
        deals, history, config, scenario, lang=lang, currency=currency, sections=sections, charts=charts
    )
    return render_html(chosen, title=title, client=client, scenario_name=scenario.name, as_of=as_of, lang=lang)
