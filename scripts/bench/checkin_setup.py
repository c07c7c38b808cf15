"""The check-in benchmark's database: running courses of CLASS_SIZE people, each with one open session per scenario.

Participant `i` has the phone `0977` + six digits of `i`, the personal code `B` + seven digits of `i` and the
name `Học viên i`, and is enrolled in course `i // CLASS_SIZE`, so that a load generator can name people by
number, find the QR token of their class and read back whom a page confirmed. Classes are of a real size
(a session's records, a course's enrolments), as in a country where many halls check in at once. Every
scenario has sessions of its own, so that each stores first check-ins only (a phone number is used once
per scenario) and its records can be counted apart.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run from scripts/bench
    sys.path.insert(0, str(ROOT))
PARTICIPANTS = 60000  # enough for every round of every scenario (each person once per scenario)
CLASS_SIZE = 200  # people enrolled in one course
COURSES = PARTICIPANTS // CLASS_SIZE
HISTORY_COURSES = 100  # courses whose earlier session has everybody's record (20,000 records)
SCENARIOS = ("trainee", "killed", "api", "badge", "projector")
ADMIN_EMAIL = "bench-organizer@example.com"
ADMIN_PASSWORD = "scratch database, not a secret"  # noqa: S105 - a scratch database only


def phone(number: int) -> str:
    """The phone of participant `number`."""
    return f"0977{number:06d}"


def participant_code(number: int) -> str:
    """The personal code (badge) of participant `number`."""
    return f"B{number:07d}"


@dataclass(frozen=True)
class BenchData:
    """What the load needs: per scenario the session ids and QR tokens of its classes (course `c`'s at
    index `c`); the organizer's API token."""

    session_ids: dict[str, list[int]]
    tokens: dict[str, list[str]]
    api_token: str

    def targets(self, scenario: str, kind: str, path: Path) -> Path:
        """Write a scenario's tokens (`kind` "tokens") or session ids ("ids"), one line per class, for the
        wrk scripts; return the file."""
        values = self.tokens[scenario] if kind == "tokens" else self.session_ids[scenario]
        path.write_text("".join(f"{value}\n" for value in values))
        return path


def server_env(database_url: str) -> dict[str, str]:
    """The environment trainer runs in for the benchmark (tokens valid for the whole run)."""
    return {**os.environ, "TRAINER_SQLALCHEMY_DATABASE_URI": database_url, "TRAINER_CONFIG": "development",
            "TRAINER_SECRET_KEY": "bench-secret-key", "TRAINER_CHECKIN_TOKEN_TTL": "1800",
            "PYTHONPATH": str(ROOT)}


def prepare(database_url: str) -> BenchData:
    """Migrate an empty database; add COURSES running courses of CLASS_SIZE people with one open session per
    scenario, earlier sessions with everybody's record in HISTORY_COURSES of them, and an admin with an API
    token."""
    env = server_env(database_url)
    subprocess.run([sys.executable, "-m", "flask", "--app", "trainer", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    os.environ.update(env)
    from sqlalchemy import insert, select

    from trainer import create_app
    from trainer.accounts.models import Role
    from trainer.accounts.services import create_user, issue_api_token
    from trainer.attendance.models import AttendanceMethod, AttendanceRecord
    from trainer.attendance.tokens import make_token
    from trainer.core.db import utcnow
    from trainer.core.text import fold
    from trainer.courses.models import Course, CourseStatus, Enrolment
    from trainer.curricula.models import Curriculum
    from trainer.extensions import db
    from trainer.participants.models import Participant
    from trainer.schedule.models import CourseSession
    from trainer.units.models import Unit, UnitLevel

    app = create_app()
    with app.app_context():
        unit = Unit(scheme="2024", code="99999", name="Xã Thử Nghiệm", name_search=fold("Xã Thử Nghiệm"),
                    level=UnitLevel.COMMUNE, kind="xa", path="2024/99999/")
        curriculum = Curriculum(code="BENCH", title="Chương trình thử", target_groups=[], confirmed={})
        db.session.add_all([unit, curriculum])
        db.session.flush()
        today, now = date.today(), utcnow()
        courses = [Course(title=f"Lớp đo tải {c}", curriculum=curriculum, unit=unit, unit_name=unit.name,
                          start_date=today, end_date=today + timedelta(days=1), status=CourseStatus.RUNNING)
                   for c in range(COURSES)]
        db.session.add_all(courses)
        db.session.flush()
        starts, ends = now - timedelta(minutes=5), now + timedelta(hours=3)
        sessions = {name: [CourseSession(course=course, title=f"Buổi đo tải: {name}", starts_at=starts,
                                         ends_at=ends, hours=3) for course in courses] for name in SCENARIOS}
        earlier = [CourseSession(course=course, title="Buổi hôm qua", starts_at=now - timedelta(days=1),
                                 ends_at=now - timedelta(days=1) + timedelta(hours=3), hours=3)
                   for course in courses[:HISTORY_COURSES]]
        db.session.add_all([s for group in sessions.values() for s in group] + earlier)
        db.session.flush()
        db.session.execute(insert(Participant), [
            {"code": participant_code(i), "full_name": f"Học viên {i}", "name_search": f"hoc vien {i}",
             "gender": "female", "phone": phone(i), "unit_id": unit.id, "target_group": "commune_culture_officer"}
            for i in range(PARTICIPANTS)])
        ids = db.session.scalars(select(Participant.id).where(Participant.unit_id == unit.id)
                                 .order_by(Participant.id)).all()
        db.session.execute(insert(Enrolment), [{"course_id": courses[i // CLASS_SIZE].id, "participant_id": pid}
                                               for i, pid in enumerate(ids)])
        # A database in use has attendance already: planned on an empty table, PostgreSQL keeps plans that
        # read all of it in every check-in.
        db.session.execute(insert(AttendanceRecord), [
            {"course_session_id": earlier[i // CLASS_SIZE].id, "participant_id": pid,
             "checked_in_at": earlier[0].starts_at, "method": AttendanceMethod.MANUAL, "is_late": False}
            for i, pid in enumerate(ids[:HISTORY_COURSES * CLASS_SIZE])])
        admin = create_user(ADMIN_EMAIL, Role.ADMIN, unit=None, password=ADMIN_PASSWORD, full_name="Bench")
        api_token = issue_api_token(admin, name="bench")
        db.session.commit()
        # Planner statistics, as a database in use has them (PostgreSQL's autovacuum would gather them
        # in a minute).
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        tokens = {name: [make_token(s.id, s.checkin_secret, s.checkin_version, utcnow())[1] for s in group]
                  for name, group in sessions.items()}
        data = BenchData({name: [s.id for s in group] for name, group in sessions.items()}, tokens, api_token)
        db.session.remove()
        db.engine.dispose()
    return data


def stored(database_url: str, session_ids: list[int]) -> dict[int, int]:
    """Records of a scenario's sessions: participant number (from their phone) -> how many they have."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.phone, count(*) FROM attendance_records r JOIN participants p ON p.id = r.participant_id "
            "WHERE r.course_session_id IN :sids GROUP BY p.phone").bindparams(bindparam("sids", expanding=True)),
            {"sids": session_ids}).all()
    engine.dispose()
    return {int(row[0][4:]): row[1] for row in rows}
