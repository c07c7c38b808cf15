"""The PDF foundation: fonts, fast QR codes and the Decree 30 blocks."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import qrcode
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from tests.documents.helpers import decode_qr_codes, pdf_lines
from trainer.documents import fonts
from trainer.documents.issuers import place_name
from trainer.documents.layout import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    Letterhead,
    date_range,
    date_words,
    draw_header,
    draw_recipients,
    draw_signature,
    place_date_line,
)
from trainer.documents.qr import draw_qr, merged_rectangles, qr_matrix

VERIFY_URL = "https://trainer.example.vn/verify/ABCDEFGH2345"


def _one_page(draw, page: tuple[float, float] = A4) -> bytes:
    """A one-page PDF drawn by `draw(canvas)`."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- fonts ---------------------------------------------------------------------------------------


def test_fonts_default_to_the_shipped_liberation_serif_registered_once():
    first = fonts.font_set()
    assert fonts.font_set() is first  # a dict look-up the second time
    assert first.regular.startswith("LiberationSerif-Regular-") and first.bold.startswith("LiberationSerif-Bold-")
    assert (fonts.LIBERATION_FOLDER / "LICENSE").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1
    assert {first.regular, first.bold, first.italic, first.bold_italic} <= set(pdfmetrics.getRegisteredFontNames())
    assert first.family == first.regular


def test_fonts_come_from_the_configured_files(app, tmp_path: Path):
    # any TTF covering Vietnamese: a copy of the shipped italic under another name stands for Times New Roman
    times = tmp_path / "times.ttf"
    times.write_bytes(fonts.default_paths().italic.read_bytes())
    app.config["PDF_FONT_REGULAR"] = str(times)
    chosen = fonts.font_set()
    assert chosen.regular.startswith("times-")
    assert chosen.bold == chosen.regular  # a style left out falls back to the regular file
    pdf = _one_page(lambda c: (c.setFont(chosen.regular, 12), c.drawString(100, 700, "Nguyễn Thị Hằng")))
    assert pdf_lines(pdf) == [["Nguyễn Thị Hằng"]]
    assert b"LiberationSerif-Italic" in pdf  # the font's own name, embedded


def test_fonts_refuse_a_file_without_vietnamese_letters(app):
    import reportlab

    app.config["PDF_FONT_REGULAR"] = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")  # no Vietnamese
    with pytest.raises(RuntimeError, match="lacks Vietnamese letters"):
        fonts.font_set()


def test_fonts_refuse_a_missing_file(app, tmp_path: Path):
    app.config["PDF_FONT_REGULAR"] = str(tmp_path / "times.ttf")
    with pytest.raises(RuntimeError, match="not found"):
        fonts.font_set()


def test_fonts_refuse_other_styles_without_the_regular_one():
    with pytest.raises(RuntimeError, match="PDF_FONT_REGULAR"):
        fonts.configured_paths({"PDF_FONT_BOLD": "/x/bold.ttf"})


def test_text_is_drawn_nfc():
    assert fonts.text("Nguye\u0302\u0303n  Thi\u0323 Ha\u0306\u0300ng ") == "Nguyễn Thị Hằng"


# --- QR codes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["P0000123", VERIFY_URL, "Nguyễn Thị Hằng", "x" * 300])
def test_qr_matrix_is_the_qrcode_package_symbol(data):
    """Same version, error correction M and the mask qrcode itself would pick."""
    reference = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    reference.add_data(data)
    reference.make(fit=True)
    assert np.array_equal(qr_matrix(data), np.array(reference.get_matrix(), dtype=bool))


def test_merged_rectangles_cover_exactly_the_dark_modules():
    matrix = qr_matrix(VERIFY_URL)
    covered = np.zeros_like(matrix, dtype=int)
    rects = merged_rectangles(matrix)
    for col, row, width, height in rects:
        covered[row:row + height, col:col + width] += 1
    assert np.array_equal(covered, matrix.astype(int))  # every dark module once, nothing else
    assert len(rects) < matrix.sum() / 2


def test_draw_qr_is_one_filled_path():
    pdf = _one_page(lambda c: draw_qr(c, VERIFY_URL, 100, 100, 30 * mm))
    stream = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode()
    assert stream.count(" re") == len(merged_rectangles(qr_matrix(VERIFY_URL))) + 1  # + the light quiet zone
    assert stream.count(" re f\n") == 1  # all dark modules are filled at once


def test_draw_qr_decodes_back_to_the_exact_data():
    codes = ["P0000123", VERIFY_URL, "Nguyễn Thị Hằng"]

    def draw(canvas: Canvas) -> None:
        """Three codes side by side."""
        for i, data in enumerate(codes):
            draw_qr(canvas, data, 60 + i * 170, 400, 25 * mm)

    assert decode_qr_codes(_one_page(draw), dpi=150) == [sorted(codes)]


# --- administrative layout -----------------------------------------------------------------------


@pytest.mark.parametrize(("day", "words"), [
    (date(2025, 1, 5), "ngày 05 tháng 01 năm 2025"),
    (date(2025, 2, 28), "ngày 28 tháng 02 năm 2025"),
    (date(2024, 3, 9), "ngày 09 tháng 3 năm 2024"),
    (date(2024, 12, 25), "ngày 25 tháng 12 năm 2024"),
])
def test_date_words_pad_days_under_ten_and_months_one_and_two(day, words):
    assert date_words(day) == words


def test_place_date_line():
    assert place_date_line("Tân Yên", date(2025, 1, 5)) == "Tân Yên, ngày 05 tháng 01 năm 2025"
    assert place_date_line("", date(2025, 1, 5)) == "Ngày 05 tháng 01 năm 2025"


def test_date_range_of_several_days_and_of_one():
    assert date_range(date(2024, 10, 1), date(2024, 10, 3)) == "từ ngày 01/10/2024 đến ngày 03/10/2024"
    assert date_range(date(2024, 10, 1), date(2024, 10, 1)) == "ngày 01/10/2024"


def test_place_name_drops_the_unit_type_but_keeps_numbers():
    assert [place_name(n) for n in ("Huyện Tân Yên", "Thị trấn Nhã Nam", "Thành phố Hà Nội", "Xã Cao Xá", "Tân Yên",
                                    "Quận 5", "Phường 12", "Thành phố Hồ Chí Minh")] == [
        "Tân Yên", "Nhã Nam", "Hà Nội", "Cao Xá", "Tân Yên", "Quận 5", "Phường 12", "Thành phố Hồ Chí Minh"]


def test_header_signature_and_recipients_blocks_print_exactly():
    letterhead = Letterhead(parent_agency="Ủy ban nhân dân huyện Tân Yên", agency="Phòng Văn hóa và Thông tin",
                            place_name="Tân Yên", signer_prefix="KT. TRƯỞNG PHÒNG", signer_title="PHÓ TRƯỞNG PHÒNG",
                            signer_name="Đặng Văn Ước", recipients=("- Sở Văn hóa, Thể thao và Du lịch (b/c);",
                                                                     "- Lưu: VT, VHTT."))
    width, height = landscape(A4)  # wide enough for each agency name to fit one line

    def draw(canvas: Canvas) -> None:
        """Every block, with the geometry they report."""
        bottom = draw_header(canvas, letterhead, left=MARGIN_LEFT, right=width - MARGIN_RIGHT,
                             top=height - MARGIN_TOP, number="Số: 05/BC-VHTT")
        assert bottom < height - MARGIN_TOP - 40
        draw_recipients(canvas, letterhead, left=MARGIN_LEFT, top=300)
        end = draw_signature(canvas, letterhead, center=width * 0.7, top=300, day=date(2025, 1, 5))
        assert end < 300 - 24 * mm

    lines = pdf_lines(_one_page(draw, (width, height)))[0]
    for expected in ("ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA VÀ THÔNG TIN", "Số: 05/BC-VHTT",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Tân Yên, ngày 05 tháng 01 năm 2025", "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Đặng Văn Ước",
                     "Nơi nhận:", "- Sở Văn hóa, Thể thao và Du lịch (b/c);", "- Lưu: VT, VHTT."):
        assert expected in lines


def test_header_wraps_a_long_agency_name_within_its_column():
    letterhead = Letterhead(parent_agency="Ủy ban nhân dân huyện Tân Yên", agency="Phòng Văn hóa và Thông tin",
                            place_name="Tân Yên")
    width, height = A4

    def draw(canvas: Canvas) -> None:
        """The header of a portrait page."""
        draw_header(canvas, letterhead, left=MARGIN_LEFT, right=width - MARGIN_RIGHT, top=height - MARGIN_TOP)

    lines = pdf_lines(_one_page(draw))[0]
    assert lines[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN TÂN YÊN"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines  # the national title never wraps
