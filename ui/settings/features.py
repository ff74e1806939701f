"""Chapter 4's settings: the image, the colour bins, HoG, the bag of words and the faces' seed."""

from ui.images import SAMPLES, UPLOAD
from ui.settings.base import bool_field, choice_field, int_field, quiz_fields
from ui.settings.page import PageSettings

TABS = ("color", "hog", "bow", "versus", "predict", "code")


class FeatureSettings(PageSettings):
    """An upload stays in the session, never in the URL: a copied link shows the default image."""

    def encode(self, values=None) -> dict[str, str]:
        values = self.values() if values is None else values
        if values["img"] == UPLOAD:
            values = {**values, "img": self.fields["img"].default}
        return super().encode(values)


SETTINGS = FeatureSettings(
    "features",
    (
        choice_field(
            "img",
            "chelsea",
            (*SAMPLES, UPLOAD),
            label="features.image.pick",
            option_label="features.sample.{}",
        ),
        choice_field("tab", "color", TABS, widget=None),
        *quiz_fields("features"),
        int_field("bins", 10, 4, 64, label="features.color.bins"),
        int_field("orient", 9, 4, 18, label="features.hog.orient"),
        int_field("ppc", 8, 4, 32, label="features.hog.ppc"),
        int_field("cpb", 1, 1, 4, label="features.hog.cpb"),
        bool_field("overlay", False, label="features.hog.overlay"),
        int_field("row", 10, 0, 1000, label="features.hog.cell_row"),
        int_field("col", 20, 0, 1000, label="features.hog.cell_col"),
        int_field("k", 16, 4, 32, label="features.bow.k"),
        int_field("patch", 8, 4, 16, label="features.bow.patch"),
        int_field("bseed", 0, 0, 10_000, widget="whole", label="features.bow.seed"),
        int_field("lseed", 0, 0, 10_000, widget="whole", label="features.versus.seed"),
    ),
)
