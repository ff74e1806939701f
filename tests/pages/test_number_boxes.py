"""Every number box in the app uses the number typed exactly or refuses it with a visible message.

Streamlit's integer box reads what is typed with JavaScript's parseInt ("2.5" -> 2, "1e3" -> 1);
the app's boxes take the number as typed (the browser refuses one outside the bounds itself) and
refuse a fraction or an empty box by name, keeping the last good value.
"""

from __future__ import annotations

import pytest
from apptest_tools import check, open_page, rerun, unescape

BOXES = [  # (page, query params that show the box, widget key, URL name)
    ("app_pages/optimization.py", {}, "optimization.batch", "batch"),
    ("app_pages/gradients.py", {"tab": "strategies"}, "gradients.seed", "seed"),
    ("app_pages/features.py", {"tab": "bow"}, "features.bseed", "bseed"),
    ("app_pages/features.py", {"tab": "versus"}, "features.lseed", "lseed"),
]


def warnings(at) -> list[str]:
    return [unescape(w.value) for w in at.warning]


@pytest.mark.parametrize(("page", "params", "key", "name"), BOXES, ids=[b[2] for b in BOXES])
def test_a_whole_number_typed_in_any_form_is_used_exactly(page, params, key, name):
    at = open_page(page, **params)
    at.number_input(key=key).set_value(2e0)  # "2e0" typed: the browser sends 2.0
    rerun(at)
    assert at.number_input(key=key).value == 2
    assert isinstance(at.session_state[key], int)
    assert at.query_params[name] == "2"
    assert not warnings(at)


@pytest.mark.parametrize(("page", "params", "key", "name"), BOXES, ids=[b[2] for b in BOXES])
def test_a_fraction_or_an_empty_box_is_refused_by_name_and_the_last_good_value_kept(page, params, key, name):
    at = open_page(page, **params)
    at.number_input(key=key).set_value(3)
    rerun(at)
    label = at.number_input(key=key).label
    at.number_input(key=key).set_value(2.5)
    rerun(at)
    assert at.number_input(key=key).value == 3
    assert at.query_params[name] == "3"
    [notice] = [w for w in warnings(at) if "2.5" in w]
    assert label in notice
    assert "not a whole number" in notice
    assert "3" in notice
    at.number_input(key=key).set_value(None)  # the box emptied
    check(at.run())
    assert at.number_input(key=key).value == 3
    assert at.query_params[name] == "3"
    assert [w for w in warnings(at) if "empty" in w and label in w]
    at.number_input(key=key).set_value(4)  # a good value clears the notice
    rerun(at)
    assert at.query_params[name] == "4"
    assert not [w for w in warnings(at) if label in w]


def test_a_batch_larger_than_the_training_set_is_said_on_screen():
    at = open_page("app_pages/optimization.py")  # the CS231n demo: 9 training points
    at.number_input(key="optimization.batch").set_value(20)
    rerun(at)
    [notice] = warnings(at)
    assert "20" in notice
    assert "9 training points" in notice
