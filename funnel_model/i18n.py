"""One translation function for every user-facing string.

Catalogs live in ``funnel_model.locales``: one module per area, each a dict
``MESSAGES = {key: {"en": ..., "ru": ...}}``. Both languages are required for
every key (a test enforces it). Placeholders use ``str.format`` syntax.
"""

from __future__ import annotations

from functools import cache

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "catalog", "t"]

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "en"


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages of all areas, merged; a key defined twice is a bug."""
    from funnel_model.locales import AREAS

    merged: dict[str, dict[str, str]] = {}
    for area in AREAS:
        for key, texts in area.MESSAGES.items():
            if key in merged:
                raise KeyError(f"message key {key!r} defined twice ({area.__name__})")
            merged[key] = texts
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """Translate ``key`` into ``lang`` and fill in ``params``.

    An unknown key comes back as itself, so a missing entry shows up on the
    page as an odd word rather than a crash (and the catalog test catches it).
    """
    texts = catalog().get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text
