"""The indicator report as an A4 landscape PDF in the Decree 30 layout, on the shared document blocks
(trainer/documents/layout.py). Pure: data in, bytes out."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from trainer.documents.fonts import font_set, text
from trainer.documents.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    HeaderBlock,
    Letterhead,
    draw_recipients,
    draw_signature,
    number_later_pages,
    para,
    paragraph_styles,
    signature_height,
)
from trainer.reports.document import MAIN_COLUMNS, NOTES, TARGET_GROUP_SHORT, ReportDocument, figure

PAGE = landscape(A4)
TITLE = "BÁO CÁO"
# The national title block takes this share of the width on a landscape page (as the header blocks do).
RIGHT_SHARE = 0.58

def _number(value: Any) -> str:
    """A figure as printed: integers plainly, decimals with a comma (10,5), nothing for an undefined ratio."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        text_value = f"{Decimal(str(value)).normalize():f}"
        return text_value.replace(".", ",")
    return str(value)


def _styles() -> dict[str, ParagraphStyle]:
    """The shared paragraph styles plus the small ones of the wide tables."""
    styles = paragraph_styles()
    fonts = font_set()
    styles["small_head"] = ParagraphStyle("small_head", fontName=fonts.bold, fontSize=8.5, leading=10.5,
                                          alignment=TA_CENTER)
    styles["small"] = ParagraphStyle("small", fontName=fonts.regular, fontSize=9, leading=11)
    styles["small_bold"] = ParagraphStyle("small_bold", fontName=fonts.bold, fontSize=9, leading=11)
    styles["small_right"] = ParagraphStyle("small_right", parent=styles["small"], alignment=2)
    styles["small_right_bold"] = ParagraphStyle("small_right_bold", parent=styles["small_bold"], alignment=2)
    styles["italic_center"] = ParagraphStyle("italic_center", fontName=fonts.italic, fontSize=13, leading=17,
                                             alignment=TA_CENTER)
    styles["section"] = ParagraphStyle("section", fontName=fonts.bold, fontSize=12, leading=16)
    styles["note"] = ParagraphStyle("note", fontName=fonts.italic, fontSize=10, leading=13)
    return styles


TABLE_STYLE = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, "black"),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
])


def _body_rows(doc: ReportDocument, values: list[Any], styles: dict[str, ParagraphStyle]) -> list[list[Any]]:
    """Numbered rows then the totals row; `values(figures)` gives a row's figures in column order."""
    rows: list[list[Any]] = []
    for index, item in enumerate((*doc.rows, doc.total), start=1):
        total = item is doc.total
        suffix = "_bold" if total else ""
        rows.append([Paragraph("" if total else str(index), styles["cell_center"]),
                     Paragraph(para(item.label), styles[f"small{suffix}"]),
                     *[Paragraph(_number(v), styles[f"small_right{suffix}"]) for v in values[index - 1]]])
    return rows


def _main_table(doc: ReportDocument, width: float, styles: dict[str, ParagraphStyle]) -> Table:
    """Table I: activity, people, communes and registry coverage by unit."""
    head = [Paragraph(label, styles["small_head"]) for label in ("STT", "Đơn vị", *[lbl for _, lbl in MAIN_COLUMNS])]
    values = [[figure(item.figures, key) for key, _ in MAIN_COLUMNS] for item in (*doc.rows, doc.total)]
    first, name = 0.04 * width, 0.2 * width
    widths = [first, name] + [(width - first - name) / len(MAIN_COLUMNS)] * len(MAIN_COLUMNS)
    table = Table([head, *_body_rows(doc, values, styles)], colWidths=widths, repeatRows=1)
    table.setStyle(TABLE_STYLE)
    return table


def _breakdown_table(doc: ReportDocument, width: float, styles: dict[str, ParagraphStyle]) -> Table:
    """Table II: trained officers by curriculum and by target group, with a spanning group header."""
    n_cur, n_group = len(doc.curricula), len(TARGET_GROUP_SHORT)
    top = [Paragraph("STT", styles["small_head"]), Paragraph("Đơn vị", styles["small_head"])]
    top += [Paragraph("Theo chương trình", styles["small_head"])] + [""] * (n_cur - 1) if n_cur else []
    top += [Paragraph("Theo nhóm đối tượng", styles["small_head"])] + [""] * (n_group - 1)
    sub = ["", ""] + [Paragraph(para(code), styles["small_head"]) for code in doc.curricula]
    sub += [Paragraph(para(label), styles["small_head"]) for label in TARGET_GROUP_SHORT.values()]
    values = [[item.figures["by_curriculum"].get(code, 0) for code in doc.curricula]
              + [item.figures["by_target_group"].get(group, 0) for group in TARGET_GROUP_SHORT]
              for item in (*doc.rows, doc.total)]
    first, name = 0.04 * width, 0.2 * width
    widths = [first, name] + [(width - first - name) / (n_cur + n_group)] * (n_cur + n_group)
    table = Table([top, sub, *_body_rows(doc, values, styles)], colWidths=widths, repeatRows=2)
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
             ("SPAN", (2 + n_cur, 0), (1 + n_cur + n_group, 0))]
    if n_cur:
        spans.append(("SPAN", (2, 0), (1 + n_cur, 0)))
    table.setStyle(TableStyle([*TABLE_STYLE.getCommands(), *spans]))
    return table


class ClosingBlock(Flowable):
    """"Nơi nhận:" with the recipients on the left, the signature block on the right, level with each other."""

    def __init__(self, letterhead: Letterhead, *, share: float = 0.45) -> None:
        super().__init__()
        self.letterhead = letterhead
        self.share = share

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The frame's width; the taller of the two blocks."""
        self.width = avail_width
        recipients = 12 * 1.3 + len(self.letterhead.recipients) * 11 * 1.3 + 4
        self.height = max(recipients, signature_height(self.letterhead))
        return self.width, self.height

    def draw(self) -> None:
        """Draw both blocks from the top of the flowable."""
        draw_recipients(self.canv, self.letterhead, left=0, top=self.height)
        draw_signature(self.canv, self.letterhead, center=self.width * (1 - self.share / 2), top=self.height)


def _number_line(doc: ReportDocument, width: float, styles: dict[str, ParagraphStyle]) -> Table:
    """"Số: .../BC-..." under the agency and the place-and-date line under the national title, on one line."""
    table = Table([[Paragraph(para(doc.number), styles["center"]), Paragraph(para(doc.place_date),
                                                                             styles["italic_center"])]],
                  colWidths=[width * (1 - RIGHT_SHARE), width * RIGHT_SHARE])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def render_report_pdf(doc: ReportDocument) -> bytes:
    """The report as an A4 landscape PDF. Does no database access."""
    styles = _styles()
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=f"Báo cáo - {text(doc.summary)}",
                            author=text(doc.letterhead.agency), creator="trainer")
    width = PAGE[0] - MARGIN_LEFT - MARGIN_RIGHT
    story: list[Flowable] = [
        HeaderBlock(doc.letterhead), _number_line(doc, width, styles), Spacer(1, 6 * mm),
        Paragraph(TITLE, styles["title"]), Paragraph(para(doc.summary), styles["subtitle"]),
        HRFlowable(width="25%", thickness=0.6, color="black", spaceBefore=2, spaceAfter=4),
        Paragraph(para(doc.area), styles["center"]), Spacer(1, 5 * mm),
        Paragraph("I. KẾT QUẢ CHUNG", styles["section"]), Spacer(1, 2 * mm), _main_table(doc, width, styles),
        Spacer(1, 5 * mm),
        Paragraph("II. SỐ NGƯỜI ĐƯỢC BỒI DƯỠNG THEO CHƯƠNG TRÌNH VÀ NHÓM ĐỐI TƯỢNG", styles["section"]),
        Spacer(1, 2 * mm), _breakdown_table(doc, width, styles), Spacer(1, 3 * mm),
        Paragraph(NOTES, styles["note"]), Spacer(1, 5 * mm),
        KeepTogether([ClosingBlock(doc.letterhead)]),
    ]
    pdf.build(story, onLaterPages=number_later_pages)
    return buffer.getvalue()

