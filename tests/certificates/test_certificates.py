"""Issue, serials, revoke, reissue and public verification of certificates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.certificates.services import (
    find_by_code,
    issue_certificates,
    list_completion,
    public_view,
    reissue_certificate,
    revoke_certificate,
)
from trainer.core.errors import DomainError
from trainer.courses.models import CourseStatus
from trainer.extensions import db

ISSUE_DAY = date(2024, 10, 5)


def test_completion_lists_who_completes_and_why_not(finished):
    rows = {r.full_name: r for r in list_completion(finished["course"])}
    assert rows["Nguyễn Thị Hằng"].completed and rows["Đặng Văn Ước"].completed
    mai = rows["Lò Thị Mai"]
    assert not mai.completed and "Thiếu 5,6 giờ" in mai.reason and "4/12" in mai.reason


def test_issue_once_per_completer_with_sequential_serials_and_random_codes(finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    result = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY)
    assert sorted(c.serial for c in result.issued) == ["0001/2024", "0002/2024"]
    assert result.skipped == [(finished["people"][2].id, "not_completed")]
    codes = [c.code for c in result.issued]
    assert all(len(c) >= 10 for c in codes) and len(set(codes)) == 2
    again = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY)
    assert again.issued == [] and {r for _, r in again.skipped} == {"already_issued", "not_completed"}
    assert "đều đã được cấp" in again.message
    assert db.session.scalar(select(db.func.count(Certificate.id))) == 2


def test_serials_continue_per_issuing_unit_and_restart_each_year(finished, f):
    issue_certificates(finished["course"], actor=None, today=ISSUE_DAY)
    second = f.course(finished["tree"]["district"], title="Lớp 2")
    db.session.add_all([type(finished["sessions"][0])(course=second, title="B1", starts_at=s.starts_at,
                                                      ends_at=s.ends_at, hours=s.hours) for s in finished["sessions"]])
    db.session.flush()
    from trainer.attendance.models import AttendanceMethod, AttendanceRecord
    from trainer.courses.models import Enrolment

    db.session.add(Enrolment(course=second, participant=finished["people"][2]))
    for s in second.sessions:
        db.session.add(AttendanceRecord(course_session_id=s.id, participant_id=finished["people"][2].id,
                                        checked_in_at=s.starts_at, method=AttendanceMethod.QR))
    db.session.flush()
    assert [c.serial for c in issue_certificates(second, actor=None, today=ISSUE_DAY).issued] == ["0003/2024"]
    other = f.course(finished["tree"]["district"], title="Lớp 3")
    assert issue_certificates(other, actor=None, today=date(2025, 1, 2)).message  # no sessions: nobody completes


def test_no_completers_says_so(finished, f):
    course = f.course(finished["tree"]["district"], title="Lớp chưa học")
    result = issue_certificates(course, actor=None, today=ISSUE_DAY)
    assert result.issued == [] and "Chưa có học viên nào đủ điều kiện" in result.message


def test_cancelled_course_issues_nothing(finished):
    finished["course"].status = CourseStatus.CANCELLED
    with pytest.raises(DomainError) as err:
        issue_certificates(finished["course"], actor=None, today=ISSUE_DAY)
    assert err.value.code == "course_cancelled"


def test_snapshot_freezes_what_was_certified(finished, app):
    certificate = issue_certificates(finished["course"], actor=None, today=ISSUE_DAY).issued[0]
    person = certificate.participant
    person.full_name = "Tên Đã Đổi"
    finished["course"].title = "Tên lớp đã đổi"
    view = public_view(find_by_code(certificate.code))
    assert view["full_name"] in ("Nguyễn Thị Hằng", "Đặng Văn Ước") and view["course_title"].startswith("Lớp bồi")
    assert "phone" not in view and view.get("birth_year") in ("1985", "1979")
    assert (app.instance_path + "/" + certificate.pdf_path).endswith(f"{certificate.code}-r1.pdf")


def test_revoke_needs_a_reason_and_happens_once(finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    certificate = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY).issued[0]
    with pytest.raises(DomainError) as err:
        revoke_certificate(certificate, reason="  ", actor=organizer)
    assert err.value.code == "reason_required"
    revoke_certificate(certificate, reason="Cấp nhầm người", actor=organizer)
    assert public_view(certificate)["valid"] is False and public_view(certificate)["revoked"] is True
    with pytest.raises(DomainError) as err:
        revoke_certificate(certificate, reason="lần hai", actor=organizer)
    assert err.value.code == "already_revoked"


def test_reissue_keeps_code_and_serial_with_corrected_data(finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    certificate = next(c for c in issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY).issued
                       if c.participant.full_name == "Nguyễn Thị Hằng")
    code, serial = certificate.code, certificate.serial
    revoke_certificate(certificate, reason="Sai tên", actor=organizer)
    certificate.participant.full_name = "Nguyễn Thị Thu Hằng"
    reissue_certificate(certificate, reason="Sửa tên theo CCCD", actor=organizer)
    assert (certificate.code, certificate.serial, certificate.revision) == (code, serial, 2)
    assert public_view(certificate)["valid"] and public_view(certificate)["full_name"] == "Nguyễn Thị Thu Hằng"
    assert certificate.pdf_path.endswith("-r2.pdf")


@pytest.mark.parametrize("code, expected", [("not a code!", "code_malformed"), ("ABC", "code_malformed"),
                                            ("23456789ABCD", "certificate_not_found")])
def test_bad_codes_get_clear_answers(app, code, expected):
    with pytest.raises(DomainError) as err:
        find_by_code(code)
    assert err.value.code == expected
