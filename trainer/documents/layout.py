"""Blocks of the Vietnamese administrative layout (Decree 30/2020/NĐ-CP), shared by every PDF.

Canvas functions draw one block and return the y below it; the flowables wrap them for platypus
documents. Certificates and reports reuse them with their own `Letterhead` (trainer/documents/issuers.py says
who issues on which date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from trainer.documents.fonts import FontSet, fit_size, font_set, string_width, text
from trainer.documents.issuers import BLANK_DATE_LINE, Letterhead

# Decree 30: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
PAGE = A4

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class CourseInfo:
    """What a document says about a course."""

    title: str
    curriculum_code: str
    curriculum_title: str
    start_date: date
    end_date: date
    venue: str
    unit_name: str


def date_words(day: date) -> str:
    """"ngày 05 tháng 01 năm 2025": days under 10 and months 1-2 zero-padded (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date_line(place_name: str, day: date) -> str:
    """"Tân Yên, ngày 05 tháng 01 năm 2025"."""
    place = text(place_name)
    words = date_words(day)
    return f"{place}, {words}" if place else words[0].upper() + words[1:]


def short_date(day: date) -> str:
    """dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def date_range(start: date, end: date) -> str:
    """"từ ngày 01/10/2024 đến ngày 03/10/2024", or "ngày 01/10/2024" for a one-day course."""
    if start == end:
        return f"ngày {short_date(start)}"
    return f"từ ngày {short_date(start)} đến ngày {short_date(end)}"


def para(value: object) -> str:
    """User text made safe for Paragraph markup (NFC, &, < and > escaped)."""
    return escape(text(value))


# --- blocks drawn on a canvas ------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One centred line of a block."""

    text: str
    font: str
    size: float
    rule: float = 0.0  # length of a line drawn under the text, in points (0: none)


def _leading(size: float) -> float:
    """Line height for a font size."""
    return size * 1.3


def _wrapped(value: str, font: str, size: float, width: float, rule: float = 0.0) -> list[_Line]:
    """`value` split into lines of at most `width`; the last one carries a rule of `rule` times the widest.

    Two lines are balanced, as a clerk breaks a centred heading ("ỦY BAN NHÂN DÂN / HUYỆN TÂN YÊN", never
    "ỦY BAN NHÂN DÂN HUYỆN TÂN / YÊN")."""
    lines = simpleSplit(value, font, size, width) if value else []
    if len(lines) == 2:
        words = value.split()
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        lines = list(min(splits, key=lambda pair: max(string_width(part, font, size) for part in pair)))
    length = rule * max((string_width(line, font, size) for line in lines), default=0)
    return [_Line(line, font, size, length if i == len(lines) - 1 else 0.0) for i, line in enumerate(lines)]


def _block_height(lines: list[_Line]) -> float:
    """Height `_draw_block` uses for these lines."""
    return sum(_leading(line.size) + (4 if line.rule else 0) for line in lines)


def _draw_block(canvas: Canvas, lines: list[_Line], center: float, top: float) -> float:
    """Draw lines centred on `center` from `top` down; return the y under the block."""
    y = top
    for line in lines:
        y -= _leading(line.size)
        canvas.setFont(line.font, line.size)
        canvas.drawCentredString(center, y + line.size * 0.25, line.text)
        if line.rule:
            canvas.setLineWidth(0.6)
            canvas.line(center - line.rule / 2, y - 2.5, center + line.rule / 2, y - 2.5)
            y -= 4
    return y


def _header_columns(width: float, fonts: FontSet) -> tuple[float, float]:
    """Widths of the agency column (left) and of the national title column (right)."""
    right = max(width * 0.58, string_width(NATIONAL_TITLE, fonts.bold, 12) + 8)
    return width - right, right


def _header_blocks(letterhead: Letterhead, width: float, number: str) -> tuple[list[_Line], list[_Line], float]:
    """The agency block's lines, the national title block's lines, and the agency column's width."""
    fonts = font_set()
    left_width, right_width = _header_columns(width, fonts)
    usable = left_width - 6
    left = _wrapped(text(letterhead.parent_agency).upper(), fonts.regular, 12, usable)
    left += _wrapped(text(letterhead.agency).upper(), fonts.bold, 12, usable, rule=0.4)
    if number:
        left.append(_Line(text(number), fonts.regular, 13))
    title_size = fit_size(NATIONAL_TITLE, fonts.bold, right_width - 4, 12.5, 10)
    motto_size = fit_size(NATIONAL_MOTTO, fonts.bold, right_width - 4, 13, 10)
    right = [_Line(NATIONAL_TITLE, fonts.bold, title_size),
             _Line(NATIONAL_MOTTO, fonts.bold, motto_size, string_width(NATIONAL_MOTTO, fonts.bold, motto_size))]
    return left, right, left_width


def header_height(letterhead: Letterhead, width: float, number: str = "") -> float:
    """Height of the header blocks over a content area `width` wide."""
    left, right, _ = _header_blocks(letterhead, width, number)
    return max(_block_height(left), _block_height(right))


def draw_header(canvas: Canvas, letterhead: Letterhead, *, left: float, right: float, top: float,
                number: str = "") -> float:
    """Issuing agency (top left) and national title (top right) between x `left` and `right`; returns the y below.

    `number` is the "Số: 05/BC-VHTT" line under the agency, for documents that have one.
    """
    lines_left, lines_right, left_width = _header_blocks(letterhead, right - left, number)
    bottom_left = _draw_block(canvas, lines_left, left + left_width / 2, top)
    bottom_right = _draw_block(canvas, lines_right, left + left_width + (right - left - left_width) / 2, top)
    return min(bottom_left, bottom_right)


def _signature_lines(letterhead: Letterhead, day: date | None, blank_date: bool = False) -> tuple[list[_Line],
                                                                                                list[_Line]]:
    """The lines above the space for signature and seal, and the signer's name under it."""
    fonts = font_set()
    above: list[_Line] = []
    if blank_date:  # a form signed by hand: the place and date are written with the pen
        above.append(_Line(BLANK_DATE_LINE, fonts.italic, 13))
    elif day is not None:
        above.append(_Line(place_date_line(letterhead.place_name, day), fonts.italic, 13))
    for value in (letterhead.signer_prefix, letterhead.signer_title):
        if text(value):
            above.append(_Line(text(value).upper(), fonts.bold, 13))
    below = [_Line(text(letterhead.signer_name), fonts.bold, 13)] if text(letterhead.signer_name) else []
    return above, below


SIGNATURE_SPACE = 24 * mm  # room for the signature and the seal


def signature_height(letterhead: Letterhead, day: date | None = None, *, blank_date: bool = False) -> float:
    """Height of the signature block, with the place-and-date line when `day` is given (or left blank)."""
    above, below = _signature_lines(letterhead, day, blank_date)
    return _block_height(above) + SIGNATURE_SPACE + _block_height(below)


def draw_signature(canvas: Canvas, letterhead: Letterhead, *, center: float, top: float,
                   day: date | None = None, blank_date: bool = False) -> float:
    """Place-and-date line (italic, when `day` is given; "…, ngày … tháng … năm …" with `blank_date`), authority
    prefix and title (bold caps), space for signature and seal, signer's name (bold), centred on `center`;
    returns the y below."""
    above, below = _signature_lines(letterhead, day, blank_date)
    y = _draw_block(canvas, above, center, top) - SIGNATURE_SPACE
    return _draw_block(canvas, below, center, y)


def draw_recipients(canvas: Canvas, letterhead: Letterhead, *, left: float, top: float) -> float:
    """"Nơi nhận:" (italic bold 12) and one line per recipient (11), left-aligned; returns the y below."""
    fonts = font_set()
    y = top - _leading(12)
    canvas.setFont(fonts.bold_italic, 12)
    canvas.drawString(left, y, "Nơi nhận:")
    canvas.setFont(fonts.regular, 11)
    for recipient in letterhead.recipients:
        y -= _leading(11)
        canvas.drawString(left, y, text(recipient))
    return y - 4


def draw_page_number(canvas: Canvas, page: int, page_size: tuple[float, float] = PAGE) -> None:
    """The page number centred in the top margin, from page 2 on (Decree 30)."""
    if page < 2:
        return
    canvas.setFont(font_set().regular, 13)
    canvas.drawCentredString(page_size[0] / 2, page_size[1] - MARGIN_TOP / 2, str(page))


def number_later_pages(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """`onLaterPages` callback of a platypus document: its page number."""
    draw_page_number(canvas, canvas.getPageNumber(), doc.pagesize)


# --- the same blocks as platypus flowables -----------------------------------------------------


class HeaderBlock(Flowable):
    """The agency and national title blocks, across the frame's width."""

    def __init__(self, letterhead: Letterhead, number: str = "") -> None:
        """Head a document for `letterhead`, with its "Số: ..." line when `number` is given."""
        super().__init__()
        self.letterhead = letterhead
        self.number = number

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Take the frame's width and the blocks' height."""
        self.width = avail_width
        self.height = header_height(self.letterhead, avail_width, self.number)
        return self.width, self.height

    def draw(self) -> None:
        """Draw in the flowable's own coordinates (origin at its bottom left)."""
        draw_header(self.canv, self.letterhead, left=0, right=self.width, top=self.height, number=self.number)


class SignatureBlock(Flowable):
    """Place and date, then the signature block, in the right part of the frame."""

    def __init__(self, letterhead: Letterhead, day: date | None, *, share: float = 0.45,
                 blank_date: bool = False) -> None:
        """Sign for `letterhead` on `day` (or a blank date line), in the right `share` of the frame's width."""
        super().__init__()
        self.letterhead = letterhead
        self.day = day
        self.share = share
        self.blank_date = blank_date

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Take the frame's width and the block's height."""
        self.width = avail_width
        self.height = signature_height(self.letterhead, self.day, blank_date=self.blank_date)
        return self.width, self.height

    def draw(self) -> None:
        """Centre the block on the right part of the frame."""
        center = self.width * (1 - self.share / 2)
        draw_signature(self.canv, self.letterhead, center=center, top=self.height, day=self.day,
                       blank_date=self.blank_date)


def paragraph_styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the document font: title, subtitle, body, note, cell, cell_center, cell_head."""
    fonts = font_set()
    return {
        "title": ParagraphStyle("title", fontName=fonts.bold, fontSize=14, leading=18, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", fontName=fonts.bold, fontSize=13, leading=17, alignment=TA_CENTER),
        "center": ParagraphStyle("center", fontName=fonts.regular, fontSize=12, leading=16, alignment=TA_CENTER),
        "body": ParagraphStyle("body", fontName=fonts.regular, fontSize=13, leading=17, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", fontName=fonts.regular, fontSize=10, leading=12.5),
        "cell_center": ParagraphStyle("cell_center", fontName=fonts.regular, fontSize=10, leading=12.5,
                                      alignment=TA_CENTER),
        "cell_head": ParagraphStyle("cell_head", fontName=fonts.bold, fontSize=10, leading=12.5,
                                    alignment=TA_CENTER),
    }
