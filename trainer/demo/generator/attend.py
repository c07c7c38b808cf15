"""Enrolments, attendance and certificates of the synthetic courses, written course by course."""

from __future__ import annotations

import heapq
import random
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from trainer.attendance.completion import shortfall
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.certificates.models import Certificate, new_verification_code
from trainer.core.clock import local_zone
from trainer.courses.models import CourseStatus, Enrolment, EnrolmentStatus
from trainer.demo.generator.bulk import BulkWriter, Progress
from trainer.demo.generator.people import People
from trainer.demo.generator.plan import LATE_AFTER_MINUTES, CoursePlan, SessionPlan, demo_issuer
from trainer.demo.generator.world import World
from trainer.extensions import db

MAX_COURSES_PER_PERSON = 3
WITHDRAWN_SHARE = 0.02
WITHDRAW_REASONS = ("Bận công tác đột xuất.", "Nghỉ ốm.", "Chuyển công tác.", "Đã tham gia lớp tương tự.")
COMPLETION_MEAN, COMPLETION_SD, COMPLETION_RANGE = 0.86, 0.04, (0.76, 0.95)  # per course, of those enrolled
SKIP_ONE_SHARE = 0.35  # completers who still miss one session when the hours allow it
NO_SHOW_SHARE = 0.2  # of those who do not complete: never came
LATE_SHARE = 0.06
METHODS = {AttendanceMethod.QR: 80, AttendanceMethod.BADGE: 9, AttendanceMethod.MANUAL: 7, AttendanceMethod.SHEET: 4}
REVOKED_SHARE = 0.005
REVOKE_REASONS = ("Cấp nhầm do sai thông tin học viên.", "Học viên không tham dự đủ thời gian theo quy định.",
                  "Thu hồi để cấp lại do sai ngày sinh.")


class Attendance:
    """Writes what happened in each course; keeps the per-person and per-unit counters across courses."""

    def __init__(self, world: World, people: People, rng: random.Random, writer: BulkWriter, now: datetime) -> None:
        """Load the certificate register numbers already used, so demo serials continue them."""
        self.world, self.people, self.rng, self.writer, self.now = world, people, rng, writer, now
        self.enrolments = [0] * len(people.ids)
        self.busy_until = [date.min] * len(people.ids)  # last day of each one's latest course
        self.devices: dict[int, str] = {}
        self.serials: dict[tuple[int, int], int] = {
            (unit_id, year): number for unit_id, year, number in db.session.execute(
                select(Certificate.issuing_unit_id, Certificate.serial_year, func.max(Certificate.serial_number))
                .group_by(Certificate.issuing_unit_id, Certificate.serial_year))}
        self.zone = local_zone()
        methods = list(METHODS)
        self.method_table = [m for m in methods for _ in range(METHODS[m])]

    def run(self, plans: list[CoursePlan], bar: Progress) -> None:
        """Every course in chronological order (certificate numbers follow the dates)."""
        for plan in plans:
            self.course(plan)
            bar.update(1)
        self.writer.flush()

    def _select(self, plan: CoursePlan) -> list[int]:
        """Officers under the organizer, free on the course's dates: the curriculum's target groups first, then
        those trained least. Courses come in order of their start, so the latest end tells who is busy."""
        pool = self.people.pools.get(plan.organizer.id, [])
        groups, counts, busy, rng = self.people.groups, self.enrolments, self.busy_until, self.rng
        wanted, start = plan.curriculum.target_groups, plan.start_date
        eligible = [i for i in pool if counts[i] < MAX_COURSES_PER_PERSON and busy[i] < start]
        return heapq.nsmallest(plan.target, eligible, key=lambda i: (groups[i] not in wanted, counts[i], rng.random()))

    def course(self, plan: CoursePlan) -> None:
        """Enrol, record attendance and issue certificates for one course."""
        rng, zone = self.rng, self.zone
        chosen = self._select(plan)
        present: list[int] = []
        for index in chosen:
            self.enrolments[index] += 1
            self.busy_until[index] = plan.end_date
            enrolled_at = datetime.combine(plan.start_date - timedelta(days=rng.randint(3, 21)),
                                           time(rng.randint(8, 16), rng.randrange(60)), tzinfo=zone)
            withdrawn = rng.random() < WITHDRAWN_SHARE
            withdrawn_at = enrolled_at + timedelta(days=rng.randint(1, 2)) if withdrawn else None
            self.writer.add(Enrolment.__table__, {
                "course_id": plan.id, "participant_id": self.people.ids[index],
                "status": EnrolmentStatus.WITHDRAWN if withdrawn else EnrolmentStatus.ENROLLED,
                "enrolled_at": enrolled_at,
                "target_group_mismatch": self.people.groups[index] not in plan.curriculum.target_groups,
                "withdrawn_at": withdrawn_at, "withdraw_reason": rng.choice(WITHDRAW_REASONS) if withdrawn else None,
                "created_by_id": None, "created_at": enrolled_at, "updated_at": withdrawn_at or enrolled_at,
            })
            if not withdrawn:
                present.append(index)
        if plan.status is CourseStatus.CANCELLED:
            return
        held = [s for s in plan.sessions if s.ends_at <= self.now]
        if not held:
            return
        completers = self._attend(plan, present, held)
        if plan.status is CourseStatus.FINISHED and plan.issues_certificates and completers:
            self._certify(plan, completers)

    def _attended_sessions(self, plan: CoursePlan, held: list[SessionPlan], rate: float) -> list[SessionPlan]:
        """The sessions one participant came to: completers miss at most what the threshold allows."""
        rng, scheduled, threshold = self.rng, plan.scheduled_hours, plan.curriculum.threshold
        if rng.random() < rate:
            attended = list(held)
            if len(attended) > 1 and rng.random() < SKIP_ONE_SHARE:
                skipped = attended.pop(rng.randrange(len(attended)))
                if not _completes(_hours(attended), scheduled, threshold):
                    attended.append(skipped)
            return attended
        if rng.random() < NO_SHOW_SHARE:
            return []
        attended = rng.sample(held, rng.randint(1, max(1, len(held) - 1)))
        while attended and _completes(_hours(attended), scheduled, threshold):
            attended.pop()
        return attended

    def _attend(self, plan: CoursePlan, present: list[int], held: list[SessionPlan]) -> list[int]:
        """Write the attendance records of `present`; return the indexes of those who completed."""
        rng, table, methods = self.rng, AttendanceRecord.__table__, self.method_table
        rate = min(COMPLETION_RANGE[1], max(COMPLETION_RANGE[0], rng.gauss(COMPLETION_MEAN, COMPLETION_SD)))
        completers = []
        for index in present:
            pid = self.people.ids[index]
            attended = self._attended_sessions(plan, held, rate)
            for session in attended:
                # random() and a table lookup rather than randint()/choice(): a million calls each
                late = rng.random() < LATE_SHARE
                minutes = 16 + int(rng.random() * 35) if late else int(rng.random() * 38) - 25
                method = methods[int(rng.random() * len(methods))]
                device = None
                if method is AttendanceMethod.QR:
                    device = self.devices.get(pid) or self.devices.setdefault(pid, f"{rng.getrandbits(128):032x}")
                self.writer.add(table, {
                    "course_session_id": session.id, "participant_id": pid,
                    "checked_in_at": session.starts_at + timedelta(minutes=minutes), "method": method,
                    "is_late": minutes > LATE_AFTER_MINUTES, "recorded_by_id": None, "note": None, "device_id": device,
                })
            if _completes(_hours(attended), plan.scheduled_hours, plan.curriculum.threshold):
                completers.append(index)
        return completers

    def _letterhead(self, plan: CoursePlan) -> dict[str, Any]:
        """The default issuer of the course's unit on its last day, as the certificate snapshot keeps it."""
        head = demo_issuer(plan)
        return asdict(head) if head is not None else {}

    def _certify(self, plan: CoursePlan, completers: list[int]) -> None:
        """One certificate per completer, numbered in name order after the unit's last number of the year."""
        rng, people, year = self.rng, self.people, plan.end_date.year
        issued_at = datetime.combine(plan.end_date, time(16, 30), tzinfo=self.zone).astimezone(UTC)
        letterhead, hours = self._letterhead(plan), float(plan.scheduled_hours)
        curriculum = plan.curriculum
        for index in sorted(completers, key=lambda i: (people.name_keys[i], people.ids[i])):
            key = (plan.organizer.id, year)
            number = self.serials[key] = self.serials.get(key, 0) + 1
            revoked = rng.random() < REVOKED_SHARE
            name, birth, unit_name, position = people.snapshot[index]
            self.writer.add(Certificate.__table__, {
                "course_id": plan.id, "participant_id": people.ids[index], "issuing_unit_id": plan.organizer.id,
                "serial_year": year, "serial_number": number, "serial": f"{number:04d}/{year}",
                "code": new_verification_code(), "issued_on": plan.end_date, "issued_at": issued_at,
                "issued_by_id": None, "pdf_path": None, "pdf_sha256": None, "revision": 1,
                "revoked_at": issued_at + timedelta(days=rng.randint(10, 90)) if revoked else None,
                "revoked_by_id": None, "revoke_reason": rng.choice(REVOKE_REASONS) if revoked else None,
                "snapshot": {
                    "full_name": name, "birth_date": birth, "unit_name": unit_name, "position": position,
                    "course_title": plan.title, "curriculum_code": curriculum.code,
                    "curriculum_title": curriculum.title, "start_date": plan.start_date.isoformat(),
                    "end_date": plan.end_date.isoformat(), "venue": plan.venue, "hours": hours,
                    "organizer_name": plan.organizer.name, "letterhead": letterhead,
                },
            })


def _hours(sessions: list[SessionPlan]) -> Decimal:
    """Hours of the given sessions."""
    return sum((s.hours for s in sessions), Decimal(0))


def _completes(attended: Decimal, scheduled: Decimal, threshold: Decimal) -> bool:
    """Whether the attendance being planned will complete the course (the generator plans outcomes; the
    database decides them with trainer.attendance.completion, which the demo tests compare)."""
    return scheduled > 0 and shortfall(attended, scheduled, threshold) == 0
