"""The in-browser player: a trajectory computed once by core, played back without a server rerun.

``st.components.v2`` renders the player inline (no iframe) with its own buttons, a native range
scrubber and keys (player.js); it draws an SVG per frame (draw.js) from the payload that
``ui.player.payload`` builds, and sends the step shown back to Python as its state ``t`` when
playback pauses or ends. Text, background and axes follow the Streamlit theme through its CSS
variables. ``Playback`` keeps a page's side of it: the step shown (a page setting) and training's
restarts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

from ui.player.payload import classifier_data, packed, paths_data, unpacked

__all__ = ["Playback", "classifier_data", "packed", "paths_data", "player", "reported_step", "unpacked"]

HERE = Path(__file__).resolve().parent


@cache
def _component():
    js = "\n".join((HERE / name).read_text(encoding="utf-8") for name in ("draw.js", "player.js"))
    css = (HERE / "player.css").read_text(encoding="utf-8")
    return st.components.v2.component("losslab_player", html="", css=css, js=js)


def player(data: dict, *, key: str, on_change=None) -> None:
    """Mount the player. ``on_change`` runs when it reports a step: ``reported_step(key, last)``
    (it reports none when ``data["report"]`` is False)."""
    _component()(key=key, data=data, on_t_change=on_change or _ignore, height="content")


def _ignore() -> None:
    """The step reported by a player whose page does not use it."""


def reported_step(key: str, last: int) -> int | None:
    """The step the player ``key`` last reported, if it is a whole number in 0..last (it comes from
    the browser: anything else is ignored)."""
    state = getattr(st.session_state.get(key), "t", None)
    step = state.get("step") if isinstance(state, dict) else None
    whole = isinstance(step, int | float) and not isinstance(step, bool) and float(step).is_integer()
    if whole and 0 <= step <= last:
        return int(step)
    return None


class Playback:
    """Where a page's player is: the step shown, and how many times training restarted.

    The step is the page setting ``name`` (so a link opens at that step). The player plays in the
    browser and reports the step it shows when it pauses, ends or steps; ``show`` mounts it and
    stores that report, so a page that mounts it in a fragment reruns only the fragment. A restart
    (new starting parameters, new data) sends the step back to 0 and is counted: a fragment built
    for the old trajectory hands over to a full run (``follow``), and an editor seeded from the old
    trajectory can take ``restarts`` into its signature. Make one per full run of the page.
    """

    def __init__(self, settings, *, key: str, name: str = "t"):
        self.settings, self.key, self.name = settings, key, name
        self.trained_from = self.restarts  # the trajectory of this full run starts from this restart

    @property
    def restarts(self) -> int:
        return st.session_state.get(f"_player.{self.key}.restarts", 0)

    def restart(self) -> None:
        """Training starts afresh: back to step 0 (from a callback, or before a rerun)."""
        self.settings.set(**{self.name: 0})
        st.session_state[f"_player.{self.key}.restarts"] = self.restarts + 1

    def follow(self) -> None:
        """In a fragment: after a restart its trajectory is stale, so the whole page reruns."""
        if self.restarts != self.trained_from:
            st.rerun(scope="app")

    def show(self, data: dict, *, last: int, speed: int) -> int:
        """Mount the player on ``data`` (a payload with ``last`` steps) at the current step, at most
        ``last`` (a link's step past the end of a shorter run); returns that step."""
        step = min(self.settings[self.name], last)
        self.settings.set(**{self.name: step})
        player({**data, "t": step, "speed": speed}, key=self.key, on_change=lambda: self._heard(last))
        return step

    def _heard(self, last: int) -> None:
        step = reported_step(self.key, last)
        if step is not None:
            self.settings.set(**{self.name: step})
