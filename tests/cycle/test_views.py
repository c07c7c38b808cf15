"""The cycle's pages: plan against actual, the status board, a report's narrative and review steps, the lock
notice on course pages, the report as PDF (Decree 30 layout, figures as annex) and .xlsx; bounded queries."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from tests.reports.conftest import Dataset
from tests.sql import count_statements
from trainer.cycle.models import ReportSubmission, SubmissionStatus
from trainer.cycle.periods import parse_period
from trainer.cycle.plans import save_plan
from trainer.cycle.submissions import create_submission
from trainer.extensions import db


def _post(client, url: str, data: dict, page: str):
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_plan_page_saves_targets_and_shows_plan_against_actual(client, data: Dataset, f: Factories):
    organizer = f.user("organizer", data.t["district"])
    login(client, organizer.email)
    page = "/cycle/plans?unit=216&year=2024"
    response = _post(client, page, {"unit": "216", "year": "2024", "classes_CT1_all": "2", "trainees_CT1_all": "60",
                                     "classes_CT2_all": "x"}, page)
    assert response.status_code == 422 and "Phải là số nguyên" in response.get_data(as_text=True)
    response = _post(client, page, {"unit": "216", "year": "2024", "classes_CT1_all": "2", "trainees_CT1_all": "60",
                                     "classes_CT1_commune_culture_officer": "1",
                                     "trainees_CT1_commune_culture_officer": "30"}, page)
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Dự thảo, chờ cấp trên duyệt" in html
    assert 'id="classes_CT1_commune_culture_officer" aria-label="Số lớp CT1" value="1"' in html
    assert "<td>CT1</td><td class=\"num\">3</td><td class=\"num\">1</td>" in html  # 2 + 1 planned, K1 held
    assert "Lũy kế từ năm 2021 đến hết năm 2024" in html


def test_board_shows_who_reported_who_is_late_and_returned(client, data: Dataset, f: Factories, clock_at):
    clock_at.set(datetime(2024, 11, 5, 3, tzinfo=UTC))
    admin = f.user("admin")
    returned = create_submission(admin, data.t["district"], parse_period("2024"))
    returned.status = SubmissionStatus.RETURNED
    reviewer = f.user("reviewer", data.t["province"])
    login(client, reviewer.email)
    with count_statements() as seen:
        response = client.get("/cycle/reports?unit=24&period=2024")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-unit="216"' in html and "Bị trả lại" in html
    assert 'data-unit="217"' in html and "Quá hạn" in html  # Yên Thế has not reported, due 30/10
    assert len(seen) < 15


def test_organizer_creates_edits_and_submits_in_the_browser_forms(client, data: Dataset, f: Factories):
    organizer = f.user("organizer", data.t["district"])
    login(client, organizer.email)
    board = "/cycle/reports?unit=216&period=2024"
    response = _post(client, "/cycle/reports", {"unit": "216", "period": "2024"}, board)
    assert response.status_code == 302
    submission = db.session.scalars(db.select(ReportSubmission)).one()
    page = f"/cycle/reports/{submission.id}"
    assert _post(client, page, {"results": "Kết quả\nDòng hai", "assessment": "", "difficulties": "",
                                "proposals": "Đề xuất"}, page).status_code == 302
    assert _post(client, f"{page}/act", {"action": "submit"}, page).status_code == 302
    db.session.refresh(submission)
    assert submission.status is SubmissionStatus.SUBMITTED
    assert submission.narrative["results"] == "Kết quả\nDòng hai"
    html = client.get(page).get_data(as_text=True)
    assert "Đã gửi, chờ duyệt" in html and 'id="approve-report"' not in html


def test_locked_course_pages_say_so(app, client, data: Dataset, f: Factories):
    admin = f.user("admin")
    submission = create_submission(admin, data.t["district"], parse_period("2024"))
    submission.status = SubmissionStatus.APPROVED
    organizer = f.user("organizer", data.t["district"])
    login(client, organizer.email)
    k1 = data.courses["K1"]
    for url in (f"/courses/{k1.id}", f"/courses/{k1.id}/certificates", f"/sessions/{k1.sessions[0].id}/marks"):
        html = client.get(url).get_data(as_text=True)
        assert 'id="period-locked"' in html and "năm 2024 của Huyện Tân Yên đã được cấp trên duyệt" in html, url
    k5 = data.courses["K5"]  # Yên Thế's: not locked
    province = app.test_client()
    login(province, f.user("organizer", data.t["province"]).email)
    assert 'id="period-locked"' not in province.get(f"/courses/{k5.id}").get_data(as_text=True)


def test_report_pdf_in_the_decree_30_layout_with_the_annex(client, data: Dataset, f: Factories):
    admin = f.user("admin")
    save_plan(admin, data.t["district"], 2024, [{"curriculum_code": "CT1", "target_group": None, "classes": 2,
                                                  "trainees": 60}])
    submission = create_submission(admin, data.t["district"], parse_period("2024"))
    submission.narrative = {**submission.narrative, "results": "Tổ chức 01 lớp bồi dưỡng CT1.",
                            "difficulties": "Kinh phí cấp chậm.",
                            "proposals": "Đề nghị tỉnh bổ sung kinh phí."}
    login(client, f.user("reviewer", data.t["province"]).email)
    response = client.get(f"/cycle/reports/{submission.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = [line.strip() for line in text.splitlines()]
    assert "Thực hiện Thông tư số 10/2022/TT-BLĐTBXH" in text
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG",
                     "III. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN", "IV. ĐỀ XUẤT, KIẾN NGHỊ", "PHỤ LỤC", "Nơi nhận:"):
        assert expected in lines, expected
    assert "Đề nghị tỉnh bổ sung kinh phí." in text
    assert "Kế hoạch năm: 2 lớp, 60 lượt người; thực hiện trong kỳ: 1 lớp, 6 lượt người tham dự" in " ".join(lines)
    first, last = reader.pages[0].mediabox, reader.pages[-1].mediabox
    assert first.width < first.height and last.width > last.height  # the annex is landscape

    workbook = load_workbook(io.BytesIO(client.get(f"/cycle/reports/{submission.id}.xlsx").data))
    assert workbook.sheetnames[0] == "Nội dung" and "Danh sách" not in workbook.sheetnames
    cells = [row[0] for row in workbook["Nội dung"].iter_rows(values_only=True)]
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" in cells and "Đề nghị tỉnh bổ sung kinh phí." in cells


def test_dashboard_reminds_of_a_due_report_and_of_reports_to_review(app, client, data: Dataset, f: Factories, clock_at):
    clock_at.set(datetime(2024, 10, 15, 3, tzinfo=UTC))
    login(client, f.user("organizer", data.t["district"]).email)
    html = client.get("/").get_data(as_text=True)
    assert "Báo cáo năm 2024 của Huyện Tân Yên hạn ngày 30/10/2024 (còn 15 ngày)." in html
    assert "Số lớp: 1; lượt người tham dự: 4 (chưa có kế hoạch năm)." in html  # K1: P1-P4 came, P7 withdrew
    assert "Lũy kế từ năm 2021: 1 lớp, 4 lượt người tham dự." in html
    admin = f.user("admin")
    submission = create_submission(admin, data.t["district"], parse_period("2024"))
    submission.status = SubmissionStatus.SUBMITTED
    reviewer = app.test_client()
    login(reviewer, f.user("reviewer", data.t["province"]).email)
    assert "1 báo cáo của đơn vị trực thuộc đang chờ duyệt." in reviewer.get("/").get_data(as_text=True)


def test_attachments_are_checked_kept_and_frozen_once_sent(client, data: Dataset, f: Factories):
    organizer = f.user("organizer", data.t["district"])
    submission = create_submission(organizer, data.t["district"], parse_period("2024"))
    login(client, organizer.email)
    page = f"/cycle/reports/{submission.id}"
    body = b"%PDF-1.4\n1 0 obj\n%%EOF\n"
    response = _post(client, f"{page}/attachments", {"file": (io.BytesIO(body), "Biên bản.pdf")}, page)
    assert response.status_code == 302
    fake = _post(client, f"{page}/attachments", {"file": (io.BytesIO(b"MZ\x90\x00"), "bang.pdf")}, page)
    assert "Nội dung tệp không phải PDF" in client.get(fake.headers["Location"]).get_data(as_text=True)
    db.session.refresh(submission)
    assert [a.filename for a in submission.attachments] == ["Biên bản.pdf"]
    download = client.get(f"{page}/attachments/{submission.attachments[0].id}")
    assert download.status_code == 200 and download.data == body
    submission.narrative = {"results": "Có", "proposals": "Không"}
    assert _post(client, f"{page}/act", {"action": "submit"}, page).status_code == 302
    late = _post(client, f"{page}/attachments", {"file": (io.BytesIO(body), "them.pdf")}, page)
    assert "không sửa được" in client.get(late.headers["Location"]).get_data(as_text=True)
    db.session.refresh(submission)
    assert len(submission.attachments) == 1


def test_reports_page_shows_the_plan_against_the_actual(client, data: Dataset, f: Factories):
    admin = f.user("admin")
    save_plan(admin, data.t["district"], 2024, [{"curriculum_code": "CT1", "target_group": None, "classes": 2,
                                                  "trainees": 60}])
    save_plan(admin, data.t["commune"], 2024, [{"curriculum_code": "CT1", "target_group": None, "classes": 1,
                                                 "trainees": 20}])
    login(client, f.user("reviewer", data.t["province"]).email)
    html = client.get("/reports/?unit=216&year=2024").get_data(as_text=True)
    assert "Kế hoạch năm 2024: 3 lớp, 80 lượt người; thực hiện: 1 lớp, 6 lượt người tham dự." in html
    other = client.get("/reports/?unit=217&year=2024").get_data(as_text=True)
    assert 'id="plan-line"' not in other and 'href="/cycle/reports?unit=217&amp;scheme=2024"' in other


def test_admin_board_lists_the_provinces(client, data: Dataset, f: Factories):
    login(client, f.user("admin").email)
    assert 'id="board-link"' in client.get("/").get_data(as_text=True)
    html = client.get("/cycle/reports?period=2024").get_data(as_text=True)
    assert 'data-unit="24"' in html and 'data-unit="01"' in html and "Toàn quốc" in html
