"""User text made safe: Markdown escaping and invisible control characters."""

from __future__ import annotations

import pytest

from funnel_model.text import md_escape, strip_invisible
from tests.hostile import IMAGE, LINK, NAMES, live_markdown


@pytest.mark.parametrize("name", sorted(NAMES))
def test_escaped_names_have_no_live_markdown_and_unescape_to_themselves(name):
    text = NAMES[name].replace("\n", " ")
    escaped = md_escape(text)
    assert not live_markdown(escaped)
    # CommonMark drops the backslash of an escaped punctuation character: the reader sees the name as typed
    assert escaped.replace("\\", "") == text.replace("\\", "")


def test_links_and_images_are_escaped_character_by_character():
    assert md_escape(LINK) == r"\[Verify your account\]\(http\://evil.example\)"
    assert md_escape(IMAGE) == r"\!\[x\]\(http\://evil.example/x.png\)"
    assert md_escape("www.evil.example") == r"www\.evil.example"


def test_numbers_dates_and_plain_names_are_left_alone():
    for text in (
        "1\u202f234.5",
        "−42",
        "+7",
        "34.9 %",
        "2024-03-01",
        "01.03.2024",
        "ООО Ромашка",
        "Anna K.",
        "< 1 %",
        "99 % >",
    ):
        assert md_escape(text) == text


def test_a_line_start_that_would_make_a_list_or_heading_is_escaped():
    assert md_escape("- Lost") == r"\- Lost"
    assert md_escape("1. Contact") == r"1\. Contact"
    assert md_escape("# Won") == r"\# Won"
    assert md_escape("a\nb") == "a b"


def test_bidi_controls_and_zero_width_characters_are_removed():
    assert strip_invisible(NAMES["bidi"]) == "Ivanevil Petrov"
    assert strip_invisible(NAMES["zero_width"]) == "Maria Sokolova"


def test_angle_brackets_are_escaped_only_where_they_open_html_or_a_quote():
    assert md_escape("<b>x</b>") == r"\<b>x\</b>"
    assert md_escape("> quoted") == r"\> quoted"
    assert md_escape("a > b < 3") == "a > b < 3"
