"""Hostile content for the app: names that try Markdown, HTML, formulas, bidi tricks and sheer size.

``hostile_deals_csv()`` is a deal export whose every user-supplied field (funnel, stage, seller,
client, product, source, loss reason, an extra column's header and the file name) is one of
``NAMES``; ``live_markdown(text)`` finds what in a shown text Markdown would still turn into a link,
an image or HTML.
"""

from __future__ import annotations

import csv
import io
import re

LINK = "[Verify your account](http://evil.example)"
IMAGE = "![x](http://evil.example/x.png)"
NAMES = {
    "link": LINK,
    "image": IMAGE,
    "html": '<img src="http://evil.example/h.png" onerror="alert(1)">',
    "autolink": "<http://evil.example/auto> www.evil.example mail@evil.example",
    "emphasis": "**bold** _it_ ~~gone~~ `code` $x^2$ :red[red] :material/home:",
    "heading": "# Heading | table |",
    "formula": '=HYPERLINK("http://evil.example","click")',
    "formula_plus": "+cmd|' /C calc'!A0",
    "formula_at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "bidi": "Ivan\u202eevil\u202c Petrov",
    "zero_width": "Ma\u200bria\u200d So\ufeffkolova",
    "long": "L" * 10_000,
}
# amounts an account number or an overflow would make, and dates no CRM writes
ABSURD_AMOUNTS = ("1e308", "1e308", "12345678901234567890", "-1e308", "NaN", "inf", "0x1F")
ABSURD_DATES = ("9999-12-31", "0001-01-01", "31.02.2024", "1900-01-00", "2024-13-45", "99999")
FILE_NAME = "[file](http://evil.example/f).csv"
EXTRA_HEADER = "[column](http://evil.example/c)"

# once the escapes are taken out, none of these may be left in a shown text: links, images, HTML,
# auto-links, and the emphasis, code, math, colour, icon and heading syntax of NAMES["emphasis"/"heading"]
_LIVE = re.compile(
    r"\]\(|!\[|<[a-z/!]|://|\bwww\.|\w@\w|\*\*bold|_it_|~~gone|`code|\$x|:red\[|:material/home|^# Heading",
    re.IGNORECASE | re.MULTILINE,
)


def live_markdown(text: str) -> list[str]:
    """The Markdown constructs ``text`` would render (links, images, HTML, emphasis...), if any."""
    return _LIVE.findall(re.sub(r"\\.", "", text))


def hostile_deals_csv() -> bytes:
    """An export of 48 deals in two hostile-named funnels, every name field hostile, some amounts and dates absurd."""
    names = list(NAMES.values())
    header = ["deal_id", "client_id", "funnel", "stage", "status", "amount", "owner", "created_at", "closed_at"]
    header += ["product", "source", "lost_reason", EXTRA_HEADER]
    stages = [LINK, IMAGE, NAMES["html"], NAMES["emphasis"]]
    rows = []
    for i in range(48):
        funnel = NAMES["link"] if i % 2 else NAMES["formula"]
        kind = i % 6
        status = "won" if kind == 0 else "lost" if kind == 1 else "open"
        stage = {"won": "Won", "lost": "Lost"}.get(status, stages[i % len(stages)])
        closed = f"2024-{1 + i % 12:02d}-20" if status != "open" else ""
        name = names[i % len(names)]
        amount = ABSURD_AMOUNTS[i] if i < len(ABSURD_AMOUNTS) else str(1000 * (i + 1))
        owner, source = names[(i + 3) % len(names)], names[(i + 5) % len(names)]
        reason = names[(i + 7) % len(names)] if status == "lost" else ""
        created = ABSURD_DATES[i] if i < len(ABSURD_DATES) else f"2023-{1 + i % 12:02d}-02"
        rows.append([f"D{i}", name, funnel, stage, status, amount, owner, created, closed, name, source, reason, name])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")
