"""The serif font family of every PDF: Liberation Serif (shipped in materials/fonts), or TTF files named in
the config.

ReportLab's built-in fonts lack Vietnamese. Decree 30 asks for Times New Roman, which is not free; Liberation
Serif 2.x has its metrics (lines break where Word breaks them) and every Vietnamese letter (SIL OFL 1.1, its
licence beside the files). Where Times New Roman is installed, point PDF_FONT_REGULAR, PDF_FONT_BOLD,
PDF_FONT_ITALIC and PDF_FONT_BOLDITALIC (or the TRAINER_PDF_FONT_* environment variables) at its files.
Fonts are registered once per process per set of files.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from trainer.core.text import nfc

STYLES = ("regular", "bold", "italic", "bold_italic")
CONFIG_KEYS = {"regular": "PDF_FONT_REGULAR", "bold": "PDF_FONT_BOLD", "italic": "PDF_FONT_ITALIC",
               "bold_italic": "PDF_FONT_BOLDITALIC"}
LIBERATION_FOLDER = Path(__file__).resolve().parents[2] / "materials" / "fonts" / "liberation-serif"
LIBERATION_FILES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
                    "italic": "LiberationSerif-Italic.ttf", "bold_italic": "LiberationSerif-BoldItalic.ttf"}
# Every precomposed letter of the Vietnamese alphabet: a font missing one would print a blank box.
VIETNAMESE_LETTERS = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvx"
                      "yỳýỷỹỵ")
VIETNAMESE_LETTERS += VIETNAMESE_LETTERS.upper()


@dataclass(frozen=True)
class FontPaths:
    """The four TTF files of a family."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class FontSet:
    """Registered ReportLab font names; `family` (for paragraph styles) maps <b>/<i> to the right face."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str


_registered: dict[FontPaths, FontSet] = {}
_lock = threading.Lock()


def default_paths() -> FontPaths:
    """Liberation Serif 2.1.5 as shipped with trainer (metric-compatible with Times New Roman)."""
    return FontPaths(**{style: LIBERATION_FOLDER / LIBERATION_FILES[style] for style in STYLES})


def configured_paths(config: dict | None = None) -> FontPaths:
    """The configured TTF files; a style left out falls back to the regular file, all left out to the default."""
    if config is None:
        config = current_app.config if has_app_context() else {}
    given = {style: config.get(key) for style, key in CONFIG_KEYS.items()}
    if not given["regular"]:
        if any(given.values()):
            raise RuntimeError("PDF_FONT_REGULAR must be set when another PDF_FONT_* setting is")
        return default_paths()
    return FontPaths(**{style: Path(given[style] or given["regular"]) for style in STYLES})


def missing_letters(font: TTFont) -> str:
    """The Vietnamese letters a TrueType font has no glyph for (empty when it covers them all)."""
    return "".join(ch for ch in VIETNAMESE_LETTERS if ord(ch) not in font.face.charToGlyph)


def _font_name(path: Path) -> str:
    """A name unique to the file: ReportLab silently keeps the first font registered under a name."""
    digest = hashlib.sha1(str(path.resolve()).encode(), usedforsecurity=False).hexdigest()[:6]
    return f"{path.stem}-{digest}"


def register(paths: FontPaths) -> FontSet:
    """Register a family's four files with ReportLab (once; later calls are a dict look-up)."""
    fonts = _registered.get(paths)
    if fonts is not None:
        return fonts
    with _lock:
        if paths in _registered:
            return _registered[paths]
        names: dict[str, str] = {}
        for style in STYLES:
            path = getattr(paths, style)
            if not path.is_file():
                raise RuntimeError(f"PDF font file not found: {path}")
            names[style] = _font_name(path)
            font = TTFont(names[style], str(path))
            missing = missing_letters(font)
            if missing:
                raise RuntimeError(f"PDF font {path} lacks Vietnamese letters: {missing}")
            pdfmetrics.registerFont(font)
        # Paragraph markup (<b>, <i>) finds the other faces through the regular face's name.
        pdfmetrics.registerFontFamily(names["regular"], normal=names["regular"], bold=names["bold"],
                                      italic=names["italic"], boldItalic=names["bold_italic"])
        fonts = FontSet(family=names["regular"], **names)
        _registered[paths] = fonts
        return fonts


def font_set() -> FontSet:
    """The fonts to draw with: the app's configured family, else Liberation Serif. Cheap on repeat."""
    return register(configured_paths())


def text(value: object) -> str:
    """Text ready to draw: NFC (NFD draws colliding accents, as ReportLab does no shaping), one line."""
    return nfc(str(value)) if value is not None else ""


def string_width(value: str, font: str, size: float) -> float:
    """Width in points of `value` drawn in `font` at `size`."""
    return pdfmetrics.stringWidth(value, font, size)


def fit_size(value: str, font: str, max_width: float, size: float, minimum: float) -> float:
    """The largest size from `size` down to `minimum` (in 0.5 pt steps) at which `value` fits `max_width`."""
    width = pdfmetrics.stringWidth(value, font, size)
    if width <= max_width:
        return size
    fitted = size * max_width / width  # widths scale linearly with the size
    return max(minimum, int(fitted * 2) / 2)
