"""A tampered link gives one notice per page that lists every refused value: the app's own (lang,
present) and the page's, each named, with the value the link held and a reason that fits the field."""

from __future__ import annotations

import pytest
from apptest_tools import open_page, rerun, unescape

from ui.i18n import catalog, translate

APP_BAD = {"lang": "xx", "present": "2"}
APP_PROBLEMS = [("lang", "xx", "not_choice"), ("present", "2", "not_bool")]
CASES = {  # page -> (its own bad params, [(name, value shown, reason key)])
    "app_pages/home.py": ({}, []),
    "app_pages/losses.py": (
        {"margin": "abc", "ex": "2.5", "scores": "1,2;3"},
        [
            ("margin", "abc", "not_number"),
            ("ex", "2.5", "not_integer"),
            ("scores", "1,2;3", "incomplete_table"),
        ],
    ),
    "app_pages/regularization.py": (
        {"x": "1,2", "w1": "1,2,3"},
        [("x/w1/w2", "x = 1,2 · w1 = 1,2,3", "length_mismatch")],
    ),
    "app_pages/optimization.py": (
        {"batch": "2.5", "loglr": "9", "data": "custom", "pts": "0,0,9;1,1,1"},
        [
            ("batch", "2.5", "not_integer"),
            ("loglr", "9", "out_of_range"),
            ("pts", "0,0,9;1,1,1", "bad_points"),
        ],
    ),
    "app_pages/gradients.py": (
        {"seed": "-1", "tab": "nope"},
        [("seed", "-1", "out_of_range"), ("tab", "nope", "not_choice")],
    ),
    "app_pages/features.py": (
        {"bseed": "x", "tab": "nope"},
        [("bseed", "x", "not_number"), ("tab", "nope", "not_choice")],
    ),
}


def reason_words(reason: str) -> str:
    """The fixed start of a reason's English text (before any {placeholder} or parenthesis)."""
    return catalog("en")[f"state.reason.{reason}"].split("{")[0].split("(")[0].strip()


@pytest.mark.parametrize("page", list(CASES))
def test_one_notice_names_every_bad_value_of_the_link(page):
    params, problems = CASES[page]
    at = open_page(page, **APP_BAD, **params)
    notices = [unescape(w.value) for w in at.warning]
    assert len(notices) == 1, notices
    [notice] = notices
    assert notice.startswith(translate("en", "state.refused_intro"))
    lines = notice.split("\n- ")[1:]
    assert len(lines) == len(APP_PROBLEMS) + len(problems), lines
    for name, value, reason in APP_PROBLEMS + problems:
        [line] = [line for line in lines if line.startswith(f"`{name}` = ")]
        assert line.startswith(f"`{name}` = “{value}"), (name, line)  # the value the link held
        assert reason_words(reason) in line, (reason, line)
    dismiss = [b for b in at.button if b.key and b.key.endswith(".dismiss_problems")]
    assert len(dismiss) == 1
    dismiss[0].click()
    rerun(at)
    assert not at.warning
