"""Speed of keeping and handing over work: project file, scenario JSON, the report, chart files, the Report page.

python bench/bench_presenting.py [n_deals]
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_clients import deals_table, page_rerun
from funnel_model.compensation import preset
from funnel_model.config import FunnelConfig
from funnel_model.export import to_csv, to_xlsx
from funnel_model.project import load_project, save_project
from funnel_model.report import build_report, report_sections
from funnel_model.report_pdf import render_pdf
from funnel_model.scenario import Scenario, StageProbability

ROOT = Path(__file__).resolve().parent.parent
PAGE_TARGET_S = 2.0  # a rerun of the Report page (AppTest CPU time), the report not remade


def timed(label: str, fn, yardstick: float, target: float) -> float:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    verdict = "PASS" if elapsed < target else "FAIL"
    print(f"{label}: {elapsed:.2f} s (yardstick {yardstick:.2f} s), target < {target:.1f} s: {verdict}")
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    deals = deals_table(n)
    start = time.perf_counter()
    deals.to_csv()
    yardstick = time.perf_counter() - start
    print(f"{n:,} deals; yardstick: pandas to_csv of the deals")
    scenario = Scenario(
        name="bench",
        plans={"a": preset("mix_50_50"), "b": preset("cliff")},
        stage_probabilities=tuple(StageProbability("Sales", s, 0.3) for s in ("Lead", "Offer", "Contract")),
        targets={f"seller {i}": 3e6 for i in range(20)},
    )
    data = b""

    def save():
        nonlocal data
        data = save_project(deals, None, [scenario] * 10)

    timed("save_project", save, yardstick, 5.0)
    print(f"  project file: {len(data) / 1e6:.1f} MB for {n:,} deals")
    timed("load_project", lambda: load_project(data), yardstick, 5.0)
    timed("scenario JSON round trip x100", lambda: [Scenario.from_json(scenario.to_json()) for _ in range(100)], 0, 1.0)
    timed("to_csv (ru)", lambda: to_csv(deals, "ru"), yardstick, 10.0)
    head = deals.head(20_000)
    start = time.perf_counter()
    head.to_excel(io.BytesIO(), engine="xlsxwriter")
    plain = time.perf_counter() - start
    # pandas' own writer is the floor: the export writer may add neutralising and formats, not another writer's cost
    timed(
        "to_xlsx of 20,000 deals (yardstick: pandas to_excel)",
        lambda: to_xlsx(head, {"amount": "money"}),
        plain,
        1.5 * plain,
    )
    config = FunnelConfig.from_json((ROOT / "data" / "demo_config.json").read_text(encoding="utf-8"))
    from funnel_model import read_deals, read_stage_history
    from funnel_model.segments import derive_segments

    demo = read_deals(ROOT / "data" / "demo_deals.csv").deals
    demo["segment"] = derive_segments(demo)
    history = read_stage_history(ROOT / "data" / "demo_stage_history.csv")
    timed(
        "build_report on the demo (with charts)",
        lambda: build_report(demo, history, config, scenario, title="Bench"),
        yardstick,
        15.0,
    )
    sections = report_sections(demo, history, config, scenario)
    # the HTML of the same sections is the yardstick: the PDF adds the layout and a PNG per chart
    start = time.perf_counter()
    build_report(demo, history, config, scenario, title="Bench")
    html = time.perf_counter() - start
    pdf = lambda: render_pdf(sections, title="Bench")  # noqa: E731
    timed("render_pdf of the demo report (yardstick: build_report)", pdf, html, 10.0)
    cpu = page_rerun("pages/report.py")
    print(
        f"Report page rerun on the demo (AppTest CPU): {cpu:.2f} s, target < {PAGE_TARGET_S:.1f} s: "
        f"{'PASS' if cpu < PAGE_TARGET_S else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
