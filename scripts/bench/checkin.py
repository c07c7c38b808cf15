"""Check-in throughput: POST /api/v1/checkin under gunicorn against a bare Flask endpoint (the floor).

Both are served by gunicorn with the same workers on 127.0.0.1 and loaded by wrk with the same
connections for the same time, in one run; the figure is the ratio. Every check-in must be
stored exactly once and no request may fail.

Usage: python scripts/bench/checkin.py --database-url URL [--workers 4] [--connections 50] [--seconds 10]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PARTICIPANTS = 2000
LUA = """
local token = "%(token)s"
local participants = %(participants)d
local threads = 0
counter = 0
id = 0
-- setup() runs in the main Lua state; thread:set() gives each thread its own `id` global.
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
request = function()
  counter = counter + 1
  local n = (counter * 7919 + id * 104729) %% participants
  local body = string.format('{"token":"%%s","phone":"0977%%06d"}', token, n)
  return wrk.format("POST", "/api/v1/checkin", {["Content-Type"] = "application/json"}, body)
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url: str) -> str:
    """Migrate an empty database, add one running session with PARTICIPANTS enrolled; return its token."""
    env = {**os.environ, "TRAINER_SQLALCHEMY_DATABASE_URI": database_url, "TRAINER_CONFIG": "development"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "trainer", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    os.environ.update(env)
    from sqlalchemy import insert, select

    from trainer import create_app
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
        today = date.today()
        course = Course(title="Lớp đo tải", curriculum=curriculum, unit=unit, unit_name=unit.name,
                        start_date=today, end_date=today + timedelta(days=1), status=CourseStatus.RUNNING)
        now = utcnow()
        course_session = CourseSession(course=course, title="Buổi đo tải", starts_at=now - timedelta(minutes=5),
                                       ends_at=now + timedelta(hours=3), hours=3)
        db.session.add_all([course, course_session])
        db.session.flush()
        db.session.execute(insert(Participant), [
            {"code": f"B{i:07d}", "full_name": f"Học viên {i}", "name_search": f"hoc vien {i}", "gender": "female",
             "phone": f"0977{i:06d}", "unit_id": unit.id, "target_group": "commune_culture_officer"}
            for i in range(PARTICIPANTS)])
        ids = db.session.scalars(select(Participant.id).where(Participant.unit_id == unit.id)).all()
        db.session.execute(insert(Enrolment), [{"course_id": course.id, "participant_id": pid} for pid in ids])
        db.session.commit()
        # Planner statistics, as a database in use has them (PostgreSQL's autovacuum would gather them
        # in a minute); without them PostgreSQL walks the course's enrolments for every check-in.
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        return make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                          utcnow())[1]


def serve(target: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn with `workers` sync workers on 127.0.0.1:port, waiting until it answers."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen([gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                                target], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # ready when every worker answers (each imports the app lazily)
        try:
            for _ in range(workers * 2):
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/checkin", data=b"{}",
                                                 headers={"Content-Type": "application/json"})
                with contextlib.suppress(urllib.error.HTTPError):  # an error answer is an answer
                    urllib.request.urlopen(request, timeout=30).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")


def load(port: int, token: str, connections: int, seconds: int, threads: int = 2) -> dict[str, float]:
    """Run wrk and read requests/s, p50/p99 latency (ms) and errors from its report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"token": token, "participants": PARTICIPANTS})
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", script.name, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    os.unlink(script.name)
    report = out.stdout

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", report, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", report)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report):
        errors += sum(int(x) for x in m.groups())
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)), "p50": ms("50"), "p99": ms("99"),
            "errors": errors, "requests": int(re.search(r"(\d+) requests in", report).group(1))}


def stored_once(database_url: str) -> tuple[int, int]:
    """(records, distinct participants) of the benchmark's attendance."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT count(*), count(DISTINCT participant_id) FROM attendance_records")).one()
    engine.dispose()
    return row[0], row[1]


def main() -> int:
    """Measure the floor and trainer in one run and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("checkin: skipped (wrk not installed: apt-get install wrk)")
        return 1
    token = prepare(args.database_url)
    env = {**os.environ, "TRAINER_SQLALCHEMY_DATABASE_URI": args.database_url, "TRAINER_CHECKIN_TOKEN_TTL": "900",
           "TRAINER_CONFIG": "development", "PYTHONPATH": str(ROOT)}
    results = {}
    for name, target in (("floor", "scripts.bench.floor_app:app"), ("trainer", "trainer:create_app()")):
        port = _free_port()
        server = serve(target, port, args.workers, env)
        try:
            load(port, token, args.connections, 2)  # warm-up
            results[name] = load(port, token, args.connections, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    floor, ours = results["floor"], results["trainer"]
    records, distinct = stored_once(args.database_url)
    ratio = ours["rps"] / floor["rps"]
    print(f"checkin floor ({args.label}): {floor['rps']:.0f} req/s (1.00 of floor)")
    print(f"checkin throughput ({args.label}): {ours['rps']:.0f} req/s ({ratio:.2f} of floor; goal >= 0.50)")
    print(f"checkin p50 ({args.label}): {ours['p50']:.1f} ms ({ours['p50'] / max(floor['p50'], 0.001):.1f}x floor)")
    print(f"checkin p99 ({args.label}): {ours['p99']:.1f} ms ({ours['p99'] / max(floor['p99'], 0.001):.1f}x floor; "
          f"goal < 100 ms)")
    print(f"checkin errors ({args.label}): {ours['errors']} of {ours['requests']} requests (goal 0)")
    print(f"checkin stored once ({args.label}): {records} records for {distinct} participants "
          f"({'ok' if records == distinct else 'DUPLICATES'})")
    ok = ratio >= 0.5 and ours["p99"] < 100 and ours["errors"] == 0 and records == distinct
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
