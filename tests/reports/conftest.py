"""A small hand-made dataset for the indicator reports, with every figure derivable by hand.

Units (f.tree()): Tỉnh Bắc Giang (24) › Huyện Tân Yên (216) › Thị trấn Nhã Nam (07306), Xã Cao Xá (07309);
Huyện Yên Thế (217) › Thị trấn Bố Hạ (07210). Also Hà Nội (01 › 001 › 00001) and the 2025 scheme's
Bắc Ninh (24 › 07306), which must never leak into Bắc Giang's figures.

Curricula: CT1 and CT2, threshold 0.8.
Courses (hours of their sessions):
  K1  CT1, by Tân Yên (216), starts 2024-03-10, sessions 4 + 4 + 2 = 10 h, needs 8 h
  K2  CT2, by the province (24), starts 2024-09-15, sessions 4 + 4 = 8 h, own threshold 0.5: needs 4 h
  K3  CT1, by Yên Thế (217), starts 2024-05-20, CANCELLED (4 h session, attended): never counts
  K4  CT2, by Yên Thế (217), starts 2023-11-01, one 4 h session: only in the all-years report
  K5  CT1, by Yên Thế (217), starts 2024-11-05, no session: nobody can complete it
  KH  CT1, by Ba Đình (Hà Nội), starts 2024-04-01, one 4 h session
Participants (commune, gender, ethnic minority, target group) and what they did:
  P1 Hằng  Nhã Nam F  no  commune_culture_officer  K1 10 h ✓ (certificate valid), K2 8 h ✓
  P2 Ước   Nhã Nam M  yes party_info_staff         K1 8 h ✓ (exactly 80 %)
  P3 Mai   Cao Xá  F  yes mass_org_staff           K1 6 h ✗, K2 4 h ✓ (exactly 50 %)
  P4 Nam   Cao Xá  M  no  commune_culture_officer  K1 10 h ✓ but certificate REVOKED
  P5 Lan   Bố Hạ   F  no  commune_culture_officer  K2 8 h ✓ (a province course trains a Yên Thế officer),
                                                    K3 4 h (cancelled)
  P6 Tùng  Bố Hạ   M  yes other                    K3 4 h (cancelled), K4 4 h ✓ (2023), K5 enrolled
  P7 Hoa   Nhã Nam F  no  commune_culture_officer  K1 WITHDRAWN before the start
  P8 Đức   Bố Hạ   M  no  info_manager             K2 enrolled, never came (a no-show: enrolled, no turn)
  PH Hà    Phúc Xá F  no  commune_culture_officer  KH 4 h ✓ (Hà Nội)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.factories import Factories
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.certificates.models import Certificate
from trainer.core.db import utcnow
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Gender, Participant
from trainer.schedule.models import CourseSession

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def add_session(course: Course, day: date, hours: str | int, *, hour: int = 8) -> CourseSession:
    """A session of `course` on `day` lasting `hours` (its stored hours are exactly that)."""
    starts_at = datetime.combine(day, time(hour), VN)
    length = Decimal(str(hours))
    course_session = CourseSession(course=course, title=f"Buổi {day:%d/%m} {hour}h", starts_at=starts_at,
                                   ends_at=starts_at + timedelta(minutes=int(length * 60)), hours=length)
    db.session.add(course_session)
    db.session.flush()
    return course_session


def attend(participant: Participant, *sessions: CourseSession) -> None:
    """Attendance records of `participant` at `sessions`."""
    for course_session in sessions:
        db.session.add(AttendanceRecord(course_session=course_session, participant=participant,
                                        method=AttendanceMethod.MANUAL))
    db.session.flush()


def enrol(course: Course, *people: Participant, status: EnrolmentStatus = EnrolmentStatus.ENROLLED) -> None:
    """Enrol `people` in `course`."""
    for person in people:
        db.session.add(Enrolment(course=course, participant=person, status=status))
    db.session.flush()


_serials = iter(range(1, 10_000))


def certify(course: Course, participant: Participant, *, revoked: bool = False) -> Certificate:
    """A certificate of `participant` for `course`, revoked or not."""
    number = next(_serials)
    certificate = Certificate(course=course, participant=participant, issuing_unit=course.unit,
                              serial_year=course.start_date.year, serial_number=number,
                              serial=f"{number:04d}/{course.start_date.year}/GCN", issued_on=course.end_date,
                              revoked_at=utcnow() if revoked else None)
    db.session.add(certificate)
    db.session.flush()
    return certificate


@dataclass
class Dataset:
    """The objects of the hand-made dataset, by name."""

    t: dict[str, Any]
    courses: dict[str, Course]
    people: dict[str, Participant]


@pytest.fixture
def data(f: Factories) -> Dataset:
    """The dataset described in this module's docstring."""
    t = f.tree()
    ct1, ct2 = f.curriculum("CT1"), f.curriculum("CT2")
    k1 = f.course(t["district"], ct1, start_date=date(2024, 3, 10), end_date=date(2024, 3, 11),
                  status=CourseStatus.FINISHED)
    k2 = f.course(t["province"], ct2, start_date=date(2024, 9, 15), end_date=date(2024, 9, 15),
                  status=CourseStatus.FINISHED, completion_threshold=Decimal("0.5"))
    k3 = f.course(t["district2"], ct1, start_date=date(2024, 5, 20), end_date=date(2024, 5, 20),
                  status=CourseStatus.CANCELLED)
    k4 = f.course(t["district2"], ct2, start_date=date(2023, 11, 1), end_date=date(2023, 11, 1),
                  status=CourseStatus.FINISHED)
    k5 = f.course(t["district2"], ct1, start_date=date(2024, 11, 5), end_date=date(2024, 11, 6))
    kh = f.course(t["hanoi_district"], ct1, start_date=date(2024, 4, 1), end_date=date(2024, 4, 1),
                  status=CourseStatus.FINISHED)
    person = f.participant
    p = {
        "P1": person(t["commune"], full_name="Nguyễn Thị Hằng", birth_date=date(1990, 5, 1)),
        "P2": person(t["commune"], full_name="Đặng Văn Ước", gender=Gender.MALE, ethnic_minority=True,
                     target_group="party_info_staff", birth_date=date(1985, 2, 3)),
        "P3": person(t["commune_b"], full_name="Lò Thị Mai", ethnic_minority=True, target_group="mass_org_staff"),
        "P4": person(t["commune_b"], full_name="Trần Văn Nam", gender=Gender.MALE),
        "P5": person(t["commune2"], full_name="Phạm Thị Lan", birth_date=date(1995, 12, 31)),
        "P6": person(t["commune2"], full_name="Hoàng Văn Tùng", gender=Gender.MALE, ethnic_minority=True,
                     target_group="other"),
        "P7": person(t["commune"], full_name="Vũ Thị Hoa"),
        "P8": person(t["commune2"], full_name="Lê Văn Đức", gender=Gender.MALE, target_group="info_manager"),
        "PH": person(t["hanoi_commune"], full_name="Nguyễn Thu Hà"),
    }
    k1_s = [add_session(k1, date(2024, 3, 10), 4), add_session(k1, date(2024, 3, 10), 4, hour=13),
            add_session(k1, date(2024, 3, 11), 2)]
    k2_s = [add_session(k2, date(2024, 9, 15), 4), add_session(k2, date(2024, 9, 15), 4, hour=13)]
    k3_s = add_session(k3, date(2024, 5, 20), 4)
    k4_s = add_session(k4, date(2023, 11, 1), 4)
    kh_s = add_session(kh, date(2024, 4, 1), 4)
    enrol(k1, p["P1"], p["P2"], p["P3"], p["P4"])
    enrol(k1, p["P7"], status=EnrolmentStatus.WITHDRAWN)
    enrol(k2, p["P1"], p["P3"], p["P5"], p["P8"])
    enrol(k3, p["P5"], p["P6"])
    enrol(k4, p["P6"])
    enrol(k5, p["P6"])
    enrol(kh, p["PH"])
    attend(p["P1"], *k1_s, *k2_s)
    attend(p["P2"], k1_s[0], k1_s[1])
    attend(p["P3"], k1_s[0], k1_s[2], k2_s[0])
    attend(p["P4"], *k1_s)
    attend(p["P5"], *k2_s, k3_s)
    attend(p["P6"], k3_s, k4_s)
    attend(p["PH"], kh_s)
    certify(k1, p["P1"])
    certify(k1, p["P4"], revoked=True)
    return Dataset(t=t, courses={"K1": k1, "K2": k2, "K3": k3, "K4": k4, "K5": k5, "KH": kh}, people=p)
