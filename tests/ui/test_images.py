"""Tests for ui.images: the bundled samples and decode_upload, which refuses bad uploads with a reason.

Every test file is built in memory with Pillow. decode_upload must never raise: each refusal is
a catalog key under ``features.upload``, and the page shows that message.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from ui import images
from ui.i18n import LANGUAGES, catalog
from ui.images import BOMB_PIXELS, MAX_PIXELS, MAX_UPLOAD_BYTES, Decoded, decode_upload

ERRORS = ("empty", "too_big", "format", "not_image", "broken", "bomb")
PIXELS = np.random.default_rng(0).integers(0, 256, (30, 40, 3), dtype=np.uint8)
# A smooth picture for lossy formats (JPEG of random noise is mostly artefacts).
_YY, _XX = np.mgrid[0:30, 0:40]
SMOOTH = np.stack([_XX * 6, _YY * 8, 255 - _XX * 3], axis=2).astype(np.uint8)


def encode(img: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


def refused(data: bytes) -> str:
    decoded = decode_upload(data)
    assert decoded.image is None, decoded
    assert decoded.downscaled_from is None, decoded
    assert decoded.error in ERRORS
    return decoded.error


def accepted(data: bytes) -> np.ndarray:
    decoded = decode_upload(data)
    assert decoded.error is None, decoded.error
    assert decoded.image.dtype == np.uint8
    assert decoded.image.ndim == 3
    assert decoded.image.shape[2] == 3
    return decoded.image


def png_claiming(width: int, height: int) -> bytes:
    """A tiny valid 1-bit PNG whose IHDR is patched to claim width x height (its CRC fixed)."""
    png = encode(Image.new("1", (8, 8)), "PNG")
    assert png[12:16] == b"IHDR"
    body = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:8] + png[8:12] + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF) + png[33:]


# ---- 1. the samples ------------------------------------------------------------------------------------


def test_every_sample_loads_as_uint8_and_has_a_name_in_both_catalogs():
    for name in images.SAMPLES:
        img = images.sample(name)
        assert img.dtype == np.uint8
        assert img.ndim in (2, 3)
        assert min(img.shape[:2]) >= 64
        for lang in LANGUAGES:
            assert f"features.sample.{name}" in catalog(lang)
    assert images.sample("chelsea").shape == (300, 451, 3)  # the page's default: 451 x 300
    with pytest.raises(ValueError, match="sample must be one of"):
        images.sample("../../etc/passwd")


def test_every_refusal_has_a_message_in_both_catalogs():
    for lang in LANGUAGES:
        for key in (*ERRORS, "downscaled"):
            assert f"features.upload.{key}" in catalog(lang), (lang, key)


# ---- 2. good uploads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "lossless"), [("PNG", True), ("BMP", True), ("WEBP", False), ("JPEG", False)]
)
def test_a_valid_image_decodes_to_its_pixels(fmt, lossless):
    if lossless:
        img = accepted(encode(Image.fromarray(PIXELS), fmt))
        np.testing.assert_array_equal(img, PIXELS)
    else:
        img = accepted(encode(Image.fromarray(SMOOTH), fmt, quality=95))
        assert np.abs(img.astype(int) - SMOOTH).mean() < 3
    assert img.shape == (30, 40, 3)
    assert decode_upload(encode(Image.fromarray(PIXELS), fmt)).downscaled_from is None
    if fmt == "WEBP":
        np.testing.assert_array_equal(accepted(encode(Image.fromarray(PIXELS), fmt, lossless=True)), PIXELS)


def test_a_grayscale_or_one_bit_image_becomes_rgb():
    gray = PIXELS[..., 0]
    img = accepted(encode(Image.fromarray(gray), "PNG"))
    np.testing.assert_array_equal(img, np.repeat(gray[..., None], 3, axis=2))
    img = accepted(encode(Image.fromarray(gray > 127), "PNG"))
    assert set(np.unique(img)) == {0, 255}


def test_a_gif_gives_its_first_frame():
    red = Image.new("RGB", (20, 12), (255, 0, 0))
    blue = Image.new("RGB", (20, 12), (0, 0, 255))
    data = encode(red, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)
    with Image.open(io.BytesIO(data)) as check:
        assert check.n_frames == 2
    img = accepted(data)
    assert img.shape == (12, 20, 3)
    assert np.all(img == [255, 0, 0])
    assert np.all(accepted(encode(blue, "GIF")) == [0, 0, 255])  # and a still GIF


def test_an_rgba_png_is_composited_over_white():
    rgba = np.zeros((4, 6, 4), np.uint8)
    rgba[0] = (255, 0, 0, 255)  # opaque red
    rgba[1] = (255, 0, 0, 0)  # transparent: white
    rgba[2] = (0, 0, 0, 128)  # half-transparent black: mid gray
    rgba[3] = (0, 0, 255, 255)
    img = accepted(encode(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert np.all(img[0] == [255, 0, 0])
    assert np.all(img[1] == [255, 255, 255])
    assert np.all(np.abs(img[2].astype(int) - 127) <= 1)
    assert np.all(img[3] == [0, 0, 255])
    la = accepted(encode(Image.new("LA", (3, 3), (0, 0)), "PNG"))  # gray + alpha, transparent
    assert np.all(la == 255)


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])
def test_a_transparent_palette_colour_is_white_too(fmt):
    pal = Image.new("P", (6, 4), 0)
    pal.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)
    pal.putpixel((0, 0), 1)  # one red pixel, the rest palette index 0 (transparent black)
    img = accepted(encode(pal, fmt, transparency=0))
    assert np.all(img[0, 0] == [255, 0, 0])
    assert np.all(img[1:] == 255)


def test_a_16_bit_png_keeps_its_contrast():
    ramp = np.array([[0, 16384, 32768, 65535]], dtype=np.uint16)
    img = accepted(encode(Image.fromarray(ramp), "PNG"))
    np.testing.assert_allclose(img[0, :, 0], [0, 64, 128, 255], atol=2)


def test_a_large_image_is_downscaled_to_about_4_megapixels():
    big = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
    decoded = decode_upload(encode(big, "JPEG", quality=70))
    assert decoded.error is None
    assert decoded.downscaled_from == (3000, 2000)
    h, w = decoded.image.shape[:2]
    assert h * w <= MAX_PIXELS == 4_000_000
    assert h * w > 0.99 * MAX_PIXELS  # not shrunk more than needed
    assert abs(w / h - 1.5) < 0.01  # the aspect ratio is kept
    # exactly 4 MP is not downscaled
    decoded = decode_upload(encode(Image.new("RGB", (2000, 2000), (1, 2, 3)), "PNG"))
    assert decoded.downscaled_from is None
    assert decoded.image.shape == (2000, 2000, 3)


# ---- 3. refused uploads: a reason, never an exception ------------------------------------------------


def test_empty_bytes_are_refused_as_empty():
    assert refused(b"") == "empty"


@pytest.mark.parametrize(
    "data",
    [
        np.random.default_rng(1).bytes(4096),
        b"x,y,label\n0.5,0.4,0\n0.8,0.3,0\n" * 20,
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        b"\x89PNG",  # only the first bytes of the signature
    ],
    ids=["random-bytes", "csv-text", "svg", "pdf", "png-signature-only"],
)
def test_bytes_that_are_no_image_are_refused_as_not_image(data):
    assert refused(data) == "not_image"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP", "BMP"])
def test_a_truncated_image_is_refused_as_broken(fmt):
    data = encode(Image.fromarray(PIXELS), fmt)
    assert refused(data[: len(data) // 2]) == "broken"


@pytest.mark.parametrize("fmt", ["TIFF", "ICO", "PPM", "TGA"])
def test_an_image_in_another_format_is_refused_as_format(fmt):
    img = Image.fromarray(PIXELS)
    assert refused(encode(img, fmt)) == "format"


def test_more_than_10_mb_is_refused_as_too_big_before_decoding():
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert refused(b"\0" * (MAX_UPLOAD_BYTES + 1)) == "too_big"
    # a real PNG padded past the limit with a trailing chunk is refused without being read
    png = encode(Image.fromarray(PIXELS), "PNG")
    assert refused(png + b"\0" * MAX_UPLOAD_BYTES) == "too_big"


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (20_000, 20_000),  # 400 MP: Pillow's own bomb error
        (12_000, 12_000),  # 144 MP: Pillow's bomb warning, turned into a refusal
        (8_500, 8_000),  # 68 MP: over the app's own 64 MP limit
        (70_000_000, 1),
        (65_535, 65_535),
    ],
)
def test_a_header_claiming_too_many_pixels_is_refused_as_a_bomb(width, height):
    assert width * height > BOMB_PIXELS
    assert refused(png_claiming(width, height)) == "bomb"


def test_a_real_compressed_bomb_is_refused_quickly():
    data = encode(Image.new("1", (8_200, 8_200)), "PNG", optimize=True)  # 67 MP of zeros
    assert len(data) < 100_000
    assert refused(data) == "bomb"
    gif = bytearray(encode(Image.new("P", (8, 8)), "GIF"))
    gif[6:10] = struct.pack("<HH", 65_535, 65_535)  # the logical screen size
    assert refused(bytes(gif)) == "bomb"
    bmp = bytearray(encode(Image.new("RGB", (8, 8)), "BMP"))
    bmp[18:26] = struct.pack("<ii", 20_000, 20_000)
    assert refused(bytes(bmp)) == "bomb"


def test_a_header_just_under_the_limit_is_not_called_a_bomb():
    # 100 x 100 claimed by a file holding 8 x 8 pixels of data: truncated, not a bomb
    assert refused(png_claiming(100, 100)) == "broken"


def test_corrupted_files_never_raise():
    """Random byte flips and cuts in real files of every accepted format: always a Decoded, never an error."""
    rng = np.random.default_rng(2)
    for fmt in images.FORMATS:
        data = encode(Image.fromarray(PIXELS[:16, :16]), fmt)
        for _ in range(150):
            b = bytearray(data)
            for _ in range(int(rng.integers(1, 4))):
                near_header = rng.random() < 0.7  # headers are where parsers go wrong
                pos = int(rng.integers(0, min(len(b), 64) if near_header else len(b)))
                b[pos] = int(rng.integers(0, 256))
            if rng.random() < 0.3:
                b = b[: int(rng.integers(1, len(b)))]
            decoded = decode_upload(bytes(b))
            assert isinstance(decoded, Decoded)
            assert (decoded.image is None) != (decoded.error is None)
            assert decoded.error in (None, *ERRORS)
