"""Seeded demo data: two years of B2B deals of an IT integrator.

The shipped files in ``data/`` are the output of :func:`write_demo_files`;
regenerate them byte for byte with::

    python -m funnel_model.demo data

What the simulation does, so the app's views have something true to find:

- ~180 client companies arrive over two years; each has an account owner
  among 8 sellers of different skill.
- Every deal goes into the funnel of its client's real segment at creation
  (the rule of :func:`funnel_model.segments.derive_segments`): never won →
  «Привлечение», won within a year → «Развитие», won longer ago →
  «Реактивация». Clients that buy keep buying; some go quiet for over a
  year and come back as dormant.
- A deal walks its funnel stage by stage: it advances with a probability
  set by the funnel, the seller's skill and the deal's own quality, or is
  lost at that stage; some skip a stage, a few step back once, a few stall.
  Whatever has not finished by ``as_of`` is open at the stage it reached.
- ``probability`` is the seller's stated win probability: for open deals
  the current estimate, for closed deals the one given when the deal was
  opened (so calibration can be checked). Honest sellers state the true
  chance plus noise; «Игорь Волков» adds 25 percentage points.
- ``segment`` is left empty: the app derives it, so the dormancy window
  stays a parameter.
"""

from __future__ import annotations

import heapq
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.schema import DEAL_COLUMN_NAMES, HISTORY_COLUMNS, LOST, OPEN, WON, conform

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "DEMO_FILES",
    "LOST_STAGE",
    "OPTIMISTIC_SELLER",
    "WON_STAGE",
    "amocrm_export",
    "generate_demo",
    "main",
    "write_demo_files",
]

DEFAULT_SEED = 20261127
DEFAULT_AS_OF = date(2026, 11, 1)
WON_STAGE = "Успешно реализовано"
LOST_STAGE = "Закрыто и не реализовано"
DEMO_FILES = ("demo_deals.csv", "demo_stage_history.csv", "demo_config.json", "demo_amocrm.csv")

_DAY = pd.Timedelta(days=1)
_DORMANCY_DAYS = 365  # the default window of derive_segments, so the data agrees with the app
_HISTORY_DAYS = 730


@dataclass(frozen=True)
class _Seller:
    name: str
    skill: float  # added to the log-odds of every stage advance
    bias: float  # added to his stated probability


OPTIMISTIC_SELLER = "Игорь Волков"
_SELLERS = (
    _Seller("Анна Смирнова", 0.45, 0.0),
    _Seller("Дмитрий Кузнецов", 0.30, 0.0),
    _Seller("Елена Попова", 0.15, 0.0),
    _Seller(OPTIMISTIC_SELLER, 0.0, 0.25),
    _Seller("Мария Соколова", 0.05, 0.0),
    _Seller("Алексей Морозов", -0.15, 0.0),
    _Seller("Ольга Лебедева", -0.30, 0.0),
    _Seller("Сергей Новиков", -0.45, 0.0),
)


@dataclass(frozen=True)
class _Funnel:
    name: str
    segment: str
    stages: tuple[str, ...]
    advance: tuple[float, ...]  # P(advance | at stage) for an average seller and deal
    days: tuple[float, ...]  # median days in each stage
    amount_median: float  # roubles
    attention: float  # relative chance that the next deal goes to a client of this segment
    sources: tuple[tuple[str, float], ...]


_FUNNELS = (
    _Funnel(
        "Привлечение",
        "new",
        ("Квалификация", "Встреча", "Презентация", "КП", "Переговоры", "Договор"),
        (0.55, 0.70, 0.70, 0.65, 0.75, 0.85),
        (7, 14, 14, 18, 21, 14),
        420_000,
        1.0,
        (
            ("Сайт", 0.25),
            ("Входящий звонок", 0.2),
            ("Рекомендация", 0.15),
            ("Выставка", 0.1),
            ("Холодный звонок", 0.2),
            ("Контекстная реклама", 0.1),
        ),
    ),
    _Funnel(
        "Развитие",
        "active",
        ("Потребность", "КП", "Согласование", "Договор"),
        (0.85, 0.75, 0.80, 0.90),
        (5, 10, 14, 10),
        260_000,
        1.6,
        (("Действующий клиент", 0.75), ("Входящий звонок", 0.15), ("Рекомендация", 0.1)),
    ),
    _Funnel(
        "Реактивация",
        "dormant",
        ("Контакт", "Встреча", "КП", "Договор"),
        (0.50, 0.65, 0.65, 0.85),
        (7, 14, 14, 12),
        320_000,
        5.0,
        (("Реактивация базы", 0.5), ("Email-рассылка", 0.3), ("Входящий звонок", 0.2)),
    ),
)
_FUNNEL_BY_SEGMENT = {f.segment: f for f in _FUNNELS}

# (name, price multiplier, weight in new / active / dormant funnels)
_PRODUCTS = (
    ("Лицензии 1С", 0.5, (0.25, 0.25, 0.3)),
    ("Внедрение ERP", 2.2, (0.25, 0.1, 0.15)),
    ("Техническая поддержка", 0.6, (0.15, 0.25, 0.2)),
    ("Обучение персонала", 0.3, (0.1, 0.15, 0.1)),
    ("Облачный сервис (новинка)", 0.9, (0.15, 0.15, 0.15)),
    ("Информационная безопасность (новинка)", 1.4, (0.1, 0.1, 0.1)),
)
_LOST_REASONS = (
    ("Дорого", 0.25),
    ("Выбрали конкурента", 0.2),
    ("Нет бюджета", 0.15),
    ("Не актуально", 0.12),
    ("Нет ответа", 0.12),
    ("Отложили проект", 0.1),
    ("Не подошли сроки", 0.06),
)
_COMPANY_ROOTS = (
    "Альфа", "Бета", "Вектор", "Гранит", "Сибирь", "Урал", "Волга", "Нева", "Север", "Восток", "Прогресс",
    "Техно", "Мега", "Стандарт", "Партнёр", "Ресурс", "Лидер", "Старт", "Гарант", "Профи", "Кристалл",
    "Меридиан", "Орбита", "Аврора", "Феникс", "Титан", "Самара", "Кама", "Ладога", "Байкал",
)  # fmt: skip
_COMPANY_SUFFIXES = (
    "Строй", "Торг", "Логистик", "Маркет", "Сервис", "Инвест", "Пром", "Агро", "Медиа", "Софт", "Энерго",
    "Трейд", "Фарм", "Авто", "Металл",
)  # fmt: skip
_N_CLIENTS = 180
_DEALS_PER_WORKDAY = 6.0
_QUIET_AFTER_DAYS = 45  # mean time a buying client keeps buying before it goes quiet


def _choice(rng: np.random.Generator, options: tuple[tuple[str, float], ...]) -> str:
    weights = np.array([w for _, w in options])
    return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]


def _companies(rng: np.random.Generator, n: int) -> list[str]:
    pairs = [(r, s) for r in _COMPANY_ROOTS for s in _COMPANY_SUFFIXES]
    picked = rng.choice(len(pairs), size=n, replace=False)
    forms = rng.choice(["ООО", "АО", "ПАО"], size=n, p=[0.75, 0.2, 0.05])
    return [f"{form} {pairs[i][0]}-{pairs[i][1]}" for form, i in zip(forms, picked, strict=True)]


def _sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-x))


def _simulate_deal(rng: np.random.Generator, funnel: _Funnel, start: float, shift: float) -> dict:
    """One deal's full path from ``start`` (days), ignoring the as-of date.

    ``shift`` is added to every stage's advance log-odds (seller skill,
    client fit and the deal's own quality). Returns the entries ``[(stage, day), ...]``, the
    outcome and the stage a lost deal was lost at.
    """
    k = len(funnel.stages)
    advance = _sigmoid(np.log(np.array(funnel.advance) / (1 - np.array(funnel.advance))) + shift)
    stall_at = int(rng.integers(k)) if rng.random() < 0.1 else -1
    i, now = 0, start
    path = [(funnel.stages[0], now)]
    while True:
        dur = max(0.1, funnel.days[i] * rng.lognormal(0.0, 0.7))
        if i == stall_at:
            dur *= rng.uniform(5, 15)
        if i > 0 and rng.random() < 0.015:
            # stepped back to the previous stage (missing paperwork), then returned
            now += max(0.1, dur / 2)
            path.append((funnel.stages[i - 1], now))
            now += max(0.1, funnel.days[i - 1] * rng.lognormal(0.0, 0.5) / 2)
            path.append((funnel.stages[i], now))
        now += dur
        if rng.random() >= advance[i]:
            now += dur * rng.uniform(0, 1.5)  # a dead deal is marked lost late
            path.append((LOST_STAGE, now))
            return {"path": path, "outcome": LOST, "lost_stage": funnel.stages[i]}
        if i == k - 1:
            path.append((WON_STAGE, now))
            return {"path": path, "outcome": WON, "lost_stage": None}
        i += 2 if i + 2 <= k - 1 and rng.random() < 0.06 else 1
        path.append((funnel.stages[i], now))


def _true_win_chance(funnel: _Funnel, shift: float, stage_index: int) -> float:
    """P(win | at stage ``stage_index``) for this deal (skips ignored)."""
    p = np.array(funnel.advance[stage_index:])
    return float(np.prod(_sigmoid(np.log(p / (1 - p)) + shift)))


def _stated(truth: float, bias: float, noise: float) -> float:
    """A seller's stated probability: the truth blurred on the log-odds scale, plus his bias.

    Rounded as people do (whole percents below 10 %, else steps of 5 pp).
    """
    truth = min(max(truth, 1e-4), 1 - 1e-4)
    p = float(np.clip(_sigmoid(np.log(truth / (1 - truth)) + noise) + bias, 0.01, 0.99))
    return round(p, 2) if p < 0.1 else round(p * 20) / 20


def _deal_times(rng: np.random.Generator, horizon: int, start_weekday: int) -> np.ndarray:
    """Creation times (days from the start): working days, business growing by half over the period."""
    days = np.arange(horizon)
    weekday = (days + start_weekday) % 7 < 5
    rate = np.where(weekday, 1.0, 0.08) * _DEALS_PER_WORKDAY * (0.8 + 0.5 * days / horizon)
    counts = rng.poisson(rate)
    starts = np.repeat(days, counts).astype(float)
    return np.sort(starts + rng.random(starts.size))


def _simulate(rng: np.random.Generator, horizon: int, start_weekday: int) -> list[dict]:
    """Every deal in creation order; times are days from the start.

    Each deal goes to a client drawn with weight (client's size) × (attention
    its segment gets); the segment is the client's real one at that moment,
    from the wins that closed before it.
    """
    companies = _companies(rng, _N_CLIENTS)
    weights = rng.lognormal(0.0, 0.8, size=_N_CLIENTS)
    fit = rng.normal(0.0, 0.3, size=_N_CLIENTS)  # some clients are easier to sell to
    # snake order over sizes gives every seller a similar book
    ranked = np.argsort(-weights, kind="stable")
    snake = np.concatenate([np.arange(len(_SELLERS)), np.arange(len(_SELLERS))[::-1]])
    owners = np.empty(_N_CLIENTS, dtype=int)
    owners[ranked] = snake[np.arange(_N_CLIENTS) % snake.size]
    # nearly half of the prospects are already known when the CRM starts
    early = rng.random(_N_CLIENTS) < 0.45
    arrivals = np.where(early, 0.0, rng.uniform(0, horizon - 30, _N_CLIENTS))
    attention = np.array([f.attention for f in _FUNNELS])
    product_names = tuple(p[0] for p in _PRODUCTS)

    last_win = np.full(_N_CLIENTS, -np.inf)
    quiet_from = np.full(_N_CLIENTS, np.inf)  # an active client stops buying from then on
    pending: list[tuple[float, int]] = []  # (win day, client) of wins not closed yet
    deals: list[dict] = []
    for t in _deal_times(rng, horizon, start_weekday):
        while pending and pending[0][0] < t:
            day, c = heapq.heappop(pending)
            if np.isinf(last_win[c]) or quiet_from[c] <= day:
                # a first purchase, or a quiet client won back: how long until it goes quiet
                quiet_from[c] = day + rng.exponential(_QUIET_AFTER_DAYS)
            last_win[c] = max(last_win[c], day)
        # 0 new, 1 active, 2 dormant: the rule of derive_segments
        seg = np.where(np.isinf(last_win), 0, np.where(t - last_win <= _DORMANCY_DAYS, 1, 2))
        w = np.where((arrivals <= t) & ~((seg == 1) & (quiet_from <= t)), weights * attention[seg], 0.0)
        c = int(rng.choice(_N_CLIENTS, p=w / w.sum()))
        funnel = _FUNNELS[seg[c]]
        seller = _SELLERS[owners[c]]
        shift = seller.skill + fit[c] + rng.normal(0.0, 0.5)
        deal = _simulate_deal(rng, funnel, float(t), shift)
        if deal["outcome"] == WON:
            heapq.heappush(pending, (deal["path"][-1][1], c))
        product_weights = np.array([p[2][seg[c]] for p in _PRODUCTS])
        product = int(rng.choice(len(_PRODUCTS), p=product_weights / product_weights.sum()))
        amount = funnel.amount_median * _PRODUCTS[product][1] * np.sqrt(weights[c]) * rng.lognormal(0.0, 0.6)
        deal.update(
            client_id=companies[c],
            funnel=funnel,
            owner=seller,
            shift=shift,
            created=float(t),
            amount=max(5_000.0, float(np.round(amount / 1_000) * 1_000)),
            product=product_names[product],
            source=_choice(rng, funnel.sources),
            lost_reason=_choice(rng, _LOST_REASONS) if deal["outcome"] == LOST else None,
            plan_days=float(sum(funnel.days) * rng.lognormal(0.0, 0.3)),
            noise=rng.normal(0.0, 0.35),
        )
        deals.append(deal)
    return deals


def _config(deals: list[dict]) -> FunnelConfig:
    """The three funnels with P(won | reached stage) of the simulated truth.

    Uses every simulated deal's final outcome, including those that finish
    after the as-of date, so the defaults are the process's own rates.
    """
    specs = []
    for funnel in _FUNNELS:
        k = len(funnel.stages)
        reached = np.zeros(k)
        won = np.zeros(k)
        for deal in deals:
            if deal["funnel"] is not funnel:
                continue
            entered = [funnel.stages.index(s) for s, _ in deal["path"] if s in funnel.stages]
            furthest = k - 1 if deal["outcome"] == WON else max(entered)
            reached[: furthest + 1] += 1
            won[: furthest + 1] += deal["outcome"] == WON
        rates = np.round(won / np.maximum(reached, 1), 2)
        specs.append(
            FunnelSpec(
                funnel.name,
                [StageSpec(s, float(p)) for s, p in zip(funnel.stages, rates, strict=True)],
                won=[WON_STAGE],
                lost=[LOST_STAGE],
            )
        )
    return FunnelConfig(specs)


def _stamp(start: pd.Timestamp, days: float) -> pd.Timestamp:
    """Day ``days`` after ``start``; its fraction maps onto working hours 9:00-19:00 (order kept)."""
    day = np.floor(days)
    return start + pd.Timedelta(days=int(day), minutes=540 + round((days - day) * 600))


def generate_demo(
    seed: int = DEFAULT_SEED, as_of: date = DEFAULT_AS_OF
) -> tuple[pd.DataFrame, pd.DataFrame, FunnelConfig]:
    """Simulate the demo CRM: deals, their stage history and the funnel config.

    Parameters
    ----------
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed gives identical
        output.
    as_of : datetime.date
        Export date: deals are created over the two years before it, and
        whatever has not closed by then is open at the stage it reached.

    Returns
    -------
    deals : pandas.DataFrame
        Canonical deal table (:func:`funnel_model.schema.conform`), ordered by
        ``deal_id`` (which grows with creation time); ``segment`` is empty.
    history : pandas.DataFrame
        ``deal_id, stage, entered_at``: every stage entry up to ``as_of``,
        including the terminal won or lost stage of closed deals.
    config : FunnelConfig
        The three funnels, stages in order, default probabilities from the
        simulated process.
    """
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(days=_HISTORY_DAYS)
    sim = _simulate(rng, _HISTORY_DAYS, start.weekday())
    config = _config(sim)

    # amoCRM-like ids: increasing with creation time, with gaps
    order = sorted(range(len(sim)), key=lambda j: (sim[j]["created"], j))
    ids = 21_000_000 + np.cumsum(rng.integers(1, 60, size=len(sim)))
    horizon = float(_HISTORY_DAYS)

    rows, history = [], []
    for deal_id, j in zip(ids, order, strict=True):
        d = sim[j]
        funnel: _Funnel = d["funnel"]
        path = [(s, day) for s, day in d["path"] if day < horizon]
        stage, closed_day = path[-1][0], d["path"][-1][1]
        is_closed = closed_day < horizon
        status = d["outcome"] if is_closed else OPEN
        # closed deals keep the estimate stated at creation, open ones the current one
        truth = _true_win_chance(funnel, d["shift"], 0 if is_closed else funnel.stages.index(stage))
        stated = _stated(truth, d["owner"].bias, d["noise"])
        rows.append(
            {
                "deal_id": str(deal_id),
                "client_id": d["client_id"],
                "funnel": funnel.name,
                "stage": stage,
                "status": status,
                "lost_stage": d["lost_stage"] if status == LOST else None,
                "amount": d["amount"],
                "owner": d["owner"].name,
                "created_at": _stamp(start, d["created"]),
                "closed_at": _stamp(start, closed_day) if is_closed else pd.NaT,
                "expected_close_at": pd.NaT if is_closed else start + np.floor(d["created"] + d["plan_days"]) * _DAY,
                "probability": stated,
                "product": d["product"],
                "source": d["source"],
                "lost_reason": d["lost_reason"] if status == LOST else None,
            }
        )
        history += [(str(deal_id), s, _stamp(start, day)) for s, day in path]

    deals = conform(pd.DataFrame(rows, columns=list(DEAL_COLUMN_NAMES)))
    hist = pd.DataFrame(history, columns=list(HISTORY_COLUMNS)).astype(
        {"deal_id": "str", "stage": "str", "entered_at": "datetime64[ns]"}
    )
    return deals, hist, config


def _russian_amount(x: float) -> str:
    return f"{round(x):,}".replace(",", " ")


def amocrm_export(deals: pd.DataFrame) -> pd.DataFrame:
    """The deals as an amoCRM «Экспорт сделок» would show them (all text).

    Open deals' «Дата закрытия» is «не закрыта»; won and lost deals carry the
    amoCRM terminal stages; there is no loss stage and no probability, as in
    a real export.
    """
    fmt = "%d.%m.%Y %H:%M:%S"
    return pd.DataFrame(
        {
            "ID": deals["deal_id"],
            "Название сделки": deals["product"] + ": " + deals["client_id"],
            "Бюджет ": deals["amount"].map(_russian_amount),
            "Ответственный": deals["owner"],
            "Дата создания сделки": deals["created_at"].dt.strftime(fmt),
            "Дата закрытия": deals["closed_at"].dt.strftime(fmt).fillna("не закрыта"),
            "Этап сделки": deals["stage"],
            "Воронка": deals["funnel"],
            "Компания": deals["client_id"],
            "Источник": deals["source"],
            "Продукт": deals["product"],
            "Причина отказа": deals["lost_reason"].fillna(""),
        }
    )


def _csv_bytes(frame: pd.DataFrame, *, sep: str = ",", encoding: str = "utf-8", newline: str = "\n") -> bytes:
    text = frame.to_csv(
        index=False, sep=sep, lineterminator=newline, date_format="%Y-%m-%d %H:%M:%S", float_format="%.10g"
    )
    return text.encode(encoding)


def write_demo_files(folder: str | Path, seed: int = DEFAULT_SEED, as_of: date = DEFAULT_AS_OF) -> list[Path]:
    """Write the demo files (:data:`DEMO_FILES`) into ``folder``.

    The bytes depend only on ``seed`` and ``as_of``: the canonical tables as
    UTF-8 CSV with ``,``, ISO timestamps and ``.`` decimals; the config as
    JSON; the amoCRM export as Windows-1251 CSV with ``;`` and CRLF.

    Returns
    -------
    list of pathlib.Path
        The files written, in :data:`DEMO_FILES` order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    deals, history, config = generate_demo(seed, as_of)
    contents = (
        _csv_bytes(deals),
        _csv_bytes(history),
        (config.to_json() + "\n").encode("utf-8"),
        _csv_bytes(amocrm_export(deals), sep=";", encoding="cp1251", newline="\r\n"),
    )
    paths = []
    for name, data in zip(DEMO_FILES, contents, strict=True):
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m funnel_model.demo FOLDER``: regenerate the shipped demo files."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m funnel_model.demo FOLDER", file=sys.stderr)
        return 2
    for path in write_demo_files(args[0]):
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
