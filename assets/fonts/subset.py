"""Make the Korean web font the app ships: Noto Sans CJK KR (SIL OFL 1.1), Hangul only.

The app's Latin text is Streamlit's own Source Sans; this font carries the Hangul, so a machine
with no Korean font (a lecture-hall Linux PC, a bare container) still shows Korean, offline.
It holds every Hangul character of the catalogs plus the 2,350 syllables of KS X 1001 (the
common ones, so a Korean class name typed by a user renders too) and the compatibility jamo.

Run again after adding Korean text that uses a syllable outside that set (tests/ui/test_fonts.py
says which). It needs the dev tools ``fonttools`` and ``brotli`` and Debian's fonts-noto-cjk
(``apt-get download fonts-noto-cjk`` and ``dpkg-deb -x`` it anywhere; pass that folder)::

    python assets/fonts/subset.py /path/to/usr/share/fonts/opentype/noto
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATALOGS = HERE.parent / "i18n"
OUT = HERE.parents[1] / "static" / "fonts"  # served at app/static/fonts/ (server.enableStaticServing)
FACES = {"Regular": "NotoSansKR-Hangul-Regular.woff2", "Bold": "NotoSansKR-Hangul-Bold.woff2"}
KR_INDEX = 1  # Noto Sans CJK KR in NotoSansCJK-*.ttc (JP, KR, SC, TC, HK, then the Mono faces)
CHARS = OUT / "hangul-chars.txt"  # what the font holds, for the test


def is_hangul(ch: str) -> bool:
    code = ord(ch)
    return 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7A3


def catalog_hangul() -> set[str]:
    def strings(obj):
        if isinstance(obj, str):
            yield obj
        elif isinstance(obj, dict):
            for value in obj.values():
                yield from strings(value)

    found = set()
    for path in sorted(CATALOGS.glob("*.json")):
        for text in strings(json.loads(path.read_text(encoding="utf-8"))):
            found.update(ch for ch in text if is_hangul(ch))
    return found


def ks_x_1001_syllables() -> set[str]:
    """The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0-0xC8)."""
    out = set()
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            out.add(bytes([lead, trail]).decode("euc_kr"))
    return out


def wanted() -> str:
    jamo = {chr(c) for c in range(0x3131, 0x318F)}
    return "".join(sorted(catalog_hangul() | ks_x_1001_syllables() | jamo))


def main(source: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    text = wanted()
    for weight, name in FACES.items():
        font = TTCollection(source / f"NotoSansCJK-{weight}.ttc").fonts[KR_INDEX]
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]  # keep the copyright and licence names
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(OUT / name)
        print(f"{name}: {(OUT / name).stat().st_size / 1024:.0f} KiB, {len(text)} characters")
    CHARS.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
