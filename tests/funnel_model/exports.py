"""Fixture builders: the same twelve deals written as each CRM's export.

Every builder takes a directory, writes one file into it and returns an
:class:`Export` with the path and what a correct import must find (deal
count, won / lost / open counts, total amount). The deals are fixed here so
the expected figures are computed by hand from one small table.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

# (title, company, owner, kind, stage index (open: current, lost: where lost), amount,
#  created, closed, probability %, source, lost reason)
# kind: "open", "won", "lost"
DEALS = [
    (
        "ERP внедрение",
        "ООО Север",
        "Иван Петров",
        "open",
        0,
        1_200_000.50,
        dt.datetime(2024, 1, 15, 10, 30),
        None,
        10,
        "Сайт",
        "",
    ),
    (
        "CRM лицензии",
        "ООО Юг",
        "Иван Петров",
        "open",
        1,
        350_000.00,
        dt.datetime(2024, 2, 1, 9, 0),
        None,
        30,
        "Выставка",
        "",
    ),
    (
        "Аудит",
        "АО Запад",
        "Ольга Смирнова",
        "open",
        2,
        99_000.00,
        dt.datetime(2024, 2, 10, 14, 0),
        None,
        50,
        "Сайт",
        "",
    ),
    (
        "Поддержка",
        "АО Восток",
        "Ольга Смирнова",
        "open",
        3,
        45_500.25,
        dt.datetime(2024, 3, 5, 11, 15),
        None,
        70,
        "Звонок",
        "",
    ),
    (
        "Обучение",
        "ИП Ким",
        "Пётр Иванов",
        "open",
        1,
        120_000.00,
        dt.datetime(2024, 3, 20, 16, 45),
        None,
        30,
        "Сайт",
        "",
    ),
    (
        "Облако",
        "ООО Север",
        "Иван Петров",
        "won",
        3,
        2_500_000.00,
        dt.datetime(2023, 11, 1, 10, 0),
        dt.datetime(2024, 1, 20, 12, 0),
        100,
        "Сайт",
        "",
    ),
    (
        "Интеграция",
        "ООО Юг",
        "Ольга Смирнова",
        "won",
        3,
        780_000.75,
        dt.datetime(2023, 12, 12, 9, 30),
        dt.datetime(2024, 2, 14, 18, 0),
        100,
        "Выставка",
        "",
    ),
    (
        "Миграция",
        "АО Запад",
        "Пётр Иванов",
        "won",
        3,
        310_000.00,
        dt.datetime(2024, 1, 9, 13, 0),
        dt.datetime(2024, 3, 1, 10, 0),
        100,
        "Звонок",
        "",
    ),
    (
        "Консалтинг",
        "ИП Ким",
        "Иван Петров",
        "won",
        3,
        64_000.00,
        dt.datetime(2024, 1, 25, 15, 0),
        dt.datetime(2024, 3, 15, 9, 0),
        100,
        "Сайт",
        "",
    ),
    (
        "Серверы",
        "АО Восток",
        "Ольга Смирнова",
        "lost",
        1,
        1_750_000.00,
        dt.datetime(2023, 10, 3, 10, 0),
        dt.datetime(2024, 1, 10, 11, 0),
        0,
        "Звонок",
        "Цена",
    ),
    (
        "Лицензии ПО",
        "ООО Север",
        "Пётр Иванов",
        "lost",
        0,
        210_000.00,
        dt.datetime(2023, 12, 1, 12, 0),
        dt.datetime(2024, 2, 2, 12, 0),
        0,
        "Сайт",
        "Нет бюджета",
    ),
    (
        "Сопровождение",
        "ООО Юг",
        "Иван Петров",
        "lost",
        2,
        88_000.00,
        dt.datetime(2024, 2, 20, 10, 0),
        dt.datetime(2024, 3, 25, 17, 0),
        0,
        "Выставка",
        "Конкурент",
    ),
]
N_DEALS = len(DEALS)
N_WON = sum(d[3] == "won" for d in DEALS)
N_LOST = sum(d[3] == "lost" for d in DEALS)
N_OPEN = sum(d[3] == "open" for d in DEALS)
TOTAL = round(sum(d[5] for d in DEALS), 2)


@dataclass
class Export:
    """A written export and what a correct import of it finds."""

    path: Path
    n: int = N_DEALS
    won: int = N_WON
    lost: int = N_LOST
    open: int = N_OPEN
    amount: float = TOTAL
    rejected: int = 0
    mapping: dict[str, str] = field(default_factory=dict)
    stages: list[str] = field(default_factory=list)  # expected open stages of the first funnel, in order


def _stage(kind: str, index: int, stages: list[str], won: str, lost: str) -> str:
    return {"open": stages[index], "won": won, "lost": lost}[kind]


def _ru_amount(x: float, sep: str = " ") -> str:
    """1200000.5 -> '1 200 000,50' (whole numbers without decimals)."""
    whole, frac = f"{x:,.2f}".split(".")
    whole = whole.replace(",", sep)
    return whole if frac == "00" else f"{whole},{frac}"


def _write_csv(path: Path, rows: list[list], *, delimiter=",", encoding="utf-8", quoting=csv.QUOTE_MINIMAL, end="\r\n"):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=end)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


AMO_STAGES = ["Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора"]
AMO_HEADER = [
    "ID",
    "Название сделки",
    "Бюджет ",
    "Ответственный",
    "Дата создания сделки",
    "Дата закрытия",
    "Этап сделки",
    "Воронка",
    "Компания",
    "Компания",
    "Источник",
    "Теги",
]


def _amo_rows(native: bool) -> list[list]:
    rows = [AMO_HEADER]
    for i, (title, company, owner, kind, k, amount, created, closed, _p, source, _r) in enumerate(DEALS):
        stage = _stage(kind, k, AMO_STAGES, "Успешно реализовано", "Закрыто и не реализовано")
        funnel = "Продажи" if i % 3 else "Повторные продажи"
        if native:
            row = [31000 + i, title, amount, owner, created, closed or "не закрыта", stage, funnel]
        else:
            row = [
                str(31000 + i),
                title,
                _ru_amount(amount, "\u00a0" if i % 2 else " "),
                owner,
                created.strftime("%d.%m.%Y %H:%M:%S"),
                closed.strftime("%d.%m.%Y %H:%M:%S") if closed else "не закрыта",
                stage,
                funnel,
            ]
        rows.append([*row, company, f"{company} (контакт)", source, "vip" if i == 0 else ""])
    return rows


def amocrm_csv(directory: Path) -> Export:
    """amoCRM CSV: Windows-1251, `;`, «Бюджет » with a trailing space, two «Компания» columns."""
    path = directory / "amocrm_export.csv"
    _write_csv(path, _amo_rows(native=False), delimiter=";", encoding="cp1251")
    return Export(
        path, mapping={"amount": "Бюджет", "client_id": "Компания", "stage": "Этап сделки", "funnel": "Воронка"}
    )


def amocrm_xlsx(directory: Path) -> Export:
    """amoCRM XLSX: real numbers and datetimes, «не закрыта» text in the close date column."""
    path = directory / "amocrm_export.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Сделки"
    for row in _amo_rows(native=True):
        ws.append(row)
    wb.save(path)
    return Export(path, mapping={"amount": "Бюджет", "client_id": "Компания", "created_at": "Дата создания сделки"})


BITRIX_STAGES = ["Новая", "Подготовка документов", "Счёт на предоплату", "В работе"]
BITRIX_HEADER = [
    "Название сделки",
    "Стадия сделки",
    "Сумма",
    "Валюта",
    "Вероятность",
    "Ответственный",
    "Компания",
    "Дата создания",
    "Предполагаемая дата закрытия",
    "Направление",
    "Источник",
]


def _bitrix_rows() -> list[list[str]]:
    rows = [BITRIX_HEADER]
    for title, company, owner, kind, k, amount, created, closed, p, source, _r in DEALS:
        stage = _stage(kind, k, BITRIX_STAGES, "Сделка успешна", "Сделка провалена")
        expected = (closed or created + dt.timedelta(days=60)).strftime("%d.%m.%Y")
        rows.append(
            [
                title,
                stage,
                _ru_amount(amount),
                "RUB",
                str(p),
                owner,
                company,
                created.strftime("%d.%m.%Y %H:%M:%S"),
                expected,
                "Общее",
                source,
            ]
        )
    return rows


def bitrix24_csv(directory: Path) -> Export:
    """Bitrix24 CSV: UTF-8 with BOM, every field quoted, `;`, a trailing `;` on every line, no ID column."""
    path = directory / "bitrix24_deals.csv"
    _write_csv(path, _bitrix_rows(), delimiter=";", encoding="utf-8-sig", quoting=csv.QUOTE_ALL, end=";\r\n")
    return Export(
        path, mapping={"stage": "Стадия сделки", "amount": "Сумма", "funnel": "Направление"}, stages=BITRIX_STAGES
    )


def bitrix24_html_xls(directory: Path) -> Export:
    """Bitrix24 «Excel» export: an HTML table saved with the .xls extension."""
    path = directory / "bitrix24_deals.xls"
    rows = _bitrix_rows()
    head = "".join(f"<th>{html.escape(h)}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>\n" for r in rows[1:])
    path.write_text(
        '<meta http-equiv="Content-type" content="text/html;charset=UTF-8" />\n'
        f'<table border="1">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>\n',
        encoding="utf-8",
    )
    return Export(path, mapping={"stage": "Стадия сделки", "probability": "Вероятность"}, stages=BITRIX_STAGES)


HUBSPOT_STAGES = ["Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled", "Decision Maker Bought-In"]


def hubspot_csv(directory: Path) -> Export:
    """HubSpot CSV: ISO dates, fractional probabilities, Close Date also on open deals."""
    path = directory / "hubspot-crm-exports-all-deals.csv"
    rows = [
        [
            "Record ID",
            "Deal Name",
            "Deal Stage",
            "Amount",
            "Close Date",
            "Create Date",
            "Deal owner",
            "Pipeline",
            "Associated Company",
            "Closed Lost Reason",
            "Deal probability",
            "Original Source",
        ]
    ]
    for i, (title, company, owner, kind, k, amount, created, closed, p, source, reason) in enumerate(DEALS):
        stage = _stage(kind, k, HUBSPOT_STAGES, "Closed Won", "Closed Lost")
        close = closed or created + dt.timedelta(days=90)
        rows.append(
            [
                str(9_000_000_000 + i),
                title,
                stage,
                f"{amount:.2f}",
                close.strftime("%Y-%m-%d %H:%M"),
                created.strftime("%Y-%m-%d %H:%M"),
                owner,
                "Sales Pipeline",
                company,
                reason,
                f"{p / 100:g}",
                source,
            ]
        )
    _write_csv(path, rows)
    return Export(
        path,
        mapping={"deal_id": "Record ID", "stage": "Deal Stage", "source": "Original Source"},
        stages=HUBSPOT_STAGES,
    )


PIPEDRIVE_STAGES = ["Qualified", "Contact Made", "Demo Scheduled", "Proposal Made"]


def pipedrive_csv(directory: Path) -> Export:
    """Pipedrive CSV: «Deal - …» headers; a closed deal keeps its last stage and says won/lost in Status."""
    path = directory / "deals-pipedrive.csv"
    rows = [
        [
            "Deal - ID",
            "Deal - Title",
            "Deal - Value",
            "Deal - Currency",
            "Deal - Stage",
            "Deal - Status",
            "Deal - Owner",
            "Deal - Organization",
            "Deal - Lost reason",
            "Deal - Deal created",
            "Deal - Won time",
            "Deal - Source channel",
        ]
    ]
    for i, (title, company, owner, kind, k, amount, created, closed, _p, source, reason) in enumerate(DEALS):
        rows.append(
            [
                str(100 + i),
                title,
                f"{amount:.2f}".rstrip("0").rstrip("."),
                "RUB",
                PIPEDRIVE_STAGES[k],
                kind,
                owner,
                company,
                reason,
                created.strftime("%Y-%m-%d %H:%M:%S"),
                closed.strftime("%Y-%m-%d %H:%M:%S") if kind == "won" else "",
                source,
            ]
        )
    _write_csv(path, rows)
    return Export(path, mapping={"status": "Deal - Status", "source": "Deal - Source channel"}, stages=PIPEDRIVE_STAGES)


SALESFORCE_STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition"]


def salesforce_csv(directory: Path) -> Export:
    """Salesforce report CSV: "$1,200.50" amounts, M/D/YYYY dates, footer lines with no data."""
    path = directory / "report1700000000000.csv"
    rows = [
        [
            "Opportunity Name",
            "Account Name",
            "Opportunity Owner",
            "Stage",
            "Amount",
            "Probability (%)",
            "Close Date",
            "Created Date",
            "Lead Source",
        ]
    ]
    for title, company, owner, kind, k, amount, created, closed, p, source, _r in DEALS:
        close = closed or created + dt.timedelta(days=90)
        rows.append(
            [
                title,
                company,
                owner,
                _stage(kind, k, SALESFORCE_STAGES, "Closed Won", "Closed Lost"),
                f"${amount:,.2f}",
                f"{p}%",
                f"{close.month}/{close.day}/{close.year}",
                f"{created.month}/{created.day}/{created.year}",
                source,
            ]
        )
    rows += [
        [],
        [f"Grand Totals ({N_DEALS} records)"],
        [],
        ["Confidential Information - Do Not Distribute"],
        [],
        ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
    ]
    _write_csv(path, rows, quoting=csv.QUOTE_ALL)
    return Export(
        path,
        rejected=3,
        mapping={"client_id": "Account Name", "probability": "Probability (%)"},
        stages=SALESFORCE_STAGES,
    )


ODOO_STAGES = ["New", "Qualified", "Proposition", "Proposition"]


def odoo_xlsx(directory: Path) -> Export:
    """Odoo CRM XLSX (Opportunity, Customer, Expected Revenue, Stage, ...); lost deals as stage «Lost»."""
    path = directory / "crm.lead.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "Opportunity",
            "Customer",
            "Salesperson",
            "Stage",
            "Expected Revenue",
            "Probability",
            "Created on",
            "Expected Closing",
            "Source",
        ]
    )
    for title, company, owner, kind, k, amount, created, closed, p, source, _r in DEALS:
        stage = _stage(kind, k, ODOO_STAGES, "Won", "Lost")
        ws.append([title, company, owner, stage, amount, float(p), created, (closed or created).date(), source])
    wb.save(path)
    return Export(
        path,
        mapping={"client_id": "Customer", "amount": "Expected Revenue"},
        stages=["New", "Qualified", "Proposition"],
    )


def canonical_tab(directory: Path) -> Export:
    """The canonical format, tab-separated, Excel serial dates in created_at."""
    path = directory / "deals.tsv"
    rows = [["deal_id", "client_id", "stage", "status", "amount", "owner", "created_at", "closed_at", "lost_stage"]]
    for i, (_t, company, owner, kind, k, amount, created, closed, _p, _s, _r) in enumerate(DEALS):
        serial = (created - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        lost_stage = AMO_STAGES[k] if kind == "lost" else ""
        stage = _stage(kind, k, AMO_STAGES, "Успешно реализовано", "Закрыто и не реализовано")
        rows.append(
            [
                f"D{i}",
                company,
                stage,
                kind,
                f"{amount}",
                owner,
                f"{serial:.4f}",
                closed.isoformat() if closed else "",
                lost_stage,
            ]
        )
    _write_csv(path, rows, delimiter="\t", end="\n")
    return Export(path, stages=AMO_STAGES)


def cp1251_with_utf8_bom(directory: Path) -> Export:
    """A file that claims UTF-8 (BOM) but whose text is Windows-1251."""
    path = directory / "mislabelled.csv"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(_amo_rows(native=False))
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("cp1251"))
    return Export(path)


BUILDERS = {
    "amocrm_csv": amocrm_csv,
    "amocrm_xlsx": amocrm_xlsx,
    "bitrix24_csv": bitrix24_csv,
    "bitrix24_html_xls": bitrix24_html_xls,
    "hubspot_csv": hubspot_csv,
    "pipedrive_csv": pipedrive_csv,
    "salesforce_csv": salesforce_csv,
    "odoo_xlsx": odoo_xlsx,
    "canonical_tab": canonical_tab,
    "cp1251_with_utf8_bom": cp1251_with_utf8_bom,
}
