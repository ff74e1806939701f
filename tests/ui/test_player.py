"""ui.player.Playback: the step a page's player shows (a page setting) and training's restarts.

A tiny app drives it through AppTest: a link's step past the end of the run is clamped, the
player's reports set the step (anything but a whole step in 0..last is ignored), a restart goes
back to step 0 and is counted, and ``follow`` reruns the whole app after a restart it did not
train for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.player import packed, unpacked

LAST = 10


def app() -> None:
    import streamlit as st

    from ui.player import Playback
    from ui.settings.base import int_field
    from ui.settings.page import PageSettings

    S = PageSettings("toy", (int_field("t", 0, 0, 500, widget=None),))
    S.start()
    play = Playback(S, key="toy.player")
    st.session_state.runs = st.session_state.get("runs", 0) + 1
    if st.session_state.pop("restart_now", False):  # a restart in the middle of a run
        play.restart()
    play.follow()
    st.button("restart", key="restart", on_click=play.restart)
    step = play.show({"kind": "classifier"}, last=10, speed=3)
    st.write(f"step {step} of run {play.trained_from}")
    S.sync()


def open_app(**params) -> AppTest:
    at = AppTest.from_function(app, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def payload(at) -> dict:
    [element] = [e for e in at.get("bidi_component") if e.proto.component_name == "losslab_player"]
    return unpacked(json.loads(element.proto.json))  # as the browser reads it


def report(at, step) -> AppTest:
    """What the player sends from the browser when it pauses or steps: its state t = {step, seq}."""
    [element] = [e for e in at.get("bidi_component") if e.proto.component_name == "losslab_player"]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = element.proto.id
    report.seq += 1
    state.json_value = json.dumps({"t": {"step": step, "seq": report.seq}})
    return at._run(states)


report.seq = 0


def test_a_link_past_the_end_opens_on_the_last_step():
    at = open_app(t="400")
    assert not at.exception
    assert payload(at)["t"] == LAST
    assert payload(at)["speed"] == 3
    assert at.query_params == {"t": str(LAST)}


@pytest.mark.parametrize("bad", [-1, LAST + 1, 2.5, "3", None, True])
def test_a_reported_step_becomes_the_step_and_anything_else_is_ignored(bad):
    at = open_app()
    report(at, 4)
    assert payload(at)["t"] == 4
    assert at.query_params == {"t": "4"}
    report(at, bad)
    assert payload(at)["t"] == 4
    assert at.query_params == {"t": "4"}


def test_a_restart_goes_back_to_step_0_and_is_counted():
    at = open_app(t="7")
    assert payload(at)["t"] == 7
    at.button(key="restart").click().run()
    assert payload(at)["t"] == 0
    assert at.query_params == {}
    assert at.markdown[-1].value == "step 0 of run 1"


def test_follow_reruns_the_app_after_a_restart_its_run_did_not_train_for():
    at = open_app()
    assert at.session_state.runs == 1
    at.session_state.restart_now = True
    at.run()
    assert at.session_state.runs == 3  # the run that restarted, then the rerun that follow asked for
    assert at.markdown[-1].value == "step 0 of run 1"
    at.run()
    assert at.session_state.runs == 4  # no restart: no extra run


def test_a_packed_payload_reads_back_the_same_with_the_step_and_speed_on_top():
    data = {"id": "run/en/0", "kind": "classifier", "last": 3, "t": 0, "speed": 1, "frames": [[0.5, -1e-9]]}
    sent = {**packed(data), "t": 2, "speed": 4}
    assert isinstance(sent["payload"], str)
    assert unpacked(sent) == {**data, "t": 2, "speed": 4}
    assert unpacked(data) is data  # a payload sent as it is (the gradients page's) stays as it is


def test_the_optimization_page_sends_its_trajectory_as_one_text():
    # Streamlit encodes a component's data twice a run; a text made once per trajectory is cheap.
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=60)
    at.switch_page("app_pages/optimization.py")
    at.run()
    [element] = [e for e in at.get("bidi_component") if e.proto.component_name == "losslab_player"]
    sent = json.loads(element.proto.json)
    assert set(sent) == {"id", "payload", "t", "speed"}
    assert unpacked(sent)["last"] > 0
