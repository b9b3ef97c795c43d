"""A table asked of the database a page at a time (`layout.paged`): the rows of the chosen page,
a page number input only when there is more than one page, and back to the first page when the
filters leave fewer pages than the number chosen."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from atlas_ui import layout

    n = int(st.session_state.get("n_rows", 0))

    def rows(limit: int, offset: int):
        return list(range(n))[offset:offset + limit], n

    got = layout.paged(rows, 500, "t_page")
    st.session_state["seen"] = (got.rows[:1], len(got.rows), got.total, got.first, got.pages)


@pytest.mark.parametrize("n_rows, page, expected, inputs", [
    (0, 1, ([], 0, 0, 0, 1), 0),
    (499, 1, ([0], 499, 499, 0, 1), 0),
    (500, 1, ([0], 500, 500, 0, 1), 0),
    (501, 2, ([500], 1, 501, 500, 2), 1),
    (1200, 3, ([1000], 200, 1200, 1000, 3), 1),
    (1200, 2, ([500], 500, 1200, 500, 3), 1),
])  # fmt: skip
def test_the_chosen_page_of_rows(n_rows, page, expected, inputs):
    at = AppTest.from_function(_script)
    at.session_state["n_rows"] = n_rows
    at.session_state["t_page"] = page
    at.run()
    assert not at.exception
    assert at.session_state["seen"] == expected
    assert len(at.number_input) == inputs
    if inputs:
        assert at.number_input[0].label == f"Page (of {expected[4]})"


def test_fewer_rows_than_the_page_chosen_goes_back_to_the_first_page():
    at = AppTest.from_function(_script)
    at.session_state["n_rows"] = 1200
    at.session_state["t_page"] = 3
    at.run()
    at.session_state["n_rows"] = 600  # the filters now leave two pages
    at.run()
    assert at.session_state["seen"] == ([0], 500, 600, 0, 2)
    assert at.session_state["t_page"] == 1
