"""derive_segments on small tables whose every segment is decided by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel_model.errors import ParameterError
from funnel_model.schema import conform
from funnel_model.segments import derive_segments, normalise_segment

T = pd.Timestamp


def deals(rows, index=None) -> pd.DataFrame:
    """rows: (client, created, closed, status[, segment[, funnel]])."""
    full = [tuple(r) + (None,) * (6 - len(r)) for r in rows]
    frame = pd.DataFrame(full, columns=["client_id", "created_at", "closed_at", "status", "segment", "funnel"])
    frame["deal_id"] = [str(i) for i in range(len(frame))]
    frame["stage"] = "x"
    frame = conform(frame)
    if index is not None:
        frame.index = index
    return frame


def test_new_active_dormant_with_the_boundary_exactly_at_the_window():
    # A wins on 2024-02-01 10:00 (2024 is a leap year: +365 days is 2025-01-31 10:00)
    table = deals(
        [
            ("A", T("2024-01-01 10:00"), T("2024-02-01 10:00"), "won"),  # no earlier win: new
            ("A", T("2024-02-01 09:59"), None, "open"),  # a minute before the win: new
            ("A", T("2024-02-02 10:00"), None, "lost"),  # a day after: active
            ("A", T("2025-01-31 10:00"), None, "open"),  # exactly 365 days: still active
            ("A", T("2025-01-31 10:01"), None, "open"),  # a minute more: dormant
            ("B", T("2025-01-31 10:00"), None, "open"),  # other client, never won: new
        ]
    )
    assert derive_segments(table).tolist() == ["new", "new", "active", "active", "dormant", "new"]


def test_a_win_at_the_very_moment_of_creation_or_later_does_not_count():
    table = deals(
        [
            ("A", T("2024-01-01"), T("2024-03-01 12:00"), "won"),
            ("A", T("2024-03-01 12:00"), None, "open"),  # same timestamp as the win: not strictly before
            ("A", T("2024-02-01"), T("2024-02-15"), "lost"),  # created before any win closed
            ("A", T("2024-03-01 12:01"), None, "open"),
        ]
    )
    assert derive_segments(table).tolist() == ["new", "new", "new", "active"]


def test_same_day_wins_and_the_latest_earlier_win_decides():
    table = deals(
        [
            ("A", T("2023-01-01"), T("2023-01-10"), "won"),  # first deal: new
            ("A", T("2024-01-01"), T("2024-03-05 09:00"), "won"),  # 356 days after the first win: active
            ("A", T("2024-01-02"), T("2024-03-05 17:00"), "won"),  # 357 days: active
            ("A", T("2024-03-05 18:00"), None, "open"),  # both same-day wins before it: active
            ("A", T("2025-03-05 16:00"), None, "open"),  # 365 days minus 1 h after 17:00: active
            ("A", T("2025-03-05 17:01"), None, "open"),  # 365 days + 1 min after the later win: dormant
        ]
    )
    assert derive_segments(table).tolist() == ["new", "active", "active", "active", "active", "dormant"]
    # a 300-day window: 356 and 357 days are dormant, the same-day wins still count as one day ago
    assert derive_segments(table, dormancy_days=300).tolist() == [
        "new",
        "dormant",
        "dormant",
        "active",
        "dormant",
        "dormant",
    ]


def test_won_deal_without_closed_at_counts_on_its_creation_date():
    table = deals(
        [
            ("A", T("2024-01-01"), None, "won"),
            ("A", T("2024-01-01 00:01"), None, "open"),
            ("A", T("2025-06-01"), None, "open"),
        ]
    )
    assert derive_segments(table).tolist() == ["new", "active", "dormant"]


def test_deals_without_client_or_creation_date_are_new():
    table = deals(
        [
            (None, T("2024-01-01"), T("2024-01-02"), "won"),
            (None, T("2024-02-01"), None, "open"),  # no client: new, even after an unnamed win
            ("A", T("2024-01-01"), T("2024-01-02"), "won"),
            ("A", None, None, "open"),  # no creation date: new
            ("  ", T("2024-03-01"), None, "open"),  # blank client is no client
        ]
    )
    assert derive_segments(table).tolist() == ["new", "new", "new", "new", "new"]


def test_only_won_deals_make_a_client_active_and_status_is_case_insensitive():
    table = deals(
        [
            ("A", T("2024-01-01"), T("2024-01-05"), "lost"),
            ("A", T("2024-01-01"), T("2024-01-06"), "open"),
            ("A", T("2024-02-01"), None, "open"),
            ("B", T("2024-01-01"), T("2024-01-05"), "WON"),
            ("B", T("2024-02-01"), None, "open"),
        ]
    )
    assert derive_segments(table).tolist() == ["new", "new", "new", "new", "active"]


def test_segment_column_overrides_and_is_normalised():
    table = deals(
        [
            ("A", T("2024-01-01"), T("2024-01-05"), "won", "Dormant"),
            ("A", T("2024-02-01"), None, "open", "новый"),
            ("A", T("2024-02-02"), None, "open", ""),  # blank: derived
            ("A", T("2024-02-03"), None, "open", "VIP"),  # unknown label: derived
            ("A", T("2024-02-04"), None, "open", " Спящие клиенты "),
        ]
    )
    assert derive_segments(table).tolist() == ["dormant", "new", "active", "active", "dormant"]


def test_funnel_mapping_overrides_derivation_but_not_the_deals_own_segment():
    table = deals(
        [
            ("A", T("2024-01-01"), T("2024-01-05"), "won", None, "Привлечение"),
            ("A", T("2024-02-01"), None, "open", None, "Реактивация"),  # derived active, mapped dormant
            ("A", T("2024-02-02"), None, "open", None, "Прочее"),  # unmapped funnel: derived
            ("B", T("2024-02-03"), None, "open", "active", "Реактивация"),  # own label wins
            ("C", T("2024-02-04"), None, "open", None, None),  # no funnel: derived
        ]
    )
    mapping = {"Реактивация": "реактивация", "Развитие": "active"}
    assert derive_segments(table, funnel_segments=mapping).tolist() == ["new", "dormant", "active", "active", "new"]


def test_result_is_aligned_to_any_index_and_input_order_does_not_matter():
    rows = [
        ("A", T("2024-05-01"), None, "open"),
        ("A", T("2024-01-01"), T("2024-01-10"), "won"),
        ("B", T("2024-05-01"), None, "open"),
    ]
    table = deals(rows, index=["z", "y", "z"])
    result = derive_segments(table)
    assert result.index.tolist() == ["z", "y", "z"]
    assert result.tolist() == ["active", "new", "new"]
    assert result.dtype == "str"
    assert result.name == "segment"


def test_custom_column_names_and_missing_columns():
    table = pd.DataFrame(
        {
            "company": ["A", "A"],
            "opened": [T("2024-01-01"), T("2024-02-01")],
            "done": [T("2024-01-03"), pd.NaT],
            "state": ["won", "open"],
        }
    )
    result = derive_segments(table, client_col="company", created_col="opened", closed_col="done", status_col="state")
    assert result.tolist() == ["new", "active"]
    # without a status column nothing is known to be won
    assert derive_segments(table.drop(columns="state"), client_col="company", created_col="opened").tolist() == [
        "new",
        "new",
    ]


def test_empty_table():
    result = derive_segments(conform(pd.DataFrame()))
    assert len(result) == 0 and result.dtype == "str"


@pytest.mark.parametrize(
    "bad", [-1, float("nan"), "soon", None, 10**12, float("inf"), 10**400, np.float32(-3), 36_501, np.float64(1e300)]
)
def test_bad_dormancy_window_is_a_parameter_error(bad):
    with pytest.raises(ParameterError):
        derive_segments(deals([("A", T("2024-01-01"), None, "open")]), dormancy_days=bad)


def test_dormancy_window_accepts_numpy_scalars_up_to_a_century():
    table = deals([("A", T("2020-01-01"), T("2020-01-01"), "won"), ("A", T("2021-01-01"), None, "open")])
    # 366 days after the win (2020 is a leap year): active with a 366-day window, dormant with 365
    for window, second in [(np.float32(366), "active"), (np.int64(365), "dormant"), (36_500, "active")]:
        assert derive_segments(table, dormancy_days=window).tolist() == ["new", second]


def test_bad_funnel_mapping_is_a_parameter_error():
    with pytest.raises(ParameterError, match="funnel_segments"):
        derive_segments(deals([("A", T("2024-01-01"), None, "open")]), funnel_segments={"X": "vip"})


def test_normalise_segment_keeps_missing_and_unknown_missing():
    values = pd.Series(["New", "ДЕЙСТВУЮЩИЙ", None, "", "retention", "dormant "], dtype="str")
    result = normalise_segment(values)
    assert result.isna().tolist() == [False, False, True, True, False, False]
    assert result.dropna().tolist() == ["new", "active", "active", "dormant"]


def _naive(table: pd.DataFrame, window: float) -> list[str]:
    """Deal by deal, straight from the definition: the independent check."""
    out = []
    for _, deal in table.iterrows():
        if pd.isna(deal.client_id) or pd.isna(deal.created_at):
            out.append("new")
            continue
        mine = table[(table.client_id == deal.client_id) & (table.status == "won")]
        wins = mine.closed_at.fillna(mine.created_at)
        earlier = wins[wins < deal.created_at]
        if earlier.empty:
            out.append("new")
        elif deal.created_at - earlier.max() <= pd.Timedelta(days=window):
            out.append("active")
        else:
            out.append("dormant")
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", None]),
            st.integers(0, 40),
            st.one_of(st.none(), st.integers(0, 20)),
            st.sampled_from(["won", "lost", "open"]),
        ),
        max_size=25,
    ),
    st.sampled_from([0, 5, 10.5, 365]),
)
def test_matches_a_deal_by_deal_reading_of_the_definition(rows, window):
    day = pd.Timedelta(days=1)
    start = T("2024-01-01")
    table = deals(
        [
            (client, start + created * day, None if wait is None else start + (created + wait) * day, status)
            for client, created, wait, status in rows
        ]
    )
    assert derive_segments(table, dormancy_days=window).tolist() == _naive(table, window)
