"""Badges and invitations: A4 sheets of 2 × 5 cards, each with the participant's personal QR code."""

from __future__ import annotations

import unicodedata

import pytest

from tests.documents.helpers import COURSE, decode_qr_codes, pdf_lines, pdf_page_count
from trainer.documents.badges import CARD_WIDTH, PADDING, BadgeCard, BadgesData, clip, fit_name, render_badges
from trainer.documents.fonts import font_set, string_width

LONG_NAMES = ("Tôn Nữ Thị Hoàng Phương Quỳnh Như Ngọc Bảo Trâm Anh", "Nguyễn Huỳnh Thượng Quang Minh Đức",
              "Công Tằng Tôn Nữ Thị Bích Ngọc Diệp", "Nguyễnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn Văn Ước",
              "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")


def _card(name: str, code: str, **overrides) -> BadgeCard:
    """A card of the Nhã Nam culture officer, unless overridden."""
    values = {"code": code, "full_name": name, "commune": "Thị trấn Nhã Nam", "position": "Công chức văn hóa - xã hội"}
    values.update(overrides)
    return BadgeCard(**values)


def test_each_qr_code_decodes_to_the_participants_code():
    cards = tuple(_card(f"Người Số {i}", f"P{i:07d}") for i in range(12))
    pdf = render_badges(BadgesData(COURSE, cards))
    pages = decode_qr_codes(pdf, dpi=150)
    assert [len(codes) for codes in pages] == [10, 2]
    assert sorted(code for codes in pages for code in codes) == [card.code for card in cards]


def test_cards_print_name_commune_position_code_dates_and_venue_exactly():
    cards = (_card("Nguyễn Thị Hằng", "P0000001"),
             _card(unicodedata.normalize("NFD", "Đặng Văn Ước"), "P0000002", commune="Xã Cao Xá",
                   position="Cán bộ Hội Nông dân"))
    lines = pdf_lines(render_badges(BadgesData(COURSE, cards)))[0]
    for expected in ("Lớp bồi dưỡng kỹ năng thông tin cơ sở năm 2024", "Nguyễn Thị Hằng", "Thị trấn Nhã Nam",
                     "Công chức văn hóa - xã hội", "Mã học viên: P0000001", "Đặng Văn Ước", "Xã Cao Xá",
                     "Cán bộ Hội Nông dân", "Mã học viên: P0000002", "Thời gian: 01/10/2024 - 03/10/2024",
                     "Địa điểm: Hội trường UBND huyện Tân Yên"):
        assert expected in lines, expected
    assert lines.index("Nguyễn Thị Hằng") < lines.index("Đặng Văn Ước")  # name order: Hằng before Ước
    assert unicodedata.is_normalized("NFC", "\n".join(lines))


@pytest.mark.parametrize("name", ["Nguyễn Thị Hằng", *LONG_NAMES])
def test_names_never_run_off_the_card(name):
    bold = font_set().bold
    inner = CARD_WIDTH - 2 * PADDING
    lines, size = fit_name(name, bold, inner)
    assert " ".join(lines) == name
    assert all(string_width(line, bold, size) <= inner for line in lines)
    assert size >= 8 or len(lines) == 2 or " " not in name


def test_short_names_stay_big_and_on_one_line():
    assert fit_name("Nguyễn Thị Hằng", font_set().bold, CARD_WIDTH - 2 * PADDING) == (["Nguyễn Thị Hằng"], 15)


def test_long_names_render_whole():
    cards = tuple(_card(name, f"P{i:07d}") for i, name in enumerate(LONG_NAMES[:2]))
    text = " ".join(pdf_lines(render_badges(BadgesData(COURSE, cards)))[0])
    assert all(name in text or all(word in text for word in name.split()) for name in LONG_NAMES[:2])


def test_clip_shortens_with_an_ellipsis_only_when_needed():
    regular = font_set().regular
    assert clip("Xã Cao Xá", regular, 9, 200) == "Xã Cao Xá"
    clipped = clip("Hội trường Ủy ban nhân dân huyện Tân Yên, tỉnh Bắc Giang", regular, 9, 100)
    assert clipped.endswith("…") and string_width(clipped, regular, 9) <= 100


def test_badges_of_nobody_say_so():
    pdf = render_badges(BadgesData(COURSE, ()))
    assert pdf_page_count(pdf) == 1
    assert pdf_lines(pdf) == [["Khóa học chưa có học viên nào."]]
