"""What the importer knows about CRM exports: header names and default pipelines.

Header aliases map the column names of amoCRM, Bitrix24, HubSpot, Pipedrive,
Salesforce and Odoo exports (and the canonical names themselves) to the
canonical deal table. Stage templates are the CRMs' default pipelines: open
stages in order with a default win probability where the CRM ships one, and
the terminal won/lost stage names.

Matching is on :func:`normalize_name` (case-folded, «ё» as «е», spaces
collapsed), so «Бюджет », «БЮДЖЕТ» and «бюджет» are the same header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from funnel_model.schema import LOST, OPEN, WON
from funnel_model.text import strip_invisible

__all__ = [
    "HEADER_ALIASES",
    "HISTORY_ALIASES",
    "LOST_STAGE_NAMES",
    "LOST_TIME_HEADERS",
    "NULL_TOKENS",
    "STAGE_TEMPLATES",
    "STATUS_VALUES",
    "WON_STAGE_NAMES",
    "StageTemplate",
    "normalize_name",
]

_SPACES = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Case-fold ``text``, read «ё» as «е», collapse whitespace (NBSP included), drop bidi controls
    and zero-width characters."""
    return _SPACES.sub(" ", strip_invisible(str(text)).replace("ё", "е").replace("Ё", "Е")).strip().casefold()


# Canonical column -> header aliases, best first: when several headers of one
# file match a column, the one earliest in this list wins.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "deal_id": (
        "deal_id",
        "id сделки",
        "deal id",
        "record id",
        "deal - id",
        "opportunity id",
        "номер сделки",
        "id",
    ),
    "client_id": (
        "client_id",
        "компания",
        "клиент",
        "контрагент",
        "associated company",
        "company",
        "company name",
        "account name",
        "deal - organization",
        "organization",
        "customer",
    ),
    "funnel": ("funnel", "воронка", "направление", "pipeline", "deal - pipeline", "sales pipeline"),
    "segment": ("segment", "сегмент", "сегмент клиента"),
    "stage": ("stage", "этап сделки", "стадия сделки", "этап", "стадия", "deal stage", "deal - stage"),
    "status": ("status", "статус", "статус сделки", "deal - status", "deal status"),
    "lost_stage": (
        "lost_stage",
        "этап, на котором проиграна",
        "этап проигрыша",
        "lost stage",
        "deal - lost stage",
    ),
    "amount": (
        "amount",
        "бюджет",
        "сумма",
        "сумма сделки",
        "бюджет сделки",
        "deal - value",
        "value",
        "expected revenue",
        "deal amount",
    ),
    "owner": (
        "owner",
        "ответственный",
        "менеджер",
        "ответственный менеджер",
        "deal owner",
        "deal - owner",
        "opportunity owner",
        "salesperson",
    ),
    "created_at": (
        "created_at",
        "дата создания сделки",
        "дата создания",
        "create date",
        "created date",
        "deal - deal created",
        "deal - add time",
        "created on",
    ),
    "closed_at": (
        "closed_at",
        "дата закрытия",
        "дата закрытия сделки",
        "close date",
        "deal - deal closed on",
        "deal - close time",
        "deal - won time",
        "closed date",
        "deal - lost time",  # only when nothing else dates the closing: see LOST_TIME_HEADERS
    ),
    "expected_close_at": (
        "expected_close_at",
        "предполагаемая дата закрытия",
        "планируемая дата закрытия",
        "expected close date",
        "deal - expected close date",
        "expected closing",
    ),
    "probability": (
        "probability",
        "вероятность",
        "вероятность, %",
        "deal probability",
        "probability (%)",
        "deal - probability",
    ),
    "product": ("product", "продукт", "товар", "услуга", "products", "deal - product"),
    "source": (
        "source",
        "источник",
        "источник сделки",
        "utm_source",
        "lead source",
        "deal - source channel",
        "deal - source",
        "original source",
    ),
    "lost_reason": (
        "lost_reason",
        "причина отказа",
        "причина проигрыша",
        "closed lost reason",
        "deal - lost reason",
        "lost reason",
        "loss reason",
    ),
}

# Stage history files (amoCRM «События», Bitrix24 «История стадий», own exports).
HISTORY_ALIASES: dict[str, tuple[str, ...]] = {
    "deal_id": ("deal_id", "id сделки", "сделка id", "deal id", "record id", "id", "сделка"),
    "stage": ("stage", "этап", "новый этап", "этап сделки", "стадия", "стадия сделки", "to_stage", "deal stage"),
    "entered_at": (
        "entered_at",
        "дата перехода",
        "время перехода",
        "дата изменения",
        "дата",
        "date",
        "timestamp",
        "changed_at",
        "entered at",
    ),
}

# Cell texts that mean "no value" rather than a bad value.
# Pipedrive dates a won deal in «Won time» and a lost one in «Lost time»: both close it.
LOST_TIME_HEADERS = ("deal - lost time", "lost time")

NULL_TOKENS = frozenset(
    {"", "-", "—", "–", "n/a", "na", "nan", "nat", "none", "null", "не закрыта", "не указано", "нет", "not closed"}
    # Excel's error values: a formula that failed holds no value
    | {"#n/a", "#ref!", "#value!", "#div/0!", "#name?", "#null!", "#num!", "#spill!", "#calc!", "#getting_data"}
)

# Values of a status column.
STATUS_VALUES: dict[str, str] = {
    **dict.fromkeys(("won", "win", "closed won", "выиграна", "выиграно", "успешно", "успех", "успешна"), WON),
    **dict.fromkeys(
        ("lost", "loss", "closed lost", "проиграна", "проиграно", "провалена", "отказ", "неуспешно", "не реализовано"),
        LOST,
    ),
    **dict.fromkeys(("open", "в работе", "открыта", "открыто", "активна", "in progress", "active"), OPEN),
}


@dataclass(frozen=True)
class StageTemplate:
    """A CRM's default pipeline.

    Attributes
    ----------
    crm : str
        The CRM it ships with.
    stages : tuple of str
        Open stages in order.
    probabilities : tuple of float or None
        The CRM's default win probability per open stage, if it has them.
    won, lost : tuple of str
        Terminal stage names.
    """

    crm: str
    stages: tuple[str, ...]
    probabilities: tuple[float, ...] | None
    won: tuple[str, ...]
    lost: tuple[str, ...]


STAGE_TEMPLATES: tuple[StageTemplate, ...] = (
    StageTemplate(
        "amoCRM",
        ("Неразобранное", "Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора"),
        None,
        ("Успешно реализовано",),
        ("Закрыто и не реализовано",),
    ),
    StageTemplate(
        "Bitrix24",
        ("Новая", "Подготовка документов", "Счёт на предоплату", "В работе", "Финальный счёт"),
        None,
        ("Сделка успешна",),
        ("Сделка провалена", "Анализ причины провала"),
    ),
    StageTemplate(
        "HubSpot",
        (
            "Appointment Scheduled",
            "Qualified To Buy",
            "Presentation Scheduled",
            "Decision Maker Bought-In",
            "Contract Sent",
        ),
        (0.2, 0.4, 0.6, 0.8, 0.9),
        ("Closed Won",),
        ("Closed Lost",),
    ),
    StageTemplate(
        "HubSpot (internal ids)",
        ("appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"),
        (0.2, 0.4, 0.6, 0.8, 0.9),
        ("closedwon",),
        ("closedlost",),
    ),
    StageTemplate(
        "Pipedrive",
        ("Lead In", "Qualified", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"),
        None,
        ("Won",),
        ("Lost",),
    ),
    StageTemplate(
        "Salesforce",
        (
            "Prospecting",
            "Qualification",
            "Needs Analysis",
            "Value Proposition",
            "Id. Decision Makers",
            "Perception Analysis",
            "Proposal/Price Quote",
            "Negotiation/Review",
        ),
        (0.1, 0.1, 0.2, 0.5, 0.6, 0.7, 0.75, 0.9),
        ("Closed Won",),
        ("Closed Lost",),
    ),
    StageTemplate("Odoo", ("New", "Qualified", "Proposition"), (0.1, 0.3, 0.6), ("Won",), ("Lost",)),
)

# Terminal stage names (normalized) that fix the status when no status column says otherwise.
WON_STAGE_NAMES = frozenset(
    {normalize_name(s) for t in STAGE_TEMPLATES for s in t.won} | {"won", "closed won", "выиграна", "успешно"}
)
LOST_STAGE_NAMES = frozenset(
    {normalize_name(s) for t in STAGE_TEMPLATES for s in t.lost} | {"lost", "closed lost", "проиграна", "отказ"}
)
