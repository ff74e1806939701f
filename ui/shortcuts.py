"""The presenter's keyboard shortcuts, declared once: the buttons take them, the help lists them.

Two kinds of keys:

- ``SHORTCUTS``: keys a page passes to ``st.button(..., shortcut=SHORTCUTS["next"])``. Streamlit
  1.67 ignores a plain key while the focus is in a text or number box, reserves ``C`` and ``R``,
  and cannot take punctuation. ``N`` and ``A`` clash with none of them, nor with the player's keys.
- ``PLAYER_KEYS``: the keys ui/player/player.js handles itself (``event.key`` values), anywhere on
  the page outside another control. They are listed here for the help; the test
  tests/ui/test_share.py reads player.js and checks the two agree.

``ROWS`` is what the "Keyboard shortcuts" popover shows, in order: (action, key labels), the
action's text being the catalog key ``share.action.<action>``.
"""

from __future__ import annotations

from ui.i18n import t

# Buttons: st.button(label, shortcut=SHORTCUTS[action]).
SHORTCUTS: dict[str, str] = {
    "next": "N",  # the next question (class mode and the solo quiz)
    "reveal": "A",  # reveal the answer
}

# The player's keys, as ui/player/player.js's `actions` names them (KeyboardEvent.key values).
PLAYER_KEYS: dict[str, tuple[str, ...]] = {
    "play": (" ",),
    "step": ("ArrowRight", "PageDown"),
    "back": ("ArrowLeft", "PageUp"),
    "first": ("Home",),
    "last": ("End",),
}

# How a key is written in the help (a key cap's own label; the same in every language).
KEY_LABELS: dict[str, str] = {" ": "Space", "ArrowRight": "→", "ArrowLeft": "←"}

ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *((action, (key,)) for action, key in SHORTCUTS.items()),
    *((action, tuple(KEY_LABELS.get(k, k) for k in keys)) for action, keys in PLAYER_KEYS.items()),
)


def help_markdown() -> str:
    """The shortcuts as a Markdown table in the session's language: one row per action, its keys
    as code spans (``N``, ``→`` / ``PageDown``). Only catalog text and the keys above go in it."""
    lines = [f"| {t('share.keys_key')} | {t('share.keys_action')} |", "| :-- | :-- |"]
    for action, keys in ROWS:
        lines.append(f"| {' / '.join(f'`{k}`' for k in keys)} | {t(f'share.action.{action}')} |")
    return "\n".join(lines)
