"""The Data page through AppTest: uploads, bad files, mapping and config edits, problems report."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from funnel_model import FunnelConfig
from funnel_model.formatting import money, number
from funnel_model.i18n import t
from funnel_model.parsing import MAX_UNPACKED_BYTES
from funnel_model.schema import SEGMENTS, STATUSES

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA_PAGE = "pages/data.py"
NNBSP = "\u202f"  # the page groups thousands with a narrow no-break space

# amoCRM-style export: «Бюджет » with a trailing space, «не закрыта», duplicated «Примечание»,
# terminal stages «Успешно реализовано» / «Закрыто и не реализовано»; Windows-1251 with «;».
AMO_HEADER = (
    "ID;Название сделки;Бюджет ;Ответственный;Дата создания сделки;Дата закрытия;"
    "Этап сделки;Воронка;Компания;Примечание;Примечание"
)
AMO_ROWS = [
    "101;Поставка;1 200 000,50;Иванов;01.02.2024 10:00:00;15.03.2024;Успешно реализовано;Продажи;ООО Ромашка;срочно;",
    "102;Сервис;300 000;Петров;05.02.2024;не закрыта;Переговоры;Продажи;ООО Лютик;;",
    "103;Монтаж;250 000;Петров;06.02.2024;20.02.2024;Закрыто и не реализовано;Продажи;ООО Ромашка;;",
    "104;Аудит;50 000;Иванов;07.02.2024;не закрыта;Первичный контакт;Продажи;ООО Лютик;;",
    "105;Лицензии;99 999,50;Иванов;08.02.2024;01.03.2024;Успешно реализовано;Продажи;ООО Василёк;;",
]
# hand-counted: won 101, 105; lost 103; open 102, 104; amount 1 200 000.50 + 300 000 + 250 000 + 50 000 + 99 999.50
AMO_TOTAL = "1" + NNBSP + "900" + NNBSP + "000 ₽"  # an amoCRM export in Russian: rubles
BAD_ROWS = [
    "106;Ремонт;abc;Петров;06.02.2024;20.02.2024;Закрыто и не реализовано;Продажи;ООО Ромашка;;",  # repaired
    "107;Аудит;-5 000;Иванов;07.02.2024;не закрыта;Первичный контакт;Продажи;ООО Лютик;;",  # repaired
    "108;Пусто;10 000;Иванов;07.02.2024;не закрыта;;Продажи;ООО Лютик;;",  # rejected: no stage
    "109;Счёт;20 000;Иванов;07.02.2024;не закрыта;Переговоры;Продажи;ООО Лютик;;",
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1251")


def open_data_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("page.data", lang)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first st.dataframe on the page that has ``column``."""
    for frame in at.dataframe:
        value = frame.value
        if column == value.index.name:
            value = value.reset_index()
        if column in value.columns:
            return value
    raise AssertionError(f"no table with column {column!r}")


def shown_text(at: AppTest, column: str) -> pd.DataFrame:
    """The text the first st.dataframe with ``column`` shows (its Styler's display values), not its data."""
    for frame in at.dataframe:
        value = frame.value
        if column in value.columns or column == value.index.name:
            return dataframe_util.convert_arrow_bytes_to_pandas_df(frame.proto.arrow_data.styler.display_values)
    raise AssertionError(f"no table with column {column!r}")


def edits(rows: dict[int, dict]) -> dict:
    """A data_editor's widget state with ``rows`` edited ({row position: {column: value}})."""
    return {"edited_rows": rows, "added_rows": [], "deleted_rows": []}


def upload(at: AppTest, name: str, content: bytes, key: str = "data.upload") -> AppTest:
    at.file_uploader(key=key).upload(name, content, "text/csv").run()
    assert not at.exception, at.exception
    return at


def test_the_demo_data_is_summarised():
    at = open_data_page()
    shown = metrics(at)
    deals = at.session_state["_dataset_memo"][1].deals
    assert len(deals) > 1000
    # counts grouped like every other number: "3 339", not "3339"
    assert shown["Deals"] == number(len(deals), "en") and NNBSP in shown["Deals"]
    counts = deals["status"].value_counts()
    assert (shown["Won"], shown["Lost"], shown["Open"]) == tuple(
        number(counts[s], "en") for s in ("won", "lost", "open")
    )
    assert not at.error
    assert at.session_state["source"] == "demo"
    by_funnel = table_with(at, "Deals")
    assert by_funnel["Deals"].sum() == len(deals)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_summary_tables_write_numbers_like_the_total_amount(lang):
    at = open_data_page(lang)
    amount, funnel, segment = t("data.col.amount", lang), t("data.col.funnel", lang), t("data.col.segment", lang)
    for column in (funnel, segment):
        data = table_with(at, column).set_index(column)
        text = shown_text(at, column)
        # the data stays numeric, the text is grouped the same way as the «Общая сумма» metric
        assert text[amount].tolist() == [money(x, lang, "₽") for x in data[amount]]  # the demo is in rubles
        assert text[t("data.col.deals", lang)].tolist() == [number(x, lang) for x in data[t("data.col.deals", lang)]]
    total = metrics(at)[t("data.metric.amount", lang)]
    assert total == money(table_with(at, funnel)[amount].sum(), lang, "₽")


def test_the_preview_shows_words_and_dates_the_deal_table_keeps_codes():
    at = open_data_page("ru")
    preview = table_with(at, "status")
    assert set(preview["status"]) <= {t(f"status.{s}", "ru") for s in STATUSES}
    assert set(preview["segment"].dropna()) <= {t(f"segment.{s}", "ru") for s in SEGMENTS}
    assert preview["created_at"].str.fullmatch(r"\d\d\.\d\d\.\d{4}").all()
    # the browser draws an empty cell as "None" whatever a Styler says: the shown copy has no empty cell
    assert not preview.isna().any().any()
    assert (preview["lost_stage"] == "—").any()  # won and open deals have no loss stage
    text = shown_text(at, "status")
    assert "None" not in text.to_numpy().astype(str)
    open_rows = preview["status"] == t("status.open", "ru")
    assert (text.loc[open_rows.to_numpy(), "closed_at"] == "—").all()  # an open deal has no close date
    # what every page computes with is untouched
    deals = at.session_state["_dataset_memo"][1].deals
    assert set(deals["status"]) <= set(STATUSES) and set(deals["segment"].dropna()) <= set(SEGMENTS)


def test_the_config_table_shows_a_dash_for_the_order_of_won_and_lost_stages():
    at = open_data_page()
    table = at.data_editor(key="data.config").value
    terminal = table["kind"] != "open"
    assert (table.loc[terminal, "order"] == "—").all()
    first = table.loc[(table["funnel"] == table["funnel"].iloc[0]) & ~terminal]
    assert first["order"].tolist() == [str(i) for i in range(1, len(first) + 1)]
    # the text order still sorts the stages: swapping the first two swaps them in the config
    funnel, (one, two) = first["funnel"].iloc[0], first["stage"].iloc[:2]
    at.session_state["data.config"] = edits({int(first.index[0]): {"order": "2"}, int(first.index[1]): {"order": "1"}})
    at.button(key="data.config_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["config:demo"].funnel(funnel).stage_names[:2] == [two, one]


def test_amocrm_cp1251_upload_is_counted_and_flows_to_the_sidebar():
    at = open_data_page()
    upload(at, "amo.csv", _csv(AMO_HEADER, AMO_ROWS))
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["source"] == "upload"
    shown = metrics(at)
    assert (shown["Deals"], shown["Won"], shown["Lost"], shown["Open"]) == ("5", "2", "1", "2")
    assert shown["Total amount"] == AMO_TOTAL
    assert "5 deals · amo.csv" in [c.value for c in at.sidebar.caption]
    assert at.sidebar.segmented_control(key="source").value == "upload"
    # detected mapping, with the trailing space of «Бюджет » stripped; unknown columns kept and listed
    mapping = at.data_editor(key="data.mapping").value.set_index("field")["source"]
    assert mapping["amount"] == "Бюджет"
    assert mapping["stage"] == "Этап сделки"
    assert mapping["client_id"] == "Компания"
    # the file's own names are shown as typed: Markdown specials escaped
    assert any(
        "\u201cНазвание сделки\u201d" in c.value and "\u201cПримечание \\(2\\)\u201d" in c.value for c in at.caption
    )
    # fields no column feeds say so, in words
    assert mapping["segment"] == "not mapped"
    # the inferred config has the one funnel with its open stages and the amoCRM terminal stages
    config = at.data_editor(key="data.config").value
    assert set(config.loc[config["kind"] == "won", "stage"]) == {"Успешно реализовано"}
    assert set(config.loc[config["kind"] == "lost", "stage"]) == {"Закрыто и не реализовано"}
    assert any("No row was rejected" in s.value for s in at.success)
    # the upload reaches every page of this session
    at.switch_page("pages/funnels.py").run()
    assert not at.exception, at.exception
    assert "5 deals · amo.csv" in [c.value for c in at.sidebar.caption]


def test_a_png_renamed_csv_shows_an_error_and_keeps_the_data():
    at = open_data_page()
    before = metrics(at)["Deals"]
    upload(at, "photo.csv", PNG)
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "photo.csv" in errors[0]
    assert "was not loaded" in errors[0]
    assert metrics(at)["Deals"] == before
    assert at.session_state["source"] == "demo"


def test_bad_rows_are_counted_by_reason_and_listed():
    at = open_data_page()
    upload(at, "bad.csv", _csv(AMO_HEADER, AMO_ROWS[:2] + BAD_ROWS))
    assert not at.error, [e.value for e in at.error]
    shown = metrics(at)
    assert shown["Deals"] == "5"  # seven rows, the stageless one rejected
    assert (shown["Rows rejected"], shown["Rows repaired"], shown["Warnings"]) == ("1", "2", "0")
    by_reason = table_with(at, "Reason (first case)")
    counts = dict(zip(by_reason["Reason (first case)"], by_reason["Rows"], strict=True))
    assert sorted(counts.values()) == [1, 1, 1]
    assert any("\u201cabc\u201d" in reason and "not a number" in reason for reason in counts)
    assert any("No stage" in reason for reason in counts)
    full = table_with(at, "Row")
    assert sorted(full["Row"]) == [4, 5, 6]  # header is row 1
    assert at.download_button(key="data.problems_download_csv") is not None


def test_editing_the_mapping_applies_it_to_the_upload():
    at = open_data_page()
    header = AMO_HEADER.replace("Бюджет ", "Деньги")  # not a known amount header
    upload(at, "amo.csv", _csv(header, AMO_ROWS))
    assert metrics(at)["Total amount"] == "0 ₽"
    fields = list(at.data_editor(key="data.mapping").value["field"])
    at.session_state["data.mapping"] = edits({fields.index("amount"): {"source": "Деньги"}})
    at.button(key="data.mapping_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)["Total amount"] == AMO_TOTAL
    assert at.data_editor(key="data.mapping").value.set_index("field").loc["amount", "source"] == "Деньги"
    # choosing «not mapped» unmaps the field again
    at.session_state["data.mapping"] = edits({fields.index("amount"): {"source": "not mapped"}})
    at.button(key="data.mapping_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)["Total amount"] == "0 ₽"
    assert at.data_editor(key="data.mapping").value.set_index("field").loc["amount", "source"] == "not mapped"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_unmapping_the_stage_points_at_the_mapping_table(lang):
    at = open_data_page(lang)
    upload(at, "amo.csv", _csv(AMO_HEADER, AMO_ROWS))
    fields = list(at.data_editor(key="data.mapping").value["field"])
    at.session_state["data.mapping"] = edits({fields.index("stage"): {"source": t("data.mapping.none", lang)}})
    at.button(key="data.mapping_apply").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors == [f"{t('data.mapping.no_stage', lang)}\n\n{t('data.mapping.failed', lang)}"]
    assert metrics(at)[t("data.metric.deals", lang)] == "5"  # the mapping that worked stays


def test_editing_the_config_changes_the_session_config_and_the_other_pages():
    at = open_data_page()
    table = at.data_editor(key="data.config").value
    row = table.index[table["kind"] == "open"][0]
    funnel, stage, before = table.loc[row, ["funnel", "stage", "probability"]]
    assert before != pytest.approx(0.93)
    at.session_state["data.config"] = {
        "edited_rows": {row: {"probability": 0.93}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data.config_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    config: FunnelConfig = at.session_state["config:demo"]
    assert config.funnel(funnel).probability(stage) == pytest.approx(0.93)
    shown = at.data_editor(key="data.config").value
    assert shown.loc[(shown["funnel"] == funnel) & (shown["stage"] == stage), "probability"].item() == pytest.approx(
        0.93
    )
    assert any("edited funnel config" in i.value for i in at.info)

    # another page computes with the edited config
    at.switch_page("pages/funnels.py").run()
    assert not at.exception, at.exception
    rates = table_with(at, t("funnels.col.configured", "en"))
    configured = rates.loc[
        (rates[t("funnels.col.funnel", "en")] == funnel) & (rates[t("funnels.col.stage", "en")] == stage),
        t("funnels.col.configured", "en"),
    ]
    assert configured.item() == pytest.approx(0.93)

    # back on the Data page the edit is still there; «reset» returns to the shipped config
    at.switch_page(DATA_PAGE).run()
    assert at.session_state["config:demo"].funnel(funnel).probability(stage) == pytest.approx(0.93)
    at.button(key="data.config_reset").click().run()
    assert at.session_state["config:demo"] is None
    shown = at.data_editor(key="data.config").value
    assert shown.loc[row, "probability"] == pytest.approx(before)

    # another browser session never saw the edit
    other = open_data_page()
    assert other.data_editor(key="data.config").value.loc[row, "probability"] == pytest.approx(before)


def test_an_invalid_config_edit_is_refused_with_a_message():
    at = open_data_page()
    at.session_state["data.config"] = edits({0: {"probability": 1.5}})
    at.button(key="data.config_apply").click().run()
    assert not at.exception, at.exception
    assert any("not between 0 and 1" in e.value for e in at.error)
    assert "config:demo" not in at.session_state or at.session_state["config:demo"] is None


def test_a_saved_config_json_loads_back():
    at = open_data_page()
    table = at.data_editor(key="data.config").value
    config = FunnelConfig.from_stage_table(
        table.assign(probability=table["probability"].where(table["kind"] != "open", 0.5))
    )
    upload(at, "funnel_config.json", config.to_json().encode("utf-8"), key="data.config_upload")
    assert not at.error, [e.value for e in at.error]
    shown = at.data_editor(key="data.config").value
    assert (shown.loc[shown["kind"] == "open", "probability"] == 0.5).all()
    upload(at, "broken.json", b"{not json", key="data.config_upload")
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("This funnel config file cannot be read")
    assert "(Technical detail: Expecting property name" in errors[0] and "broken.json" in errors[0]


def test_the_dormancy_window_changes_the_segments():
    at = open_data_page()
    dormant_before = table_with(at, "Segment").set_index("Segment")
    at.number_input(key="data.dormancy").set_value(30).run()
    assert not at.exception, at.exception
    assert at.session_state["dormancy_days"] == 30
    dormant_after = table_with(at, "Segment").set_index("Segment")
    # a shorter window can only move clients from active to dormant
    assert dormant_after.loc["Dormant clients", "Deals"] > dormant_before.loc["Dormant clients", "Deals"]
    assert dormant_after["Deals"].sum() == dormant_before["Deals"].sum()


def test_the_page_speaks_russian():
    at = open_data_page("ru")
    upload(at, "amo.csv", _csv(AMO_HEADER, AMO_ROWS))
    shown = metrics(at)
    assert (shown["Сделки"], shown["Выиграно"], shown["Проиграно"], shown["Открыто"]) == ("5", "2", "1", "2")
    assert any("amo.csv" in s.value for s in at.success)


def test_a_stage_history_file_attaches_to_the_upload_and_a_bad_one_is_refused():
    at = open_data_page()
    upload(at, "amo.csv", _csv(AMO_HEADER, AMO_ROWS))
    history = (
        "ID сделки;Этап;Дата перехода\n"
        "101;Первичный контакт;01.02.2024\n101;Переговоры;10.02.2024\n102;Переговоры;06.02.2024\n"
    )
    upload(at, "history.csv", history.encode("cp1251"), key="data.history_upload")
    assert not at.error, [e.value for e in at.error]
    assert "Stage history entries: 3." in [c.value for c in at.caption]
    upload(at, "history.csv", PNG, key="data.history_upload")
    assert len(at.error) == 1 and "was not loaded" in at.error[0].value
    assert "Stage history entries: 3." in [c.value for c in at.caption]
    assert metrics(at)["Deals"] == "5"


def test_deleting_a_stage_from_the_config_warns_about_the_deals_in_it():
    at = open_data_page()
    upload(at, "amo.csv", _csv(AMO_HEADER, AMO_ROWS))
    table = at.data_editor(key="data.config").value
    row = int(table.index[table["stage"] == "Переговоры"][0])
    at.session_state["data.config"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [row]}
    at.button(key="data.config_apply").click().run()
    assert not at.exception, at.exception
    assert at.session_state["config:upload"].funnel("Продажи").stage_names == ["Первичный контакт"]
    warnings = [w.value for w in at.warning]
    assert any(
        # the names are the user's text, Markdown-escaped: "\(1\)" shows as "(1)"
        w.startswith("Deals in a funnel or stage the config does not list: 1 (Продажи / Переговоры \\(1\\))")
        for w in warnings
    ), warnings


def test_an_xlsx_export_uploads_too():
    rows = [r.split(";") for r in AMO_ROWS]
    frame = pd.DataFrame([r[:9] for r in rows], columns=AMO_HEADER.split(";")[:9])
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    at = open_data_page()
    upload(at, "amo.xlsx", buffer.getvalue())
    assert not at.error, [e.value for e in at.error]
    shown = metrics(at)
    assert (shown["Deals"], shown["Won"], shown["Lost"], shown["Open"]) == ("5", "2", "1", "2")
    assert shown["Total amount"] == AMO_TOTAL


@pytest.mark.parametrize("packed_as", ["amo.csv.gz", "amo.zip"])
def test_a_packed_export_uploads_and_the_read_is_reported(packed_as):
    content = _csv(AMO_HEADER, AMO_ROWS)
    if packed_as.endswith(".gz"):
        content = gzip.compress(content)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("amo.csv", content)
        content = buffer.getvalue()
    at = open_data_page()
    uploader = at.file_uploader(key="data.upload")
    assert {"gz", "zip", "parquet"} <= {t.lstrip(".") for t in uploader.proto.type}
    upload(at, packed_as, content)
    assert not at.error, [e.value for e in at.error]
    shown = metrics(at)
    assert (shown["Deals"], shown["Won"], shown["Lost"], shown["Open"]) == ("5", "2", "1", "2")
    assert shown["Total amount"] == AMO_TOTAL
    assert any(s.label.startswith(f"Read \u201c{packed_as}\u201d in ") for s in at.status)


def test_a_zip_bomb_upload_is_refused_with_the_limit_and_the_data_kept():
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(b"0" * (1 << 20)) for _ in range(MAX_UNPACKED_BYTES // (1 << 20) + 8))
    bomb += packer.flush()
    at = open_data_page()
    before = metrics(at)["Deals"]
    upload(at, "bomb.csv.gz", bomb)
    assert len(at.error) == 1 and "bomb.csv.gz" in at.error[0].value and "512 MB" in at.error[0].value
    assert metrics(at)["Deals"] == before
    assert at.status[0].label == "\u201cbomb.csv.gz\u201d was not taken: see the message below."


def test_a_file_without_a_known_stage_column_asks_for_it():
    header = AMO_HEADER.replace("Этап сделки", "Куда дошли")
    at = open_data_page()
    before = metrics(at)["Deals"]
    upload(at, "odd.csv", _csv(header, AMO_ROWS))
    assert len(at.error) == 1 and "no column with the deal stage" in at.error[0].value
    # the message points at the picker right under it
    assert "Pick the stage column in the list below" in at.error[0].value
    assert metrics(at)["Deals"] == before  # nothing replaced yet
    assert at.button(key="data.pending_use").disabled
    at.selectbox(key="data.pending_stage").set_value("Куда дошли").run()
    at.button(key="data.pending_use").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    shown = metrics(at)
    assert (shown["Deals"], shown["Won"], shown["Lost"], shown["Open"]) == ("5", "2", "1", "2")
    assert at.data_editor(key="data.mapping").value.set_index("field").loc["stage", "source"] == "Куда дошли"


def test_the_russian_stage_question_points_at_the_picker_below():
    at = open_data_page("ru")
    upload(at, "odd.csv", _csv(AMO_HEADER.replace("Этап сделки", "Куда дошли"), AMO_ROWS))
    assert len(at.error) == 1
    assert "Выберите столбец этапа в списке ниже" in at.error[0].value
    assert "сопоставлении" not in at.error[0].value
    assert at.selectbox(key="data.pending_stage").options[-1] == "Примечание (2)"


def test_rejected_stage_history_rows_are_reported_per_file():
    at = open_data_page()
    upload(at, "amo.csv", _csv(AMO_HEADER, AMO_ROWS[:2] + BAD_ROWS))
    history = (
        "ID сделки;Этап;Дата перехода\n"
        "101;Первичный контакт;01.02.2024\n"
        "101;Переговоры;когда-то\n"  # rejected: unreadable date
        ";Переговоры;06.02.2024\n"  # rejected: no deal id
        "102;Переговоры;06.02.2024\n"
    )
    upload(at, "history.csv", history.encode("cp1251"), key="data.history_upload")
    assert not at.error, [e.value for e in at.error]
    shown = metrics(at)
    assert (shown["Rows rejected"], shown["Rows repaired"], shown["Warnings"]) == ("1", "2", "0")
    assert (shown["History rows rejected"], shown["History rows repaired"], shown["History warnings"]) == (
        "2",
        "0",
        "0",
    )
    assert any(m.value.startswith("**Stage history file** \u201chistory.csv\u201d") for m in at.markdown)
    by_reason = table_with(at, "Reason (first case)")
    history_rows = by_reason[by_reason["File"] == "Stage history file"]
    assert sorted(history_rows["Rows"]) == [1, 1]
    assert sorted(history_rows["Reason (first case)"]) == sorted(
        [
            t("importer.row.history_bad_date", "en", column="Дата перехода", value="когда-то"),
            t("importer.row.history_no_id", "en", column="ID сделки", value=""),
        ]
    )
    assert (by_reason["File"] == "Deals file").sum() == 3
    full = table_with(at, "Row")
    assert full[["File", "Row"]].values.tolist() == [
        ["Deals file", 4],
        ["Deals file", 5],
        ["Deals file", 6],
        ["Stage history file", 3],
        ["Stage history file", 4],
    ]
    assert any(e.label == "Every problem, row by row (5)" for e in at.expander)


def test_a_funnel_mapped_to_a_segment_gives_all_its_deals_that_segment():
    at = open_data_page()
    deals = at.session_state["_dataset_memo"][1].deals
    funnel = "Привлечение"
    assert set(deals.loc[deals["funnel"] == funnel, "segment"]) != {"dormant"}
    others_before = deals.loc[deals["funnel"] != funnel, "segment"].tolist()
    box = at.selectbox(key=f"data.funnel_segment.en.{funnel}")
    assert box.value == "auto" and box.options[:2] == ["From client history", "New prospects"]
    box.set_value("dormant").run()
    assert not at.exception, at.exception
    assert at.session_state["funnel_segments:demo"] == {funnel: "dormant"}
    deals = at.session_state["_dataset_memo"][1].deals  # what ui.data.current() gives every page
    assert (deals.loc[deals["funnel"] == funnel, "segment"] == "dormant").all()
    assert deals.loc[deals["funnel"] != funnel, "segment"].tolist() == others_before
    by_segment = table_with(at, "Segment").set_index("Segment")
    assert by_segment.loc["Dormant clients", "Deals"] >= (deals["funnel"] == funnel).sum()
    # another page sees the mapping; back to «from client history» restores the derivation
    at.switch_page("pages/funnels.py").run()
    assert not at.exception, at.exception
    at.switch_page(DATA_PAGE).run()
    assert at.selectbox(key=f"data.funnel_segment.en.{funnel}").value == "dormant"
    at.selectbox(key=f"data.funnel_segment.en.{funnel}").set_value("auto").run()
    deals = at.session_state["_dataset_memo"][1].deals
    assert set(deals.loc[deals["funnel"] == funnel, "segment"]) != {"dormant"}
