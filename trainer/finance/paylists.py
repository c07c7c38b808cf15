"""The payment lists as a PDF (A4 portrait, Decree 30 layout) and as a workbook. Pure: data in, bytes out.

Below the table: the total, the total in words, and three signatures (who drew up the list, the accountant,
the head of the issuing agency) under a place-and-date line left blank for the day the list is signed."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trainer.core.xlsx import DOCUMENT_FONT, THIN_BORDER, decree30_page, put, titled_table
from trainer.documents.fonts import font_set, text
from trainer.documents.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    HeaderBlock,
    number_later_pages,
    para,
    paragraph_styles,
    short_date,
)
from trainer.documents.roster import course_lines
from trainer.finance.payments import PaymentList, PayRow
from trainer.finance.words import vnd

TITLES = {"trainees": "DANH SÁCH KÝ NHẬN TIỀN HỖ TRỢ HỌC VIÊN",
          "lecturers": "DANH SÁCH CHI THÙ LAO GIẢNG VIÊN, BÁO CÁO VIÊN"}
# (header, share of the width, xlsx width, align): the signature column is wide enough to sign in.
COLUMNS = {
    "trainees": (("STT", 0.06, 6, "c"), ("Họ và tên", 0.22, 28, "l"), ("Đơn vị", 0.21, 28, "l"),
                 ("Số ngày học", 0.08, 10, "c"), ("Mức hỗ trợ (đồng/ ngày)", 0.13, 14, "r"),
                 ("Thành tiền (đồng)", 0.13, 16, "r"), ("Ký nhận", 0.17, 18, "c")),
    "lecturers": (("STT", 0.06, 6, "c"), ("Họ và tên", 0.19, 26, "l"), ("Cơ quan công tác", 0.2, 30, "l"),
                  ("Hạng", 0.07, 7, "c"), ("Số buổi", 0.07, 8, "c"), ("Mức thù lao (đồng/ buổi)", 0.13, 14, "r"),
                  ("Thành tiền (đồng)", 0.13, 16, "r"), ("Ký nhận", 0.15, 18, "c")),
}
SIGNERS = ("NGƯỜI LẬP BIỂU", "KẾ TOÁN")


def rate_line(data: PaymentList) -> str:
    """Where the amounts come from: the province's resolution and its validity."""
    return f"Định mức chi: {text(data.rate_source)} (áp dụng từ ngày {short_date(data.rate_valid_from)})"


def _values(index: int, row: PayRow, kind: str) -> list[object]:
    """A row's cells in COLUMNS order (amounts as integers)."""
    if kind == "trainees":
        return [index, text(row.full_name), text(row.unit_name), row.quantity, row.rate, row.amount, ""]
    return [index, text(row.full_name), text(row.unit_name), row.tier, row.quantity, row.rate, row.amount, ""]


def _shown(value: object) -> str:
    """A printed cell: amounts grouped with dots."""
    return vnd(value) if isinstance(value, int) and value >= 1000 else text(value)


def _table(data: PaymentList, width: float) -> Table:
    """The numbered table with its total row; the header repeats on every page."""
    styles = paragraph_styles()
    columns = COLUMNS[data.kind]
    style_of = {"c": "cell_center", "l": "cell", "r": "cell_right"}
    styles["cell_right"] = styles["cell"].clone("cell_right", alignment=2)
    body = [[Paragraph(para(label), styles["cell_head"]) for label, *_ in columns]]
    for index, row in enumerate(data.rows, start=1):
        body.append([Paragraph(para(_shown(value)), styles[style_of[align]])
                     for value, (_, _, _, align) in zip(_values(index, row, data.kind), columns, strict=True)])
    total = [""] * len(columns)
    total[1] = Paragraph("<b>Tổng cộng</b>", styles["cell"])
    total[-2] = Paragraph(f"<b>{vnd(data.total)}</b>", styles["cell_right"])
    body.append(total)
    table = Table(body, colWidths=[share * width for _, share, _, _ in columns], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("SPAN", (1, -1), (-3, -1)),
    ]))
    return table


def _signatures(data: PaymentList, width: float) -> Table:
    """Preparer, accountant and head side by side; the place-and-date line over the head, its day left blank."""
    styles = paragraph_styles()
    head = styles["center"].clone("sign", fontName=styles["title"].fontName, fontSize=12, leading=15)
    italic = styles["center"].clone("date", fontName=font_set().italic, fontSize=12, leading=15)
    letterhead = data.letterhead
    place = text(letterhead.place_name)
    date_line = f"{place}, ngày … tháng … năm {data.course.end_date.year}" if place else "Ngày … tháng … năm …"
    chief = "<br/>".join(para(v).upper() for v in (letterhead.signer_prefix, letterhead.signer_title) if text(v))
    row1 = ["", "", Paragraph(para(date_line), italic)]
    row2 = [Paragraph(s, head) for s in SIGNERS] + [Paragraph(chief or "THỦ TRƯỞNG ĐƠN VỊ", head)]
    row3 = [Paragraph("(Ký, ghi rõ họ tên)", italic)] * 2 + [Paragraph("(Ký, ghi rõ họ tên, đóng dấu)", italic)]
    row4 = ["", "", Paragraph(f"<b>{para(letterhead.signer_name)}</b>", styles["center"])]
    table = Table([row1, row2, row3, [""] * 3, row4], colWidths=[width * 0.27, width * 0.27, width * 0.46],
                  rowHeights=[None, None, None, 22 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return table


def render_payment_pdf(data: PaymentList) -> bytes:
    """The payment list as an A4 portrait PDF. Does no database access."""
    styles = paragraph_styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            title=f"{TITLES[data.kind].capitalize()} - {text(data.course.title)}",
                            author=text(data.letterhead.agency), creator="trainer")
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    story = [HeaderBlock(data.letterhead), Spacer(1, 7 * mm), Paragraph(TITLES[data.kind], styles["title"]),
             Paragraph(para(data.course.title), styles["subtitle"])]
    story += [Paragraph(para(line), styles["center"]) for line in course_lines(data.course)]
    story += [Paragraph(para(rate_line(data)), styles["center"]), Spacer(1, 4 * mm), _table(data, width),
              Spacer(1, 2 * mm),
              Paragraph(f"Số tiền bằng chữ: <i>{para(data.total_in_words)}</i>.", styles["body"])]
    if data.unpriced_sessions:
        story.append(Paragraph(para(f"Ghi chú: {data.unpriced_sessions} buổi học chỉ ghi tên giảng viên, không chọn "
                                    "từ danh sách giảng viên của tỉnh, chưa được tính trong danh sách này."),
                               styles["body"]))
    story += [Spacer(1, 5 * mm), KeepTogether(_signatures(data, width))]
    doc.build(story, onLaterPages=number_later_pages)
    return buffer.getvalue()


def render_payment_xlsx(data: PaymentList) -> bytes:
    """The payment list as a workbook: amounts as numbers grouped by thousands, the total computed (no formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách chi" if data.kind == "lecturers" else "Danh sách ký nhận"
    columns = COLUMNS[data.kind]
    font, border = DOCUMENT_FONT, THIN_BORDER
    heading = [TITLES[data.kind], text(data.course.title), " · ".join(course_lines(data.course)), rate_line(data)]
    header_row = titled_table(sheet, heading, [(label, width) for label, _, width, _ in columns])
    rows = [_values(i, r, data.kind) for i, r in enumerate(data.rows, start=1)]
    total = [None] * len(columns)
    total[1], total[-2] = "Tổng cộng", data.total
    for offset, values in enumerate([*rows, total], start=1):
        row = header_row + offset
        sheet.row_dimensions[row].height = 24
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            cell.font = Font(name=font, bold=values is total)
            cell.border = border
            if isinstance(value, int) and column > 3:
                cell.number_format = "#,##0"
    words_row = header_row + len(rows) + 2
    put(sheet, words_row, 1, f"Số tiền bằng chữ: {data.total_in_words}.").font = Font(name=font, italic=True)
    signers = [*SIGNERS, text(data.letterhead.signer_title).upper() or "THỦ TRƯỞNG ĐƠN VỊ"]
    for column, value in zip((2, 4, len(columns) - 1), signers, strict=True):
        put(sheet, words_row + 2, column, value).font = Font(name=font, bold=True)
    put(sheet, words_row + 6, len(columns) - 1, text(data.letterhead.signer_name)).font = Font(name=font, bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    decree30_page(sheet, title_rows=f"{header_row}:{header_row}", landscape=False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
