"""The .xlsx and .pdf reports hold the figures in place and the Vietnamese titles exactly; the CLI writes each
format."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import Factories
from tests.reports.conftest import Dataset
from trainer.extensions import db
from trainer.reports.models import OfficerHeadcount
from trainer.reports.queries import Period
from trainer.reports.services import export_report
from trainer.units.models import UnitIssuer

TITLE_2024 = "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở năm 2024"
HEADERS = ["Số lớp", "Số buổi", "Số giờ", "Lượt người ghi danh", "Lượt người tham dự", "Lượt người hoàn thành",
           "Số người được bồi dưỡng", "Nữ", "Dân tộc thiểu số",
           "Số xã có người được bồi dưỡng", "Tổng số xã", "Số cán bộ cần bồi dưỡng", "Tỷ lệ được bồi dưỡng (%)",
           "Số người trong danh sách"]


@pytest.fixture
def letterhead(data: Dataset) -> UnitIssuer:
    """Tân Yên's stored issuer settings (no dates: always in force)."""
    stored = UnitIssuer(unit=data.t["district"], agency_parent="Ủy ban nhân dân huyện Tân Yên",
                        agency_name="Phòng Văn hóa và Thông tin", agency_abbr="VHTT", place_name="Tân Yên",
                        signer_prefix="KT. TRƯỞNG PHÒNG", signer_title="PHÓ TRƯỞNG PHÒNG",
                        signer_name="Nguyễn Văn Bình",
                        recipients="- Sở Văn hóa, Thể thao và Du lịch (b/c);\n- Lưu: VT, VHTT.")
    db.session.add(stored)
    db.session.flush()
    return stored


def _sheet_rows(body: bytes, name: str) -> list[list]:
    workbook = load_workbook(io.BytesIO(body))
    return [list(row) for row in workbook[name].iter_rows(values_only=True)]


def test_xlsx_layout_and_figures_in_place(data: Dataset):
    db.session.add(OfficerHeadcount(unit_id=data.t["district"].id, year=2024, officers_in_post=6))
    body = export_report(data.t["province"], Period.of_year(2024), fmt="xlsx", actor=None, on=date(2025, 1, 5)).body
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Báo cáo", "Danh sách"]
    sheet = workbook["Báo cáo"]
    right = sheet.max_column - 8  # first column of the national title block
    assert (sheet["A1"].value, sheet["A2"].value, sheet["A4"].value) == (
        "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: …/BC-STTTT")
    assert [sheet.cell(row=r, column=right).value for r in (1, 2, 4)] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Bắc Giang, ngày 05 tháng 01 năm 2025"]
    assert (sheet["A6"].value, sheet["A7"].value, sheet["A8"].value) == ("BÁO CÁO", TITLE_2024,
                                                                          "Địa bàn: Tỉnh Bắc Giang")
    assert [sheet.cell(row=10, column=c).value for c in range(1, 17)] == ["STT", "Đơn vị", *HEADERS]
    assert sheet.cell(row=10, column=17).value == "Số người được bồi dưỡng theo chương trình"
    assert [sheet.cell(row=11, column=c).value for c in range(17, 19)] == ["CT1", "CT2"]
    assert sheet.cell(row=10, column=19).value == "Số người được bồi dưỡng theo nhóm đối tượng"
    rows = [[sheet.cell(row=r, column=c).value for c in range(1, sheet.max_column + 1)] for r in range(12, 16)]
    assert rows == [
        # STT, unit, 13 figures (enrolled, attended and completed turns after the hours), CT1 CT2, the six groups
        # then the headcount (Tân Yên entered 6, Yên Thế nothing), the coverage, the registry
        [1, "Huyện Tân Yên", 1, 3, 10, 6, 6, 5, 3, 2, 2, 2, 2, 6, 50.0, 5, 2, 2, 1, 1, 1, 0, 0, 0],
        [2, "Huyện Yên Thế", 1, 0, 0, 3, 1, 1, 1, 1, 0, 1, 1, None, None, 3, 0, 1, 1, 0, 0, 0, 0, 0],  # P8 no-show
        [3, "Tỉnh Bắc Giang (trực tiếp)", 1, 2, 8, 0, 0, 0, 0, 0, 0, 0, 0, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [None, "Tổng cộng", 3, 5, 18, 9, 7, 6, 4, 3, 2, 3, 3, 6, 66.7, 8, 2, 3, 2, 1, 1, 0, 0, 0],
    ]
    assert sheet["A17"].value.startswith("Ghi chú: Lượt người ghi danh: số lượt ghi danh")
    assert sheet["A19"].value == "Nơi nhận:" and sheet["A20"].value == "- Bộ Thông tin và Truyền thông (b/c);"
    assert sheet.cell(row=19, column=right).value == "GIÁM ĐỐC"


def test_xlsx_list_of_trained_officers_has_no_ethnicity(data: Dataset):
    body = export_report(data.t["province"], Period.of_year(2024), fmt="xlsx", actor=None, on=date(2025, 1, 5)).body
    rows = _sheet_rows(body, "Danh sách")
    assert rows[0][0] == "DANH SÁCH CÁN BỘ ĐƯỢC BỒI DƯỠNG NĂM 2024"
    assert rows[3] == ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Đơn vị (xã/phường)", "Nhóm đối tượng",
                       "Chương trình đã hoàn thành"]
    assert rows[4] == [1, "Nguyễn Thị Hằng", "Nữ", 1990, "Thị trấn Nhã Nam",
                       "Công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh", "CT1, CT2"]
    assert [row[1] for row in rows[4:8]] == ["Nguyễn Thị Hằng", "Đặng Văn Ước", "Lò Thị Mai", "Phạm Thị Lan"]
    assert rows[9][0] == "Tổng số: 4 người"
    assert not any("dân tộc" in str(cell).lower() for row in rows for cell in row)


def _pdf_lines(body: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(body))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines() if line.strip()]


def test_pdf_holds_titles_and_figures(data: Dataset, letterhead: UnitIssuer):
    body = export_report(data.t["district"], Period.of_year(2024, 1), fmt="pdf", actor=None,
                         on=date(2024, 7, 5)).body
    lines = _pdf_lines(body)
    for expected in ("ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA VÀ THÔNG TIN",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: …/BC-VHTT",
                     "Tân Yên, ngày 05 tháng 7 năm 2024", "BÁO CÁO",
                     "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở 6 tháng đầu năm 2024",
                     "Địa bàn: Huyện Tân Yên", "Tổng cộng", "Nơi nhận:", "- Lưu: VT, VHTT.", "KT. TRƯỞNG PHÒNG",
                     "PHÓ TRƯỞNG PHÒNG", "Nguyễn Văn Bình"):
        assert expected in lines, expected
    # H1 2024 in Tân Yên: K1 only. Table I cells follow each unit's name in reading order.
    start = lines.index("Thị trấn Nhã Nam")
    # a commune's row has no commune counts; no headcount was entered, so no coverage: blank cells
    assert lines[start + 1:start + 11] == ["0", "0", "0", "2", "2", "2", "2", "1", "1", "3"]
    total = lines.index("Tổng cộng")  # P3 came to K1 but did not complete it; P4 completed it (certificate revoked)
    assert lines[total + 1:total + 13] == ["1", "3", "10", "4", "4", "3", "2", "1", "1", "1", "2", "5"]


def test_pdf_of_the_whole_country(data: Dataset):
    lines = _pdf_lines(export_report(None, Period(), fmt="pdf", actor=None, on=date(2025, 1, 5), scheme="2024").body)
    assert "Địa bàn: Toàn quốc" in lines
    assert "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở" in lines  # all years: no period
    assert "Thành phố Hà Nội" in lines and "Tỉnh Bắc Giang" in lines


@pytest.mark.parametrize("fmt", ["json", "xlsx", "pdf"])
def test_cli_writes_each_format(runner, data: Dataset, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    db.session.commit()
    result = runner.invoke(args=["report", "--year", "2024", "--unit", "24", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi báo cáo Tỉnh Bắc Giang năm 2024" in result.output
    body = out.read_bytes()
    if fmt == "json":
        report = json.loads(body)
        assert (report["unit"]["code"], report["trained_officers"], report["trainee_turns"]) == ("24", 4, 7)
    elif fmt == "xlsx":
        assert _sheet_rows(body, "Báo cáo")[14][:3] == [None, "Tổng cộng", 3]
    else:
        assert TITLE_2024 in _pdf_lines(body)


def test_cli_takes_the_reports_number_and_date(runner, data: Dataset, tmp_path):
    out = tmp_path / "report.pdf"
    db.session.commit()
    result = runner.invoke(args=["report", "--year", "2024", "--unit", "24", "--format", "pdf", "--number", "12",
                                 "--date", "2025-01-15", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = _pdf_lines(out.read_bytes())
    assert "Số: 12/BC-STTTT" in lines and "Bắc Giang, ngày 15 tháng 01 năm 2025" in lines
    bad = runner.invoke(args=["report", "--year", "2024", "--unit", "24", "--format", "pdf", "--number", "x",
                              "-o", str(out)])
    assert bad.exit_code != 0 and "Số báo cáo phải là số nguyên dương" in bad.output


def test_cli_refuses_unknown_unit_and_bad_period(runner, data: Dataset, tmp_path):
    db.session.commit()
    unknown = runner.invoke(args=["report", "--unit", "999", "-o", str(tmp_path / "r.json")])
    assert unknown.exit_code != 0 and "Không có đơn vị hành chính mã “999”" in unknown.output
    bad = runner.invoke(args=["report", "--year", "2024", "--from", "2024-01-01", "-o", str(tmp_path / "r.json")])
    assert bad.exit_code != 0 and "không chọn cả hai" in bad.output
    missing = runner.invoke(args=["report", "--format", "pdf"])
    assert missing.exit_code != 0 and "Cần -o FILE" in missing.output


def test_cli_json_to_stdout(runner, data: Dataset, f: Factories):
    db.session.commit()
    result = runner.invoke(args=["report", "--year", "2024", "--half", "2", "--unit", "217"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["period"]["label"], report["courses"], report["trained_officers"]) == ("6 tháng cuối năm 2024", 1, 1)
