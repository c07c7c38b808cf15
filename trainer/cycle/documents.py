"""A periodic report as a document: the Decree 30 layout (letterhead, number, place and date, "BÁO CÁO" and its
summary, the narrative sections, recipients and signature) on A4 portrait, with the figure tables of the
indicator report as its annex on A4 landscape (Circular 10/2022/TT-BLĐTBXH, Mẫu 01; domain/documents.md);
and the same as a workbook (a narrative sheet before the indicator report's sheets)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable

from trainer.core.clock import local_today
from trainer.cycle.models import ReportSubmission
from trainer.cycle.periods import parse_period
from trainer.cycle.submissions import SECTIONS
from trainer.documents.fonts import font_set, text
from trainer.documents.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    HeaderBlock,
    draw_page_number,
    para,
)
from trainer.reports.document import NOTES
from trainer.reports.pdf import ClosingBlock, _breakdown_table, _main_table, _styles
from trainer.reports.services import build_document, report_letterhead, summary_title
from trainer.reports.xlsx import render_report_xlsx


def _day(submission: ReportSubmission, on: date) -> date:
    """A report is dated when it is sent, not when it is printed."""
    return local_today(submission.submitted_at) if submission.submitted_at else on


def _document(submission: ReportSubmission, on: date) -> Any:
    period = parse_period(submission.period)
    day = _day(submission, on)
    return build_document(submission.figures, period.report_period,
                          report_letterhead(submission.unit, day, period.report_period.date_to), on=day)


def _plan_lines(figures: dict[str, Any]) -> list[str]:
    """The plan-against-actual sentence of the results section, when the year has a plan."""
    plan = figures.get("plan")
    if not plan:
        return []
    return [f"Kế hoạch năm: {plan['classes']} lớp, {plan['trainees']} lượt người; thực hiện trong kỳ: "
            f"{figures.get('courses', 0)} lớp, {figures.get('trainee_turns', 0)} lượt người tham dự, "
            f"{figures.get('trained_officers', 0)} người được bồi dưỡng."]


def render_submission_pdf(submission: ReportSubmission, *, on: date) -> bytes:
    """The report as a PDF: the narrative on portrait pages, the annex of figure tables on landscape pages."""
    doc = _document(submission, on)
    styles = _styles()
    fonts = font_set()
    styles["para"] = ParagraphStyle("para", fontName=fonts.regular, fontSize=13, leading=18, alignment=TA_JUSTIFY,
                                    firstLineIndent=10 * mm, spaceAfter=4)
    styles["place"] = ParagraphStyle("place", fontName=fonts.italic, fontSize=13, leading=17, alignment=TA_RIGHT)
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=f"Báo cáo - {text(doc.summary)}",
                          author=text(doc.letterhead.agency), creator="trainer")
    portrait_frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, A4[0] - MARGIN_LEFT - MARGIN_RIGHT,
                           A4[1] - MARGIN_TOP - MARGIN_BOTTOM, id="portrait", leftPadding=0, rightPadding=0)
    wide = landscape(A4)
    landscape_frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, wide[0] - MARGIN_LEFT - MARGIN_RIGHT,
                            wide[1] - MARGIN_TOP - MARGIN_BOTTOM, id="landscape", leftPadding=0, rightPadding=0)
    pdf.addPageTemplates([
        PageTemplate("portrait", [portrait_frame], pagesize=A4, onPage=_number_pages),
        PageTemplate("landscape", [landscape_frame], pagesize=wide, onPage=_number_pages)])
    figures = submission.figures or {}
    narrative = submission.narrative or {}
    story: list[Any] = [
        HeaderBlock(doc.letterhead, doc.number), Spacer(1, 2 * mm), Paragraph(para(doc.place_date), styles["place"]),
        Spacer(1, 6 * mm), Paragraph("BÁO CÁO", styles["title"]),
        Paragraph(para(summary_title(parse_period(submission.period).report_period)),
                  styles["subtitle"]),
        HRFlowable(width="30%", thickness=0.6, color="black", spaceBefore=6, spaceAfter=8),
    ]
    roman = ("I", "II", "III", "IV")
    story += [Paragraph(para(line), styles["para"]) for line in (narrative.get("basis") or "").split("\n")
              if line.strip()]
    for number, (key, label) in zip(roman, SECTIONS, strict=True):
        story.append(Paragraph(f"{number}. {para(label.upper())}", styles["section"]))
        lines = (_plan_lines(figures) if key == "results" else []) + [
            line for line in (narrative.get(key) or "").split("\n") if line.strip()]
        if key == "results":
            lines.append("Số liệu chi tiết tại Phụ lục kèm theo.")
        story += [Paragraph(para(line), styles["para"]) for line in lines] or [Paragraph("", styles["para"])]
        story.append(Spacer(1, 2 * mm))
    story += [Spacer(1, 4 * mm), KeepTogether([ClosingBlock(doc.letterhead)]),
              NextPageTemplate("landscape"), PageBreak()]
    width = wide[0] - MARGIN_LEFT - MARGIN_RIGHT
    story += [
        Paragraph("PHỤ LỤC", styles["title"]),
        Paragraph(para(f"Số liệu kèm theo Báo cáo {doc.number.removeprefix('Số: ')} — {doc.area}"), styles["center"]),
        Spacer(1, 4 * mm), Paragraph("I. KẾT QUẢ CHUNG", styles["section"]), Spacer(1, 2 * mm),
        _main_table(doc, width, styles), Spacer(1, 5 * mm),
        Paragraph("II. SỐ NGƯỜI ĐƯỢC BỒI DƯỠNG THEO CHƯƠNG TRÌNH VÀ NHÓM ĐỐI TƯỢNG", styles["section"]),
        Spacer(1, 2 * mm), _breakdown_table(doc, width, styles), Spacer(1, 3 * mm), Paragraph(NOTES, styles["note"]),
    ]
    pdf.build(story)
    return buffer.getvalue()


def _number_pages(canvas: Any, doc: Any) -> None:
    """Page numbers from page 2, in the top margin (Decree 30)."""
    draw_page_number(canvas, canvas.getPageNumber(), doc.pageTemplate.pagesize)


def render_submission_xlsx(submission: ReportSubmission, *, on: date) -> bytes:
    """The report's workbook: a sheet "Nội dung" with the narrative, then the indicator report's sheets."""
    doc = _document(submission, on)
    workbook = load_workbook(io.BytesIO(render_report_xlsx(doc)))
    if "Danh sách" in workbook.sheetnames:  # the person-level list stays with the indicator report's export
        del workbook["Danh sách"]
    sheet = workbook.create_sheet("Nội dung", 0)
    sheet.column_dimensions["A"].width = 110
    rows = [(doc.letterhead.agency, True), (doc.number, False), (doc.place_date, False), ("BÁO CÁO", True),
            (summary_title(parse_period(submission.period).report_period), True), ("", False)]
    for line in _plan_lines(submission.figures or {}):
        rows.append((line, False))
    rows += [(line, False) for line in (submission.narrative or {}).get("basis", "").split("\n") if line.strip()]
    for number, (key, label) in zip(("I", "II", "III", "IV"), SECTIONS, strict=True):
        rows.append((f"{number}. {label.upper()}", True))
        rows += [(line, False) for line in (submission.narrative or {}).get(key, "").split("\n") if line.strip()]
    for index, (value, bold) in enumerate(rows, start=1):
        cell = sheet.cell(row=index, column=1, value=value)
        cell.data_type = "s"  # text, never a formula
        cell.font = Font(name="Times New Roman", size=13, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def submission_filename(submission: ReportSubmission, fmt: str) -> str:
    """"bao-cao-216-2024.pdf", "bao-cao-216-2024-h1.xlsx"."""
    return f"bao-cao-{submission.unit.code}-{submission.period.lower()}.{fmt}"
