"""The image features page in a real browser: uploads through the real file input.

A valid PNG becomes "your upload" in the image picker; a file that only claims to be a PNG is
refused with the page's own message while the previous image stays in use, and the page keeps
working (the HoG tab reports the feature length of the uploaded image, not of a sample).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from core import features as feat
from tests.browser.helpers import EXCEPTION, open_app, wait_idle
from ui.i18n import translate

pytestmark = pytest.mark.browser

ERROR = '[data-testid="stAlertContentError"]'
PICKER = ".st-key-features-img"
FILE_INPUT = '.st-key-features-file input[type="file"]'
WIDTH, HEIGHT = 72, 48  # 9 x 6 cells of 8 x 8 pixels at the HoG tab's defaults


def en(key: str, **kwargs) -> str:
    return translate("en", key, **kwargs)


def picked(page):
    """The image picker's current choice, as shown in its (combobox) input."""
    return page.locator(f"{PICKER} input")


def make_png(path) -> None:
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)).save(path)


def test_upload_then_refused_upload_keeps_the_image(watched, app_url, tmp_path):
    page = watched.page
    open_app(page, f"{app_url}/features")
    expect(picked(page)).to_have_value(en("features.sample.chelsea"), timeout=30_000)
    wait_idle(page)

    # 1. A real PNG: the picker switches to it, with no error.
    good = tmp_path / "tiny.png"
    make_png(good)
    page.locator(FILE_INPUT).set_input_files(str(good))
    expect(picked(page)).to_have_value(en("features.sample.upload"))
    wait_idle(page)
    expect(page.locator(ERROR)).to_have_count(0)
    expect(page.locator(EXCEPTION)).to_have_count(0)

    # 2. Text in a .png file: the page says it is not an image and keeps the previous one.
    bad = tmp_path / "notes.png"
    bad.write_text("these are lecture notes, not pixels\n" * 20, encoding="utf-8")
    page.locator(FILE_INPUT).set_input_files(str(bad))
    expect(page.locator(f"{ERROR} p")).to_have_text(en("features.upload.not_image"))
    wait_idle(page)
    expect(picked(page)).to_have_value(en("features.sample.upload"))
    expect(page.locator(EXCEPTION)).to_have_count(0)

    # 3. The page still works, on the first upload: the HoG tab measures a 72 x 48 image.
    page.get_by_role("tab", name=en("features.tabs.hog")).click()
    length = feat.hog_length(HEIGHT, WIDTH, orientations=9, pixels_per_cell=8, cells_per_block=1)
    assert length == 9 * 6 * 9
    expected = en("features.hog.length_cells", w=WIDTH, h=HEIGHT, ppc=8, cx=9, cy=6, bins=9, n=f"{length:,}")
    expected = expected.replace("**", "")  # the number is bold in markdown
    expect(page.get_by_text("Feature length", exact=False).first).to_have_text(expected)
    wait_idle(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()
