"""Every user-visible text of the pages goes through the translation function, and every key it asks for exists."""

from __future__ import annotations

import ast
import re

import pytest

from funnel_model.i18n import catalog
from tests.conftest import ROOT

# Streamlit calls whose first argument (or label/body keyword) is shown to the user
SHOWN = {
    "title", "header", "subheader", "markdown", "caption", "write", "text", "info", "warning", "error", "success",
    "button", "download_button", "metric", "checkbox", "toggle", "slider", "select_slider", "number_input",
    "text_input", "text_area", "selectbox", "multiselect", "radio", "file_uploader", "expander", "date_input",
    "tabs", "popover", "link_button", "page_link", "toast", "spinner",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word, not a unit sign or a plan letter
SOURCES = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"), ROOT / "app.py"])


def _literal_words(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return WORD.findall(node.value.replace("\\n", " "))
    if isinstance(node, ast.JoinedStr):
        return [w for part in node.values for w in _literal_words(part)]
    return []


def _shown_arguments(call: ast.Call) -> list[ast.AST]:
    args = list(call.args[:1])
    if isinstance(call.func, ast.Attribute) and call.func.attr == "tabs" and call.args:
        args = list(getattr(call.args[0], "elts", []))
    return args + [k.value for k in call.keywords if k.arg in ("label", "body", "help", "placeholder", "value")]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_page_writes_a_literal_word(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SHOWN:
            for argument in _shown_arguments(node):
                words = _literal_words(argument)
                if words and not (node.func.attr == "markdown" and _is_markup(argument)):
                    found.append((node.lineno, node.func.attr, words))
    assert not found, f"{path.name}: text not through tr(): {found}"


def _is_markup(node: ast.AST) -> bool:
    """CSS or HTML handed to st.markdown/st.html, not prose."""
    text = node.value if isinstance(node, ast.Constant) else ""
    return isinstance(text, str) and text.lstrip().startswith(("<style", "<div", "<span"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_key_asked_for_exists_in_both_catalogs(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = catalog()
    missing = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "tr"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            key = node.args[0].value
            if key not in known or set(known[key]) != {"ru", "en"}:
                missing.append((node.lineno, key))
    assert not missing, f"{path.name}: keys missing from a catalog: {missing}"
