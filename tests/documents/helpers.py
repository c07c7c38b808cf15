"""Helpers of the documents tests: sample data, PDF text and QR decoding (imported, not fixtures)."""

from __future__ import annotations

import io
from datetime import date

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from trainer.documents.layout import CourseInfo
from trainer.documents.roster import RosterRow

COURSE = CourseInfo(title="Lớp bồi dưỡng kỹ năng thông tin cơ sở năm 2024", curriculum_code="CT1",
                    curriculum_title="Chương trình bồi dưỡng nghiệp vụ thông tin cơ sở",
                    start_date=date(2024, 10, 1), end_date=date(2024, 10, 3), venue="Hội trường UBND huyện Tân Yên",
                    unit_name="Huyện Tân Yên")


def pdf_lines(pdf: bytes) -> list[list[str]]:
    """The stripped text lines of each page, as pypdf extracts them."""
    reader = PdfReader(io.BytesIO(pdf))
    return [[line.strip() for line in page.extract_text().splitlines() if line.strip()] for page in reader.pages]


def pdf_page_count(pdf: bytes) -> int:
    """Number of pages."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def decode_qr_codes(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """The texts of the QR codes found on each page, rendered at `dpi`."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            pages.append(sorted(result.text for result in zxingcpp.read_barcodes(image)
                                if result.format == zxingcpp.BarcodeFormat.QRCode))
        return pages
    finally:
        document.close()


def row(name: str = "Nguyễn Thị Hằng", **overrides) -> RosterRow:
    """A roster row with sensible values."""
    values = {"code": "P0000001", "full_name": name, "gender": "female", "birth_year": 1985,
              "commune": "Thị trấn Nhã Nam", "position": "Công chức văn hóa - xã hội",
              "target_group": "commune_culture_officer", "phone": "0912345600", "email": "hang@example.vn"}
    values.update(overrides)
    return RosterRow(**values)
