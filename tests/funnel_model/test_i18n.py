import string

import pytest

from funnel_model.i18n import LANGUAGES, catalog, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalog()))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key):
    texts = catalog()[key]
    assert set(texts) == set(LANGUAGES), key
    assert all(texts[lang].strip() for lang in LANGUAGES), key
    assert _fields(texts["ru"]) == _fields(texts["en"]), key


def test_translation_fills_parameters_and_falls_back_to_the_key():
    assert t("app.deals_loaded", "ru", n=3, source="demo") == "Сделок: 3 · demo"
    assert t("app.deals_loaded", "en", n=3, source="demo") == "3 deals · demo"
    assert t("no.such.key", "ru") == "no.such.key"
