"""Personal badges (thẻ học viên), also used as invitations: an A4 sheet of 2 × 5 business cards with a QR code.

Each card's QR code encodes exactly the participant's personal code, which the organizers' badge
scanner reads. Pure: data in, bytes out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from trainer.documents.fonts import fit_size, font_set, string_width, text
from trainer.documents.layout import CourseInfo, short_date
from trainer.documents.qr import draw_qr
from trainer.documents.roster import name_sort_key

CARD_WIDTH = 85 * mm
CARD_HEIGHT = 54 * mm
COLUMNS = 2
ROWS = 5
PADDING = 3.5 * mm
QR_SIZE = 24 * mm  # quiet zone included: about 0.8 mm a module for a short code, easy for a phone
NAME_SIZE = 15
NAME_MIN_SIZE = 8  # below this a long name goes on two lines
CROP_MARK = 4 * mm
ELLIPSIS = "…"


@dataclass(frozen=True)
class BadgeCard:
    """One participant's card."""

    code: str  # Participant.code: what the QR code carries
    full_name: str
    commune: str
    position: str


@dataclass(frozen=True)
class BadgesData:
    """The course and its enrolled participants' cards, in any order (printed in name order)."""

    course: CourseInfo
    cards: tuple[BadgeCard, ...]


def clip(value: str, font: str, size: float, width: float) -> str:
    """`value` cut short with an ellipsis so that it fits `width` (unchanged when it already fits)."""
    if string_width(value, font, size) <= width:
        return value
    while value and string_width(value + ELLIPSIS, font, size) > width:
        value = value[:-1]
    return value.rstrip() + ELLIPSIS


def _two_lines(name: str) -> tuple[str, str] | None:
    """The split of a name into two lines at the word boundary that makes the longer line shortest."""
    words = name.split()
    if len(words) < 2:
        return None
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])))


def fit_name(name: str, font: str, width: float) -> tuple[list[str], float]:
    """Lines and font size at which a full name fits `width`: one line shrunk down to NAME_MIN_SIZE, then
    two lines, then whatever size fits, since a name must never run off the card."""
    size = fit_size(name, font, width, NAME_SIZE, NAME_MIN_SIZE)
    if string_width(name, font, size) <= width:
        return [name], size
    lines = list(_two_lines(name) or (name,))
    widest = max(string_width(line, font, 1) for line in lines)  # width at 1 pt
    size = min(NAME_SIZE * 0.8, int(width / widest * 10) / 10)
    return lines, size


def _wrap_two(value: str, font: str, size: float, width: float) -> list[str]:
    """At most two lines of `value` within `width`, the second clipped when it is still too long."""
    words, first = value.split(), ""
    while words and string_width((first + " " + words[0]).strip(), font, size) <= width:
        first = (first + " " + words.pop(0)).strip()
    if not first:  # a single word wider than the line
        return [clip(value, font, size, width)]
    rest = " ".join(words)
    return [first, clip(rest, font, size, width)] if rest else [first]


def _info_line(canvas: Canvas, value: str, font: str, size: float, x: float, y: float, width: float) -> None:
    """One left-aligned line, shrunk a little (down to 7 pt) then clipped so it never leaves its column."""
    fitted = fit_size(value, font, width, size, min(size, 7))
    canvas.setFont(font, fitted)
    canvas.drawString(x, y, clip(value, font, fitted, width))


def draw_card(canvas: Canvas, card: BadgeCard, course: CourseInfo, x: float, y: float) -> None:
    """Draw one card with its lower-left corner at (x, y)."""
    fonts = font_set()
    inner = CARD_WIDTH - 2 * PADDING
    left, top = x + PADDING, y + CARD_HEIGHT - PADDING
    canvas.setFillGray(0)
    # Course title: two short bold lines across the card, then a rule.
    title_size = 8
    baseline = top - title_size
    canvas.setFont(fonts.bold, title_size)
    for line in _wrap_two(text(course.title), fonts.bold, title_size, inner):
        canvas.drawCentredString(x + CARD_WIDTH / 2, baseline, line)
        baseline -= title_size * 1.2
    canvas.setLineWidth(0.4)
    canvas.line(left, baseline + 3, left + inner, baseline + 3)
    # Full name: as big as fits, never wider than the card.
    lines, size = fit_name(text(card.full_name), fonts.bold, inner)
    baseline -= size * 0.95 + 2
    canvas.setFont(fonts.bold, size)
    for line in lines:
        canvas.drawCentredString(x + CARD_WIDTH / 2, baseline, line)
        baseline -= size * 1.15
    # Details on the left, the QR code on the right, both against the bottom edge.
    qr_left = x + CARD_WIDTH - PADDING - QR_SIZE + 2 * mm  # the quiet zone may eat into the padding
    draw_qr(canvas, text(card.code), qr_left, y + PADDING - 2 * mm, QR_SIZE)
    column = qr_left - left - 1 * mm
    details = [(text(card.commune), fonts.regular, 9), (text(card.position), fonts.italic, 8.5),
               (f"Mã học viên: {text(card.code)}", fonts.bold, 9),
               (f"Thời gian: {short_date(course.start_date)} - {short_date(course.end_date)}", fonts.regular, 8)]
    venue = f"Địa điểm: {text(course.venue)}" if text(course.venue) else ""
    if venue and string_width(venue, fonts.regular, 7) > column:  # one smaller line reads better than two
        details += [(line, fonts.regular, 8) for line in _wrap_two(venue, fonts.regular, 8, column)]
    elif venue:
        details.append((venue, fonts.regular, 8))
    line_y = y + PADDING + sum(size * 1.25 for _, _, size in details[1:])
    for value, font, size in details:
        if value:
            _info_line(canvas, value, font, size, left, line_y, column)
        line_y -= size * 1.25


def _cut_guides(canvas: Canvas, x0: float, y0: float) -> None:
    """Thin grey card borders and crop marks in the margins, on every cutting line."""
    canvas.saveState()
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.3)
    for column in range(COLUMNS + 1):
        x = x0 + column * CARD_WIDTH
        canvas.line(x, y0, x, y0 + ROWS * CARD_HEIGHT)
        canvas.line(x, y0 - CROP_MARK - 1 * mm, x, y0 - 1 * mm)
        canvas.line(x, y0 + ROWS * CARD_HEIGHT + 1 * mm, x, y0 + ROWS * CARD_HEIGHT + CROP_MARK + 1 * mm)
    for row in range(ROWS + 1):
        y = y0 + row * CARD_HEIGHT
        canvas.line(x0, y, x0 + COLUMNS * CARD_WIDTH, y)
        canvas.line(x0 - CROP_MARK - 1 * mm, y, x0 - 1 * mm, y)
        canvas.line(x0 + COLUMNS * CARD_WIDTH + 1 * mm, y, x0 + COLUMNS * CARD_WIDTH + CROP_MARK + 1 * mm, y)
    canvas.restoreState()


def render_badges(data: BadgesData) -> bytes:
    """Cards on A4 portrait sheets, 2 × 5 a page, in Vietnamese name order. Does no database access."""
    fonts = font_set()
    page_width, page_height = A4
    x0 = (page_width - COLUMNS * CARD_WIDTH) / 2
    y0 = (page_height - ROWS * CARD_HEIGHT) / 2
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Thẻ học viên - {text(data.course.title)}")
    canvas.setCreator("trainer")
    cards = sorted(data.cards, key=lambda card: (*name_sort_key(card.full_name), card.code))
    per_page = COLUMNS * ROWS
    if not cards:
        canvas.setFont(fonts.regular, 13)
        canvas.drawCentredString(page_width / 2, page_height / 2, "Khóa học chưa có học viên nào.")
        canvas.showPage()
    for start in range(0, len(cards), per_page):
        _cut_guides(canvas, x0, y0)
        for index, card in enumerate(cards[start:start + per_page]):
            row, column = divmod(index, COLUMNS)
            draw_card(canvas, card, data.course, x0 + column * CARD_WIDTH, y0 + (ROWS - 1 - row) * CARD_HEIGHT)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
