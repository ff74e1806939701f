"""The features page's settings (ui/settings/features.py): declared once, labelled in both
catalogs, and an upload never put in the URL (a copied link shows the default image)."""

from __future__ import annotations

from ui.i18n import LANGUAGES, catalog
from ui.images import SAMPLES, UPLOAD
from ui.settings.base import decode
from ui.settings.features import SETTINGS, TABS


def test_every_widget_has_a_label_in_both_catalogs_and_every_image_a_name():
    for lang in LANGUAGES:
        for f in SETTINGS.fields.values():
            if f.widget:
                assert f.label in catalog(lang), (lang, f.name)
        for option in SETTINGS.fields["img"].options:
            assert SETTINGS.fields["img"].option_text(option) in catalog(lang), (lang, option)
        for tab in TABS:
            assert f"features.tabs.{tab}" in catalog(lang)


def test_an_upload_is_encoded_as_the_default_image_and_a_sample_as_itself():
    values = SETTINGS.defaults()
    assert SETTINGS.encode({**values, "img": UPLOAD, "bins": 24}) == {"bins": "24"}
    assert SETTINGS.encode({**values, "img": "coins"}) == {"img": "coins"}
    assert SETTINGS.encode(values) == {}


def test_a_link_that_says_upload_is_no_error_and_any_other_name_is_refused():
    fields = tuple(SETTINGS.fields.values())
    assert decode(fields, {"img": UPLOAD}) == ({**SETTINGS.defaults(), "img": UPLOAD}, [])
    values, problems = decode(fields, {"img": "../etc/passwd"})
    assert values["img"] == "chelsea"
    assert [p.reason for p in problems] == ["not_choice"]
    assert SETTINGS.fields["img"].options == (*SAMPLES, UPLOAD)
