"""Reading images: the samples that ship with scikit-image, and uploads, safely.

An upload is refused with a reason (never an exception) when it is too large,
not an image, truncated, or a decompression bomb; a very large image is
downscaled to about 4 megapixels with a notice.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
import skimage.data
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from core.feature_pictures import codebook_mosaic
from ui.plots.theme import MARK_LINE, MARK_RIM

SAMPLES = (
    "chelsea",
    "coffee",
    "astronaut",
    "rocket",
    "camera",
    "coins",
    "immunohistochemistry",
    "hubble_deep_field",
)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 4_000_000  # larger images are downscaled to this
BOMB_PIXELS = 64_000_000  # a header claiming more than this is refused before decoding
FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF")
UPLOAD = "upload"  # the image choice that means "the picture uploaded in this session"


def sample(name: str) -> np.ndarray:
    """One of scikit-image's bundled sample images (no download)."""
    if name not in SAMPLES:
        raise ValueError(f"sample must be one of {list(SAMPLES)}, got {name!r}")
    return getattr(skimage.data, name)()


@dataclass(frozen=True)
class Decoded:
    image: np.ndarray | None  # uint8 (H, W) or (H, W, 3), None when refused
    error: str | None  # catalog key under features.upload.*, when refused
    downscaled_from: tuple[int, int] | None = None  # original (width, height) when downscaled


def decode_upload(data: bytes) -> Decoded:
    """Decode uploaded bytes into an image array, or say why not."""
    if len(data) == 0:
        return Decoded(None, "empty")
    if len(data) > MAX_UPLOAD_BYTES:
        return Decoded(None, "too_big")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.format not in FORMATS:
                    return Decoded(None, "format")
                width, height = img.size
                if width * height > BOMB_PIXELS or width <= 0 or height <= 0:
                    return Decoded(None, "bomb")
                img.seek(0)  # the first frame of a GIF
                img.draft("RGB", (width, height))
                img.load()
                rgb, scaled = _fit(_to_rgb(img))
                return Decoded(np.asarray(rgb, dtype=np.uint8).copy(), None, scaled)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Decoded(None, "bomb")
    except UnidentifiedImageError:
        return Decoded(None, "not_image")
    except (OSError, SyntaxError, ValueError, EOFError):  # truncated or corrupt data
        return Decoded(None, "broken")


def _to_rgb(img: Image.Image) -> Image.Image:
    """8-bit RGB: 16-bit or float gray rescaled to 0..255, transparency composited over white."""
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        wide = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I") else max(float(wide.max()), 1.0)
        img = Image.fromarray(np.clip(wide / top * 255.0 + 0.5, 0, 255).astype(np.uint8))
    if "A" not in img.getbands() and "transparency" not in img.info:
        return img.convert("RGB")
    base = Image.new("RGBA", img.size, (255, 255, 255, 255))
    return Image.alpha_composite(base, img.convert("RGBA")).convert("RGB")


def _fit(rgb: Image.Image) -> tuple[Image.Image, tuple[int, int] | None]:
    """``rgb`` shrunk to at most MAX_PIXELS (LANCZOS), and its original size if it was shrunk."""
    width, height = rgb.size
    if width * height <= MAX_PIXELS:
        return rgb, None
    factor = (MAX_PIXELS / (width * height)) ** 0.5
    size = (max(1, int(width * factor)), max(1, int(height * factor)))
    return rgb.resize(size, Image.Resampling.LANCZOS), (width, height)


def marked(image: np.ndarray, top: int, left: int, size: int, *, width: int = 2) -> np.ndarray:
    """``image`` as float RGB in [0, 1] with a box drawn around the ``size`` × ``size`` square at
    (``top``, ``left``): red inside, white outside, so it shows on dark and light pictures.

    Gray (H, W) and uint8 images are accepted; the input is not changed.
    """
    out = np.asarray(image, dtype=float)
    if out.dtype.kind == "f" and np.asarray(image).dtype == np.uint8:
        out = out / 255.0
    if out.ndim == 2:
        out = np.repeat(out[:, :, None], 3, axis=2)
    out = np.clip(out[:, :, :3], 0.0, 1.0).copy()
    h, w = out.shape[:2]
    for pad, colour in ((width, MARK_RIM), (0, MARK_LINE)):
        y0, x0 = max(0, top - width - pad), max(0, left - width - pad)
        y1, x1 = min(h, top + size + width + pad), min(w, left + size + width + pad)
        t = width + (pad and 1)  # the white rim is one pixel wider than the red line is thick
        for region in (
            np.s_[y0 : y0 + t, x0:x1],
            np.s_[y1 - t : y1, x0:x1],
            np.s_[y0:y1, x0 : x0 + t],
            np.s_[y0:y1, x1 - t : x1],
        ):
            out[region] = colour
    return out


def numbered_tiles(centers: np.ndarray, *, scale: int = 6, gap: int = 4) -> np.ndarray:
    """The codebook's words (K, P, P) or (K, P * P) as core's mosaic, with each word's index 0..K-1
    written under its tile (so tile k is the histogram's word k)."""
    words = np.reshape(centers, (len(centers), -1))
    tile = round(np.sqrt(words.shape[1])) * scale
    mosaic = codebook_mosaic(words, scale=scale, gap=gap, strip=max(14, tile // 3))  # room for a number
    canvas = Image.fromarray(np.uint8(np.round(255 * mosaic.picture)))
    draw, font = ImageDraw.Draw(canvas), ImageFont.load_default(size=mosaic.strip - 2)
    for i, (y, x) in enumerate(mosaic.corners):
        draw.text((x + tile / 2, y + tile + mosaic.strip / 2), str(i), fill=0, font=font, anchor="mm")
    return np.asarray(canvas, dtype=float) / 255.0
