"""Tests for trainer.units.sources: kind derivation, our CSV, GSO exports, errors, shipped files."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from trainer.units.sources import UnitFileError, UnitRow, derive_kind, normalize_name, read_units_file

UNITS_DIR = Path(__file__).resolve().parents[2] / "materials" / "units"
GSO3_HEADER = ["Tỉnh / Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]
GSO3_ROWS = [
    ["Tỉnh Bắc Giang", "24", "Thành phố Bắc Giang", "213", "Phường Trần Phú", "07210", "Phường", ""],
    ["Tỉnh Bắc Giang", "24", "Huyện Tân Yên", "216", "Thị trấn Nhã Nam", "07306", "Thị trấn", ""],
    ["Tỉnh Bắc Giang", "24", "Huyện Tân Yên", "216", "Xã Phúc Hòa", "07309", "Xã", ""],
    ["Thành phố Đà Nẵng", "48", "Huyện Hoàng Sa", "498", "", "", "", ""],
]
GSO2_HEADER = ["Mã TP", "Tỉnh, Thành phố", "Mã PX", "Phường, Xã", "Cấp"]
GSO2_ROWS = [
    ["24", "Tỉnh Bắc Ninh", "07306", "Xã Nhã Nam", "Xã"],
    ["24", "Tỉnh Bắc Ninh", "07210", "Phường Bắc Giang", "Phường"],
    ["91", "Tỉnh An Giang", "31078", "Đặc khu Phú Quốc", "Đặc khu"],
    ["01", "Thành phố Hà Nội", "00070", "Phường Hoàn Kiếm", "Phường"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], sep: str = ",", bom: bool = False) -> Path:
    """A small CSV file in UTF-8; quoted as needed ("Tỉnh, Thành phố" holds a comma)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A one-sheet workbook holding `rows` from A1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def error_of(path: Path, scheme: str | None = None) -> UnitFileError:
    """The UnitFileError that reading `path` raises."""
    with pytest.raises(UnitFileError) as info:
        read_units_file(path, scheme=scheme)
    return info.value


# --- kinds and names ---------------------------------------------------------------------


def test_derive_kind_from_prefix() -> None:
    assert derive_kind("Thị trấn Nhã Nam", "commune") == "thi_tran"
    assert derive_kind("Thành phố Hà Nội", "province") == "thanh_pho_tw"
    assert derive_kind("Tỉnh Bắc Giang", "province") == "tinh"
    assert derive_kind("Thành phố Bắc Giang", "district") == "thanh_pho"
    assert derive_kind("Thị xã Việt Yên", "district") == "thi_xa"
    assert derive_kind("Quận Ba Đình", "district") == "quan"
    assert derive_kind("Huyện Tân Yên", "district") == "huyen"
    assert derive_kind("Đặc khu Phú Quốc", "commune") == "dac_khu"
    assert derive_kind("Phường 1", "commune") == "phuong"
    assert derive_kind("Xã Thị Trấn", "commune") == "xa"
    assert derive_kind("Thành Phố Bắc Kạn", "district") == "thanh_pho"


def test_derive_kind_is_nfc_safe_and_level_bound() -> None:
    assert derive_kind(unicodedata.normalize("NFD", "Thị trấn Nhã Nam"), "commune") == "thi_tran"
    with pytest.raises(ValueError, match="không bắt đầu bằng"):
        derive_kind("Huyện Tân Yên", "commune")
    with pytest.raises(ValueError):
        derive_kind("Nhã Nam", "commune")
    with pytest.raises(ValueError):
        derive_kind("Tỉnh X", "village")


def test_normalize_name() -> None:
    assert normalize_name("  Thành Phố   Bắc Kạn ", "district") == "Thành phố Bắc Kạn"
    assert normalize_name("Bắc Ninh", "province") == "Tỉnh Bắc Ninh"
    assert normalize_name("Thành phố Huế", "province") == "Thành phố Huế"
    nfd = unicodedata.normalize("NFD", "Xã Nhã Nam")
    assert normalize_name(nfd, "commune") == unicodedata.normalize("NFC", "Xã Nhã Nam")


# --- GSO exports -------------------------------------------------------------------------


def test_gso_three_levels_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "gso.xlsx", [["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"], GSO3_HEADER, *GSO3_ROWS])
    rows = read_units_file(path, scheme="2024")
    assert rows == [
        UnitRow("2024", "24", "Tỉnh Bắc Giang", "province", None, "tinh"),
        UnitRow("2024", "213", "Thành phố Bắc Giang", "district", "24", "thanh_pho"),
        UnitRow("2024", "07210", "Phường Trần Phú", "commune", "213", "phuong"),
        UnitRow("2024", "216", "Huyện Tân Yên", "district", "24", "huyen"),
        UnitRow("2024", "07306", "Thị trấn Nhã Nam", "commune", "216", "thi_tran"),
        UnitRow("2024", "07309", "Xã Phúc Hòa", "commune", "216", "xa"),
        UnitRow("2024", "48", "Thành phố Đà Nẵng", "province", None, "thanh_pho_tw"),
        UnitRow("2024", "498", "Huyện Hoàng Sa", "district", "48", "huyen"),
    ]


def test_gso_numeric_codes_are_zero_padded(tmp_path: Path) -> None:
    # A spreadsheet re-saved by hand turns "07306" into the number 7306.
    rows = [["Tỉnh Bắc Giang", 24, "Huyện Tân Yên", 216, "Thị trấn Nhã Nam", 7306, "Thị trấn", "Nha Nam"]]
    path = write_xlsx(tmp_path / "gso.xlsx", [GSO3_HEADER, *rows])
    codes = [r.code for r in read_units_file(path, scheme="2024")]
    assert codes == ["24", "216", "07306"]


def test_gso_headers_vary_in_spelling(tmp_path: Path) -> None:
    header = ["tinh/thanh pho", "MÃ TP", "Quận / Huyện", "Mã  QH", "PHƯỜNG XÃ", "Mã PX"]
    row = ["Tỉnh Bắc Giang", "24", "Huyện Tân Yên", "216", "Thị trấn Nhã Nam", "07306"]
    path = write_csv(tmp_path / "gso.csv", header, [row], sep=";", bom=True)
    assert [r.name for r in read_units_file(path, scheme="2024")] == [
        "Tỉnh Bắc Giang",
        "Huyện Tân Yên",
        "Thị trấn Nhã Nam",
    ]


def test_gso_csv_title_row_is_skipped(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gso.csv", ["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"], [GSO2_HEADER, GSO2_ROWS[0]])
    rows = read_units_file(path, scheme="2025")
    assert [r.code for r in rows] == ["24", "07306"]


def test_gso_two_levels_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gso2025.csv", GSO2_HEADER, GSO2_ROWS)
    rows = read_units_file(path, scheme="2025")
    assert [(r.code, r.name, r.level, r.parent_code, r.kind) for r in rows] == [
        ("24", "Tỉnh Bắc Ninh", "province", None, "tinh"),
        ("07306", "Xã Nhã Nam", "commune", "24", "xa"),
        ("07210", "Phường Bắc Giang", "commune", "24", "phuong"),
        ("91", "Tỉnh An Giang", "province", None, "tinh"),
        ("31078", "Đặc khu Phú Quốc", "commune", "91", "dac_khu"),
        ("01", "Thành phố Hà Nội", "province", None, "thanh_pho_tw"),
        ("00070", "Phường Hoàn Kiếm", "commune", "01", "phuong"),
    ]
    assert {r.scheme for r in rows} == {"2025"}


def test_gso_bare_names_get_their_prefix(tmp_path: Path) -> None:
    # Province without "Tỉnh" (as vietnam-provinces 2025.x writes it) and a commune typed by "Cấp".
    path = write_csv(tmp_path / "gso.csv", GSO2_HEADER, [["24", "Bắc Ninh", "07306", "Nhã Nam", "Xã"]])
    rows = read_units_file(path, scheme="2025")
    assert [(r.name, r.kind) for r in rows] == [("Tỉnh Bắc Ninh", "tinh"), ("Xã Nhã Nam", "xa")]


def test_gso_xlsx_two_levels(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "gso.xlsx", [GSO2_HEADER, *GSO2_ROWS])
    assert len(read_units_file(path, scheme="2025")) == 7


# --- errors ------------------------------------------------------------------------------


def test_error_carries_row_and_vietnamese_message() -> None:
    err = UnitFileError("Thiếu mã đơn vị.", 7)
    assert (err.message, err.row, str(err)) == ("Thiếu mã đơn vị.", 7, "Dòng 7: Thiếu mã đơn vị.")
    assert str(UnitFileError("Tệp trống.")) == "Tệp trống."


def test_error_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "Tệp trống" in error_of(empty, "2024").message
    header_only = write_csv(tmp_path / "h.csv", GSO3_HEADER, [])
    assert "không có dòng dữ liệu" in error_of(header_only, "2024").message
    blank_xlsx = write_xlsx(tmp_path / "blank.xlsx", [])
    assert "Tệp trống" in error_of(blank_xlsx, "2024").message


def test_error_unknown_headers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["Họ tên", "Ngày sinh"], [["A", "1/1/2000"]])
    err = error_of(path, "2024")
    assert err.row == 1
    assert "Không nhận ra tiêu đề cột" in err.message and "«Họ tên»" in err.message


def test_error_only_one_district_column(tmp_path: Path) -> None:
    header = ["Tỉnh / Thành Phố", "Mã TP", "Quận Huyện", "Phường Xã", "Mã PX"]
    path = write_csv(tmp_path / "x.csv", header, [["Tỉnh Bắc Giang", "24", "Huyện Tân Yên", "Xã A", "00001"]])
    assert "Mã QH" in error_of(path, "2024").message


def test_error_file_types(tmp_path: Path) -> None:
    old = tmp_path / "gso.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert ".xls cũ" in error_of(old, "2024").message
    other = tmp_path / "gso.txt"
    other.write_text("x")
    assert ".csv hoặc .xlsx" in error_of(other, "2024").message
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert "Không mở được tệp Excel" in error_of(broken, "2024").message
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Mã TP,Tên\n".encode("latin-1"))
    assert "UTF-8" in error_of(latin, "2024").message


def test_error_scheme_checks(tmp_path: Path) -> None:
    three = write_csv(tmp_path / "3.csv", GSO3_HEADER, GSO3_ROWS)
    two = write_csv(tmp_path / "2.csv", GSO2_HEADER, GSO2_ROWS)
    assert "Cần chọn hệ thống mã" in error_of(three, None).message
    assert "không hợp lệ" in error_of(three, "mới").message
    assert "chỉ có 2 cấp" in error_of(three, "2025").message
    assert "có 3 cấp" in error_of(two, "2024").message


def test_error_missing_code(tmp_path: Path) -> None:
    rows = [GSO3_ROWS[0], ["Tỉnh Bắc Giang", "24", "Huyện Tân Yên", "216", "Thị trấn Nhã Nam", "", "", ""]]
    err = error_of(write_csv(tmp_path / "x.csv", GSO3_HEADER, rows), "2024")
    assert (err.row, err.message) == (3, "Thiếu mã của xã/phường «Thị trấn Nhã Nam».")
    rows = [["", "Tỉnh Bắc Giang", "07306", "Xã Nhã Nam", "Xã"]]
    err = error_of(write_csv(tmp_path / "y.csv", GSO2_HEADER, rows), "2025")
    assert err.row == 2 and "Thiếu mã của tỉnh/thành phố" in err.message


def test_error_bad_code_and_name(tmp_path: Path) -> None:
    rows = [["24", "Tỉnh Bắc Ninh", "07A06", "Xã Nhã Nam", "Xã"]]
    err = error_of(write_csv(tmp_path / "x.csv", GSO2_HEADER, rows), "2025")
    assert err.row == 2 and "chỉ gồm chữ số" in err.message
    rows = [["24", "Tỉnh Bắc Ninh", "123456", "Xã Nhã Nam", "Xã"]]
    assert "quá dài" in error_of(write_csv(tmp_path / "y.csv", GSO2_HEADER, rows), "2025").message
    rows = [["24", "Tỉnh Bắc Ninh", "07306", "Nhã Nam", ""]]
    assert "không bắt đầu bằng" in error_of(write_csv(tmp_path / "z.csv", GSO2_HEADER, rows), "2025").message
    rows = [["24", "", "07306", "Xã Nhã Nam", "Xã"]]
    assert "Thiếu tên tỉnh/thành phố" in error_of(write_csv(tmp_path / "w.csv", GSO2_HEADER, rows), "2025").message


def test_error_duplicate_code_with_other_name(tmp_path: Path) -> None:
    rows = [*GSO2_ROWS[:2], ["24", "Tỉnh Bắc Giang", "07312", "Xã Lan Giới", "Xã"]]
    err = error_of(write_csv(tmp_path / "x.csv", GSO2_HEADER, rows), "2025")
    assert err.row == 4
    assert err.message == "Mã «24» trùng: «Tỉnh Bắc Giang» nhưng dòng 2 ghi «Tỉnh Bắc Ninh» (tỉnh/thành phố)."


def test_error_same_commune_under_two_parents(tmp_path: Path) -> None:
    rows = [GSO2_ROWS[0], ["91", "Tỉnh An Giang", "07306", "Xã Nhã Nam", "Xã"]]
    err = error_of(write_csv(tmp_path / "x.csv", GSO2_HEADER, rows), "2025")
    assert err.row == 3 and "dòng 2 ghi «24»" in err.message


def test_error_commune_without_district(tmp_path: Path) -> None:
    rows = [["Tỉnh Bắc Giang", "24", "", "", "Thị trấn Nhã Nam", "07306", "Thị trấn", ""]]
    err = error_of(write_csv(tmp_path / "x.csv", GSO3_HEADER, rows), "2024")
    assert err.row == 2 and "thiếu mã quận/huyện" in err.message


# --- our own CSV -------------------------------------------------------------------------

OWN_HEADER = ["scheme", "code", "name", "level", "parent_code", "kind"]


def test_own_csv_any_order_and_unpadded_codes(tmp_path: Path) -> None:
    rows = [
        ["2024", "7306", "Thị trấn Nhã Nam", "commune", "216", ""],
        ["2024", "216", "Huyện Tân Yên", "district", "24", "huyen"],
        ["2024", "24", "Tỉnh Bắc Giang", "province", "", "tinh"],
    ]
    parsed = read_units_file(write_csv(tmp_path / "u.csv", OWN_HEADER, rows), scheme="2024")
    assert [(r.code, r.parent_code, r.kind) for r in parsed] == [
        ("24", None, "tinh"),
        ("216", "24", "huyen"),
        ("07306", "216", "thi_tran"),
    ]
    # scheme is optional for our own format: each row carries it.
    assert read_units_file(tmp_path / "u.csv") == parsed


def test_own_csv_errors(tmp_path: Path) -> None:
    def err(rows: list[list[str]], scheme: str | None = None, header: list[str] = OWN_HEADER) -> UnitFileError:
        return error_of(write_csv(tmp_path / "e.csv", header, rows), scheme)

    province = ["2024", "24", "Tỉnh Bắc Giang", "province", "", "tinh"]
    assert "Thiếu cột: kind" in err([province[:5]], header=OWN_HEADER[:5]).message
    assert "khác với hệ thống đã chọn" in err([province], "2025").message
    assert "Cấp «huyen» không hợp lệ" in err([["2024", "216", "Huyện Tân Yên", "huyen", "24", ""]]).message
    missing = err([province, ["2024", "", "Huyện Tân Yên", "district", "24", ""]])
    assert (missing.row, missing.message) == (3, "Thiếu mã đơn vị.")
    orphan = err([province, ["2024", "07306", "Thị trấn Nhã Nam", "commune", "216", ""]])
    assert orphan.row == 3 and "Không tìm thấy đơn vị cấp trên có mã «216»" in orphan.message
    assert "Thiếu mã đơn vị cấp trên" in err([["2024", "216", "Huyện Tân Yên", "district", "", ""]]).message
    wrong_kind = err([["2024", "24", "Tỉnh Bắc Giang", "province", "", "thanh_pho_tw"]])
    assert "không khớp với tên" in wrong_kind.message
    dup = err([province, ["2024", "24", "Tỉnh Bắc Ninh", "province", "", "tinh"]])
    assert dup.row == 3 and "trùng" in dup.message
    district_2025 = err([["2025", "216", "Huyện Tân Yên", "district", "24", ""]])
    assert "không có cấp quận/huyện" in district_2025.message
    skip = err(
        [
            province,
            ["2024", "216", "Huyện Tân Yên", "district", "24", ""],
            ["2024", "07306", "Xã A", "commune", "24", ""],
        ]
    )
    assert skip.row == 4 and "phải thuộc một quận/huyện" in skip.message


# --- shipped data ------------------------------------------------------------------------


def test_shipped_2024_file() -> None:
    rows = read_units_file(UNITS_DIR / "units-2024.csv", scheme="2024")
    levels = Counter(r.level for r in rows)
    assert levels == {"province": 63, "district": 696, "commune": 10051}
    by_code = {r.code: r for r in rows}
    assert by_code["24"].name == "Tỉnh Bắc Giang"
    tan_yen = next(r for r in rows if r.name == "Huyện Tân Yên" and r.parent_code == "24")
    assert by_code["07306"] == UnitRow("2024", "07306", "Thị trấn Nhã Nam", "commune", tan_yen.code, "thi_tran")
    assert by_code["01"].kind == "thanh_pho_tw"
    assert by_code["213"].name == "Thành phố Bắc Giang" and by_code["213"].kind == "thanh_pho"
    # The 5 island districts without communes that vietnam-provinces 0.6.0's enums omit.
    parents = {r.parent_code for r in rows}
    empty = sorted(r.name for r in rows if r.level == "district" and r.code not in parents)
    assert empty == ["Huyện Bạch Long Vĩ", "Huyện Côn Đảo", "Huyện Cồn Cỏ", "Huyện Hoàng Sa", "Huyện Lý Sơn"]


def test_shipped_2025_file() -> None:
    rows = read_units_file(UNITS_DIR / "units-2025.csv", scheme="2025")
    kinds = Counter(r.kind for r in rows)
    assert kinds == {"tinh": 28, "thanh_pho_tw": 6, "xa": 2621, "phuong": 687, "dac_khu": 13}
    by_code = {r.code: r for r in rows}
    assert by_code["24"].name == "Tỉnh Bắc Ninh"
    assert (by_code["07306"].name, by_code["07306"].parent_code) == ("Xã Nhã Nam", "24")
    assert by_code["31078"].name == "Đặc khu Phú Quốc"


def test_shipped_files_format() -> None:
    for path in sorted(UNITS_DIR.glob("units-*.csv")):
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8")
        assert text.splitlines()[0] == "scheme,code,name,level,parent_code,kind"
        assert unicodedata.is_normalized("NFC", text)
        rows = read_units_file(path)
        widths = {
            level: {len(r.code) for r in rows if r.level == level} for level in ("province", "district", "commune")
        }
        assert widths["province"] == {2} and widths["commune"] == {5} and widths["district"] in ({3}, set())
        seen: set[str] = set()
        for r in rows:  # parents come before their children
            assert r.parent_code is None or r.parent_code in seen
            seen.add(r.code)
