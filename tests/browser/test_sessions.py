"""A session the server starts afresh (a reconnect under load, a reload) keeps the language the user chose.

Under load a browser can lose its server session; the new session used to take the browser's
language (the address had lost ``?lang=`` at the first page change) and then could not read the
data-source control's old-language value, so it showed blank. The language selector is now bound
to ``?lang=``. A page change whose request reached the server without the sidebar's widget states
made Streamlit drop both controls as stale (English and a blank source under load); they now keep
their values for the whole session (``persist_state="session"``, pinned in tests/pages/test_app.py).
"""

from __future__ import annotations

from funnel_model.formatting import number
from funnel_model.i18n import t
from tests.browser.conftest import RUN_TIMEOUT_MS, VIEWPORT, choose_option, open_app, wait_for_app, widget

NAMES = {"en": "English", "ru": "Русский"}


def _shows(page, lang: str) -> None:
    page.get_by_role("heading", name=t("page.funnels", lang)).first.wait_for()
    assert widget(page, "lang").get_by_role("combobox").input_value() == NAMES[lang]
    assert f"lang={lang}" in page.url
    # the data-source control shows exactly one option chosen, the demo, in the session's language
    source = widget(page, "source")
    source.get_by_role("radio", checked=True).first.wait_for()
    assert [r.inner_text().strip() for r in source.get_by_role("radio", checked=True).all()] == [
        t("app.source.demo", lang)
    ]


def _context(browser, locale: str):
    context = browser.new_context(viewport=VIEWPORT, locale=locale)
    context.set_default_timeout(RUN_TIMEOUT_MS)
    return context, context.new_page()


def test_sessions_in_other_languages_than_their_browsers_keep_them_after_page_change_and_reload(browser, app_url):
    # two sessions at once: English asked in a Russian browser, Russian chosen in an English one
    en_context, en_page = _context(browser, "ru-RU")
    ru_context, ru_page = _context(browser, "en-US")
    try:
        open_app(en_page, app_url, lang="en")
        open_app(ru_page, app_url)
        choose_option(ru_page, "lang", NAMES["ru"])
        for page, lang in ((en_page, "en"), (ru_page, "ru")):
            page.locator('[data-testid="stSidebarNav"]').get_by_text(t("page.funnels", lang)).click()
            wait_for_app(page)
            _shows(page, lang)
            page.reload()  # a new server session, as after a lost connection
            wait_for_app(page)
            _shows(page, lang)
    finally:
        en_context.close()
        ru_context.close()


def test_a_file_whose_upload_ends_after_a_page_change_is_taken_or_said_not_taken(page, app_url, tmp_path):
    export = tmp_path / "late.csv"
    rows = "".join(f"{i},Talks,{1000 + i},2024-01-{1 + i % 28:02d}\n" for i in range(20_000))
    export.write_text("deal_id,stage,amount,created_at\n" + rows, encoding="utf-8")
    open_app(page, app_url, lang="en")
    widget(page, "data.upload").locator('input[type="file"]').set_input_files(str(export))
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Funnels").click()  # before the upload is processed
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("deals ·").first.wait_for()
    taken = sidebar.get_by_text(f"{number(20_000, 'en')} deals · late.csv")
    told = sidebar.get_by_text("The file “late.csv” finished uploading after you left the Data page")
    # under load the file can reach the server after the Funnels run: the server pushes no run of its
    # own, so the next run the user causes (here: opening Funnels again) must take it or say so
    for _ in range(10):
        if taken.count() or told.count():
            break
        page.wait_for_timeout(2000)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Funnels").click()
        wait_for_app(page)
    assert taken.count() or told.count()


def test_an_upload_whose_file_never_reaches_the_server_is_said_not_finished_after_a_page_change(
    page, app_url, tmp_path
):
    export = tmp_path / "cut.csv"
    export.write_text("deal_id,stage,amount,created_at\n1,Talks,1000,2024-01-01\n", encoding="utf-8")
    open_app(page, app_url, lang="en")
    sent: list[str] = []

    def cut(route) -> None:  # the line drops the file on its way: the server never sees it
        sent.append(route.request.method)
        route.abort() if route.request.method == "PUT" else route.continue_()

    page.route("**/_stcore/upload_file/**", cut)
    widget(page, "data.upload").locator('input[type="file"]').set_input_files(str(export))
    for _ in range(600):  # until the browser has its upload address and tried (a minute at most)
        if "PUT" in sent:
            break
        page.wait_for_timeout(100)
    assert "PUT" in sent
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Funnels").click()
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    told = sidebar.get_by_text("The upload of “cut.csv” did not finish when you left the Data page")
    # said once the upload has had its few seconds to begin, at the next run the user causes
    for _ in range(10):
        if told.count():
            break
        page.wait_for_timeout(1500)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Funnels").click()
        wait_for_app(page)
    assert told.count() == 1
    assert sidebar.get_by_text(f"deals · {t('app.source.demo', 'en')}").count() == 1
