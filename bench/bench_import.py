"""Import speed: read_deals on a 1,000,000-deal canonical CSV against a bare pyarrow read.

Run by hand: ``python bench/bench_import.py [n_deals]``. Writes the CSV to a
temporary directory, prints the file size and both times. Target: read_deals
under 15 s on the 2-core CI machine. The same deals are then timed as an
amoCRM-style export (Windows-1251, ";", «1 200 000,50» amounts, DD.MM.YYYY
dates, «не закрыта»), which takes the localized parsing paths.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from funnel_model import read_deals  # noqa: E402


def make_deals(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic deals in the canonical format (ISO dates, fractional probabilities)."""
    rng = np.random.default_rng(seed)
    stages = np.array(["Квалификация", "Встреча", "КП", "Переговоры", "Договор"])
    status = rng.choice(["open", "won", "lost"], size=n, p=[0.2, 0.3, 0.5])
    stage = np.where(
        status == "won",
        "Успешно реализовано",
        np.where(status == "lost", "Закрыто и не реализовано", stages[rng.integers(0, 5, n)]),
    )
    created = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730 * 24 * 60, n), unit="min")
    closed = created + pd.to_timedelta(rng.integers(1, 120, n), unit="D")
    closed_text = pd.Series(closed.strftime("%Y-%m-%d %H:%M:%S")).where(status != "open", "")
    return pd.DataFrame(
        {
            "deal_id": np.arange(1, n + 1).astype(str),
            "client_id": np.char.add("Client ", rng.integers(0, n // 5 + 1, n).astype(str)),
            "funnel": rng.choice(["Привлечение", "Развитие", "Реактивация"], size=n),
            "segment": "",
            "stage": stage,
            "status": status,
            "lost_stage": np.where(status == "lost", stages[rng.integers(0, 5, n)], ""),
            "amount": np.round(rng.lognormal(12, 1, n), 2),
            "owner": rng.choice([f"Seller {i}" for i in range(8)], size=n),
            "created_at": created.strftime("%Y-%m-%d %H:%M:%S"),
            "closed_at": closed_text,
            "expected_close_at": "",
            "probability": np.round(rng.uniform(0, 1, n), 2),
            "product": rng.choice(["ERP", "CRM", "Cloud"], size=n),
            "source": rng.choice(["Сайт", "Выставка", "Звонок"], size=n),
            "lost_reason": np.where(status == "lost", "Цена", ""),
        }
    )


def as_amocrm(deals: pd.DataFrame) -> pd.DataFrame:
    """The canonical ``deals`` with amoCRM's Russian headers and formats."""
    whole = np.floor(deals["amount"]).astype("int64")
    cents = np.round((deals["amount"] - whole) * 100).astype("int64")
    grouped = pd.Series(whole).map("{:,}".format).str.replace(",", "\u00a0")  # 1 200 000 with no-break spaces
    closed = pd.to_datetime(deals["closed_at"].replace("", None))
    return pd.DataFrame(
        {
            "ID": deals["deal_id"],
            "Название сделки": "Сделка " + deals["deal_id"],
            "Бюджет ": grouped + "," + cents.astype(str).str.zfill(2),
            "Ответственный": deals["owner"],
            "Дата создания сделки": pd.to_datetime(deals["created_at"]).dt.strftime("%d.%m.%Y %H:%M:%S"),
            "Дата закрытия": closed.dt.strftime("%d.%m.%Y %H:%M:%S").fillna("не закрыта"),
            "Этап сделки": deals["stage"],
            "Воронка": deals["funnel"],
            "Компания": deals["client_id"],
        }
    )


def main(n: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deals.csv"
        t0 = time.perf_counter()
        deals = make_deals(n)
        deals.to_csv(path, index=False)
        print(f"wrote {n:,} deals, {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        bare = pd.read_csv(path, engine="pyarrow")
        bare_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = read_deals(path)
        import_s = time.perf_counter() - t0

        assert len(result.deals) == len(bare) == n, (len(result.deals), len(bare))
        print(f"pandas.read_csv(engine='pyarrow'): {bare_s:6.2f} s")
        print(f"read_deals:                        {import_s:6.2f} s  ({import_s / bare_s:.1f}x; target < 15 s)")
        print(f"problems: {len(result.problems)}, funnels: {result.config.names}")

        amo = Path(tmp) / "amocrm.csv"
        as_amocrm(deals).to_csv(amo, sep=";", index=False, encoding="cp1251")
        t0 = time.perf_counter()
        amo_result = read_deals(amo)
        amo_s = time.perf_counter() - t0
        assert len(amo_result.deals) == n and amo_result.problems.empty
        assert abs(amo_result.deals["amount"].sum() - result.deals["amount"].sum()) < 1
        print(f"read_deals, amoCRM-style cp1251:   {amo_s:6.2f} s  ({amo.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
