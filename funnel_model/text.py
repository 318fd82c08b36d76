"""User-supplied text made safe to show: Markdown escaping and invisible control characters.

Names of stages, funnels, sellers and columns come from the user's file. Streamlit renders labels,
captions and messages as Markdown, so a stage named ``[Verify](http://evil.example)`` would become a
live link and ``![x](http://…)`` would make the browser fetch an outside image. ``md_escape`` turns
such text into Markdown that shows exactly the characters typed. Bidi overrides and zero-width
characters make a name read differently from what it is; ``strip_invisible`` removes them.
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE", "md_escape", "strip_invisible"]

# Every character Markdown (CommonMark, GFM, Streamlit's :color[...] / :icon: and $math$) treats as syntax
# anywhere in a line, plus ':' and '@' so a bare URL or e-mail is not auto-linked. '.', '-' and '+' only
# matter at the start of a line and stay, so formatted numbers and ISO dates read unchanged.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~$:@&=])")
# "<" opens HTML or an auto-link only before a letter, "/", "!" or "?": "< 1 %" stays as it is
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
# "www.example.com" is auto-linked without any of the characters above
_WWW = re.compile(r"(?i)\b(www)\.")
# a list marker or an ordered-list number at the start of the text
_BULLET = re.compile(r"^(\s*)([-+](?=\s|$)|>)")  # a list item or a quote
_NUMBERED = re.compile(r"^(\s*\d+)\.(?=\s|$)")

# bidi marks/embeddings/overrides/isolates (the Arabic letter mark too), zero-width spaces/joiners,
# the word joiner and the BOM
INVISIBLE = "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def md_escape(text: object) -> str:
    """``text`` as Markdown that renders exactly as typed: no link, image, emphasis, heading or HTML.

    Parameters
    ----------
    text : object
        Any value; it is shown through ``str``. Line breaks become spaces (a name is one line).

    Returns
    -------
    str
        The escaped text.
    """
    plain = re.sub(r"[\r\n]+", " ", str(text))
    escaped = _WWW.sub(r"\1\\.", _TAG.sub(r"\\<", _SPECIAL.sub(r"\\\1", plain)))
    # "\\-" for a bullet, "1\\." for a number: a backslash only escapes punctuation
    return _NUMBERED.sub(r"\1\\.", _BULLET.sub(r"\1\\\2", escaped))


def strip_invisible(text: str) -> str:
    """``text`` without bidi controls and zero-width characters (they reverse or hide what is shown)."""
    return _INVISIBLE.sub("", text)
