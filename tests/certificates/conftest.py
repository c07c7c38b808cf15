"""A finished course whose register gives two completers and one who fell short."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import Factories
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.participants.models import Gender
from trainer.schedule.models import CourseSession


@pytest.fixture
def finished(app, f: Factories):
    """Tân Yên's 3-session course (12 h): Hằng attends 3, Ước 3 (one late), Mai 1 (33%, not completed)."""
    app.config["PUBLIC_BASE_URL"] = "https://trainer.example.vn"
    t = f.tree()
    course = f.course(t["district"], title="Lớp bồi dưỡng thông tin cơ sở năm 2024", venue="Hội trường UBND huyện",
                      start_date=date(2024, 10, 1), end_date=date(2024, 10, 2))
    sessions = []
    for i, start in enumerate((datetime(2024, 10, 1, 0, 30), datetime(2024, 10, 1, 6, 30),
                               datetime(2024, 10, 2, 0, 30))):
        start = start.replace(tzinfo=UTC)
        sessions.append(CourseSession(course=course, title=f"Buổi {i + 1}", starts_at=start,
                                      ends_at=start + timedelta(hours=4), hours=4))
    db.session.add_all(sessions)
    people = [f.participant(t["commune"], full_name="Nguyễn Thị Hằng", birth_date=date(1985, 3, 15),
                            position="Công chức Văn hóa - Xã hội"),
              f.participant(t["commune_b"], full_name="Đặng Văn Ước", gender=Gender.MALE, birth_date=date(1979, 1, 2)),
              f.participant(t["commune"], full_name="Lò Thị Mai")]
    for person in people:
        db.session.add(Enrolment(course=course, participant=person))
    db.session.flush()
    for person, attended in zip(people, (sessions, sessions, sessions[:1]), strict=True):
        for s in attended:
            db.session.add(AttendanceRecord(course_session_id=s.id, participant_id=person.id,
                                            checked_in_at=s.starts_at, method=AttendanceMethod.QR))
    db.session.flush()
    return {"tree": t, "course": course, "sessions": sessions, "people": people}
