"""The certificate of completion as a PDF: A4 landscape, Vietnamese administrative layout.

Pure rendering (no database): `CertificateData` in, bytes out. The agency and national title
blocks and the signature come from trainer.documents.layout; the QR code to the public
verification page is drawn as one merged path (trainer.documents.qr).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from trainer.certificates.wording import hours_words, work_unit_agency
from trainer.documents.fonts import fit_size, font_set, string_width, text
from trainer.documents.layout import Letterhead, date_range, draw_header, draw_signature
from trainer.documents.qr import draw_qr

PAGE = landscape(A4)
MARGIN = 18 * mm
QR_SIZE = 30 * mm
SIGNATURE_TOP = 78 * mm  # where the signature block starts, lower only after a long body


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate."""

    full_name: str
    birth_date: date | None
    unit_name: str
    position: str
    curriculum_title: str
    course_title: str
    start_date: date
    end_date: date
    venue: str
    hours: float
    letterhead: Letterhead
    serial: str
    code: str
    issued_on: date
    verify_url: str
    revoked_on: date | None = None  # a revoked certificate is stamped "ĐÃ THU HỒI" with this date
    work_unit: str = ""  # the agency where the holder works ("UBND xã Việt Ngọc"); derived from unit_name if empty
    # The curriculum's legal reference, set only when its title was confirmed when issued (else the
    # title is printed plainly, never as Decision 1288's programme).
    curriculum_decision: str = ""

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any], *, serial: str, code: str, issued_on: date,
                      verify_url: str, revoked_on: date | None = None) -> CertificateData:
        """Build from a certificate's stored snapshot. A version-1 snapshot (issued before the work unit and the
        curriculum's confirmation were kept) prints its commune as an agency and no legal reference."""
        head = dict(snap.get("letterhead") or {})
        head["recipients"] = tuple(head.get("recipients") or ())
        return cls(full_name=snap["full_name"],
                   birth_date=date.fromisoformat(snap["birth_date"]) if snap.get("birth_date") else None,
                   unit_name=snap.get("unit_name", ""), position=snap.get("position", ""),
                   curriculum_title=snap.get("curriculum_title", ""), course_title=snap.get("course_title", ""),
                   start_date=date.fromisoformat(snap["start_date"]), end_date=date.fromisoformat(snap["end_date"]),
                   venue=snap.get("venue", ""), hours=float(snap.get("hours") or 0), letterhead=Letterhead(**head),
                   serial=serial, code=code, issued_on=issued_on, verify_url=verify_url, revoked_on=revoked_on,
                   work_unit=snap.get("work_unit") or "",
                   curriculum_decision=snap.get("curriculum_decision") or "")


def _centered(canvas: Canvas, value: str, font: str, size: float, y: float, width: float, minimum: float = 9) -> None:
    value = text(value)
    size = fit_size(value, font, width, size, minimum)
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE[0] / 2, y, value)


def _draw_page(canvas: Canvas, data: CertificateData, *, with_qr: bool = True) -> None:
    fonts = font_set()
    width, height = PAGE
    inner = width - 2 * MARGIN
    canvas.setLineWidth(2)
    canvas.rect(MARGIN / 2, MARGIN / 2, width - MARGIN, height - MARGIN)
    canvas.setLineWidth(0.6)
    canvas.rect(MARGIN / 2 + 4, MARGIN / 2 + 4, width - MARGIN - 8, height - MARGIN - 8)
    top = draw_header(canvas, data.letterhead, left=MARGIN, right=width - MARGIN, top=height - MARGIN)
    scratch = Canvas(io.BytesIO(), pagesize=PAGE)  # to measure blocks before drawing them
    signature = _signature_height(data.letterhead, data.issued_on)
    scale = 1.0  # a long title, position or venue: the body shrinks rather than push the signer's name off the page
    while scale > 0.75 and _draw_body(scratch, data, top, inner, scale) - 4 * mm - signature < MARGIN:
        scale -= 0.025
    y = _draw_body(canvas, data, top, inner, scale)
    # bottom: register number and QR on the left, signature on the right
    bottom = MARGIN + 6 * mm
    if with_qr:
        draw_qr(canvas, data.verify_url, MARGIN + 2 * mm, bottom, QR_SIZE)
    canvas.setFont(fonts.regular, 11)
    canvas.drawString(MARGIN + QR_SIZE + 6 * mm, bottom + QR_SIZE - 5 * mm, f"Số vào sổ: {text(data.serial)}")
    canvas.drawString(MARGIN + QR_SIZE + 6 * mm, bottom + QR_SIZE - 11 * mm, f"Mã xác minh: {text(data.code)}")
    canvas.setFont(fonts.italic, 9)
    canvas.drawString(MARGIN + QR_SIZE + 6 * mm, bottom + QR_SIZE - 17 * mm, "Quét mã QR để xác minh")
    canvas.drawString(MARGIN + QR_SIZE + 6 * mm, bottom + QR_SIZE - 21 * mm, text(data.verify_url))
    draw_signature(canvas, data.letterhead, center=width - MARGIN - 60 * mm, top=min(y - 4 * mm, SIGNATURE_TOP),
                   day=data.issued_on)
    if data.revoked_on is not None:
        _draw_revoked_stamp(canvas, data.revoked_on)


@lru_cache(maxsize=64)
def _signature_height(letterhead: Letterhead, day: date) -> float:
    """How tall the place-and-date line, the signer's title, the space to sign and the name are."""
    return SIGNATURE_TOP - draw_signature(Canvas(io.BytesIO(), pagesize=PAGE), letterhead, center=0,
                                          top=SIGNATURE_TOP, day=day)


def _draw_body(canvas: Canvas, data: CertificateData, top: float, inner: float, scale: float) -> float:
    """Title, holder and what was completed, from `top` down, sizes and gaps times `scale`; returns the
    next free baseline."""
    fonts = font_set()
    y = top - 17 * mm * scale
    _centered(canvas, "GIẤY CHỨNG NHẬN", fonts.bold, 30 * scale, y, inner)
    y -= 12 * mm * scale
    _centered(canvas, "Chứng nhận ông/bà:", fonts.italic, 14 * scale, y, inner)
    y -= 11 * mm * scale
    _centered(canvas, data.full_name, fonts.bold, 22 * scale, y, inner * 0.8, minimum=14 * scale)
    y = _draw_holder(canvas, data, y - 9 * mm * scale, inner, scale)
    y -= 3 * mm * scale
    for line, font, size in body_lines(data):
        y = _wrapped_centered(canvas, line, getattr(fonts, font), size * scale, y, inner * 0.86)
    return y


def holder_lines(data: CertificateData) -> list[str]:
    """The holder's lines under the name, each on its own: birth date, work unit (an agency), position."""
    lines = [f"Sinh ngày: {data.birth_date.strftime('%d/%m/%Y')}"] if data.birth_date else []
    work_unit = text(data.work_unit) or work_unit_agency(data.unit_name)
    if work_unit:
        lines.append(f"Đơn vị công tác: {work_unit}")
    if text(data.position):
        lines.append(f"Chức vụ: {text(data.position)}")
    return lines


def body_lines(data: CertificateData) -> list[tuple[str, str, float]]:
    """What was completed, as (text, font of the set, size): the curriculum's title, its legal reference
    only when confirmed, then the course's dates, place and scheduled hours."""
    lines = [("Đã hoàn thành lớp bồi dưỡng theo", "regular", 13), (text(data.curriculum_title), "bold", 14)]
    if text(data.curriculum_decision):
        lines.append((f"(ban hành kèm theo {text(data.curriculum_decision)})", "italic", 12))
    venue = f" tại {text(data.venue)}" if text(data.venue) else ""
    lines.append((f"Lớp học {date_range(data.start_date, data.end_date)}{venue}, thời lượng "
                  f"{hours_words(data.hours)} giờ.", "regular", 13))
    return lines


def _draw_holder(canvas: Canvas, data: CertificateData, y: float, width: float, scale: float = 1.0) -> float:
    """The holder's lines left-aligned in a block centred on the page; returns the next free baseline."""
    fonts = font_set()
    lines = holder_lines(data)
    if not lines:
        return y
    size = min(fit_size(line, fonts.regular, width * 0.8, 14 * scale, 10 * scale) for line in lines)
    left = (PAGE[0] - max(string_width(line, fonts.regular, size) for line in lines)) / 2
    canvas.setFont(fonts.regular, size)
    for line in lines:
        canvas.drawString(left, y, line)
        y -= size * 1.45
    return y


def _draw_revoked_stamp(canvas: Canvas, revoked_on: date) -> None:
    """A large red rubber stamp "ĐÃ THU HỒI" with its date, tilted across the middle of the page, drawn over it but
    translucent, so the page reads as revoked at a glance and the name under it stays legible."""
    fonts = font_set()
    title, day = "ĐÃ THU HỒI", f"Ngày thu hồi: {revoked_on.strftime('%d/%m/%Y')}"
    title_size, day_size = 56, 19
    box_width = max(canvas.stringWidth(title, fonts.bold, title_size),
                    canvas.stringWidth(day, fonts.bold, day_size)) + 16 * mm
    box_height = title_size + day_size + 16 * mm
    canvas.saveState()
    # Below the name, over the course details, slightly tilted: the name, the QR and the code stay clear.
    canvas.translate(PAGE[0] / 2 + 24 * mm, PAGE[1] / 2 - 22 * mm)
    canvas.rotate(12)
    canvas.setFillColorRGB(1, 1, 1, alpha=0.7)  # fades what lies under the stamp so its date reads
    canvas.roundRect(-box_width / 2, -box_height / 2, box_width, box_height, 4 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(0.8, 0.05, 0.05, alpha=0.8)
    canvas.setStrokeColorRGB(0.8, 0.05, 0.05, alpha=0.8)
    canvas.setLineWidth(4)
    canvas.roundRect(-box_width / 2, -box_height / 2, box_width, box_height, 4 * mm)
    canvas.setLineWidth(1.2)
    canvas.roundRect(-box_width / 2 + 2 * mm, -box_height / 2 + 2 * mm, box_width - 4 * mm, box_height - 4 * mm,
                     3 * mm)
    canvas.setFont(fonts.bold, title_size)
    canvas.drawCentredString(0, box_height / 2 - 6 * mm - title_size * 0.8, title)
    canvas.setFont(fonts.bold, day_size)
    canvas.drawCentredString(0, -box_height / 2 + 7 * mm, day)
    canvas.restoreState()


def _words(value: str) -> list[str]:
    """`value` split at spaces, a lone dash kept with the word before it ("văn hóa -" / "xã hội", never a
    line that starts with "- ")."""
    words: list[str] = []
    for word in text(value).split():
        if word in ("-", "–") and words:
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _fill(words: list[str], font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and string_width(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@lru_cache(maxsize=512)  # a batch repeats its title and dates on every page
def balanced_lines(value: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """`value` over as few lines as fit `width`, as even as possible (a clerk's centred paragraph, not
    a full line over a stub)."""
    words = _words(value)
    lines = _fill(words, font, size, width)
    if len(lines) < 2:
        return tuple(lines)
    low, high = max(string_width(w, font, size) for w in words), width
    while high - low > 1:  # the narrowest width that still needs no more lines
        middle = (low + high) / 2
        if len(_fill(words, font, size, middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return tuple(_fill(words, font, size, high))


def _wrapped_centered(canvas: Canvas, value: str, font: str, size: float, y: float, width: float) -> float:
    """Draw `value` centred over as many lines as it needs from baseline `y`; returns the next free baseline."""
    lines = balanced_lines(value, font, size, width)
    canvas.setFont(font, size)
    for i, line in enumerate(lines):
        canvas.drawCentredString(PAGE[0] / 2, y - i * size * 1.3, line)
    return y - len(lines) * size * 1.3


def render_certificates(items: Iterable[CertificateData], *, with_qr: bool = True) -> bytes:
    """One PDF with a page per certificate (fonts embedded once), for printing a batch.

    `with_qr=False` draws the same pages without their QR code: the benchmark's floor."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle("Giấy chứng nhận")
    for data in items:
        _draw_page(canvas, data, with_qr=with_qr)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_certificate(data: CertificateData) -> bytes:
    """A one-page certificate."""
    return render_certificates([data])
