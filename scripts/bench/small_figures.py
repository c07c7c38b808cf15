"""Two figures on a scratch SQLite database: the bytes of the trainee check-in page (goal: under
30 KB in all, the page having no sub-resources) and the seconds to import a 5,000-row participant
workbook, dry run and real (goal: seconds, not minutes).

Usage: python scripts/bench/small_figures.py
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ROWS = 5000


def _workbook(commune: str) -> bytes:
    from openpyxl import Workbook

    from trainer.curricula.models import TARGET_GROUP_LABELS
    from trainer.participants.excel.columns import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in COLUMNS])
    label = TARGET_GROUP_LABELS["commune_culture_officer"]
    for i in range(ROWS):
        values = {"full_name": f"Nguyễn Thị Hằng {i}", "gender": "Nữ" if i % 2 else "Nam",
                  "birth_date": f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1970 + i % 30}", "ethnicity": "Kinh",
                  "phone": f"0966{i:06d}", "email": "", "unit": commune, "position": "Công chức",
                  "target_group": label}
        sheet.append([values[c.key] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    """Measure both figures and print them; non-zero when a goal is missed."""
    scratch = tempfile.mkdtemp()
    url = f"sqlite:///{scratch}/figures.db"
    env = {**os.environ, "TRAINER_SQLALCHEMY_DATABASE_URI": url, "TRAINER_CONFIG": "testing"}
    for command in (("db", "upgrade"), ("seed",)):
        subprocess.run([sys.executable, "-m", "flask", "--app", "trainer", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    os.environ.update(env)
    from config import TestingConfig
    from trainer import create_app
    from trainer.accounts.models import Role
    from trainer.accounts.services import create_user
    from trainer.attendance.tokens import make_token
    from trainer.core.db import utcnow
    from trainer.courses.models import Course, CourseStatus
    from trainer.curricula.models import Curriculum
    from trainer.extensions import db
    from trainer.participants.services import import_participants
    from trainer.schedule.models import CourseSession
    from trainer.units.services import get_unit

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    ok = True
    with app.app_context():
        district = get_unit("216")
        actor = create_user("bench@example.com", Role.ORGANIZER, unit=district, password="figures scratch account")  # noqa: S106 - a scratch database
        curriculum = db.session.scalar(db.select(Curriculum).where(Curriculum.code == "CT1"))
        today = date.today()
        course = Course(title="Lớp bồi dưỡng thông tin cơ sở cho công chức văn hóa - xã hội cấp xã năm 2026",
                        curriculum=curriculum, unit=district, unit_name=district.name, venue="Hội trường UBND huyện",
                        start_date=today, end_date=today + timedelta(days=2), status=CourseStatus.RUNNING)
        now = utcnow()
        course_session = CourseSession(course=course, title="Ngày 1, buổi sáng", starts_at=now,
                                       ends_at=now + timedelta(hours=4), hours=4)
        db.session.add_all([course, course_session])
        db.session.commit()
        token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version, now)[1]
        client = app.test_client()
        page = client.get(f"/c/{token}")
        html = page.get_data(as_text=True)
        assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        total = len(page.data) + sum(len(client.get(a).data) for a in assets)
        print(f"check-in page bytes: {total / 1024:.1f} KB in {1 + len(assets)} request(s) "
              f"({total / (30 * 1024):.2f} of the 30 KB goal)")
        ok &= total < 30 * 1024

        data = _workbook("07306 - Thị trấn Nhã Nam")
        timings = {}
        for label, dry_run in (("dry run", True), ("real", False)):
            started = time.perf_counter()
            result = import_participants(io.BytesIO(data), actor=actor, dry_run=dry_run)
            timings[label] = time.perf_counter() - started
            if result.errors:
                print(f"excel import: {len(result.errors)} errors, first: {result.errors[0]}")
                return 2
            db.session.commit()
        for label, seconds in timings.items():
            print(f"excel import {ROWS} rows ({label}): {seconds:.1f} s ({seconds / 60:.2f} of a minute; "
                  f"goal: seconds)")
        ok &= timings["real"] < 30
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
