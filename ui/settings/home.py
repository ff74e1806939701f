"""The home page has no settings of its own: only the app's (language, presenter mode)."""

from ui.settings.page import PageSettings

SETTINGS = PageSettings("home", ())
