"""A course's estimate and settlement side by side as a workbook. Pure: data in, bytes out."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from trainer.core.xlsx import DOCUMENT_FONT, THIN_BORDER, decree30_page, put, titled_table
from trainer.documents.fonts import text
from trainer.documents.layout import CourseInfo, short_date
from trainer.documents.roster import course_lines
from trainer.finance.budget import LABELS, Budget
from trainer.finance.words import amount_in_words

TITLE = "DỰ TOÁN VÀ QUYẾT TOÁN KINH PHÍ LỚP BỒI DƯỠNG"
COLUMNS = (("STT", 6), ("Nội dung chi", 36), ("Cách tính dự toán", 34), ("Dự toán (đồng)", 16),
           ("Quyết toán (đồng)", 16), ("Chênh lệch (đồng)", 16), ("Ghi chú", 24))


def render_budget_xlsx(course: CourseInfo, budget: Budget) -> bytes:
    """Lines, totals and the settled total in words; amounts as numbers grouped by thousands (no formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dự toán - quyết toán"
    font, border = DOCUMENT_FONT, THIN_BORDER
    rate = budget.rate
    heading = [TITLE, text(course.title), " · ".join(course_lines(course)),
               f"Định mức chi: {text(rate.source)} (áp dụng từ ngày {short_date(rate.valid_from)})"]
    header = titled_table(sheet, heading, list(COLUMNS))
    rows = [[i, LABELS[line.kind], line.basis, line.estimate, line.actual, line.difference, line.note]
            for i, line in enumerate(budget.lines, start=1)]
    rows.append([None, "Tổng cộng", None, budget.estimate, budget.actual, budget.actual - budget.estimate, None])
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, header + offset, column, value)
            cell.font = Font(name=font, bold=offset == len(rows))
            cell.border = border
            if isinstance(value, int) and column > 3:
                cell.number_format = "#,##0"
    put(sheet, header + len(rows) + 2, 1, f"Số tiền quyết toán bằng chữ: {amount_in_words(budget.actual)}.").font = \
        Font(name=font, italic=True)
    decree30_page(sheet, title_rows=f"{header}:{header}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
