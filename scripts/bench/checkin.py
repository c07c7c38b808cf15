"""Check-in throughput: POST /api/v1/checkin under gunicorn against a bare Flask endpoint (the floor).

Both are served by gunicorn with the same workers on 127.0.0.1 and loaded by wrk with the same
connections, in one run: in alternating rounds (floor, trainer, floor, trainer…) so that a slow
spell of this shared machine falls on both. The figure is the median of the rounds' ratios; p99
is the worst round's. Every check-in must be stored exactly once and no request may fail.

Usage: python scripts/bench/checkin.py --database-url URL [--workers 4] [--connections 50]
       [--rounds 4] [--seconds 4]   (seconds per round and server)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
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

PARTICIPANTS = 2000  # the repeated taps' people: after the warm-up every request is a repeat
FIRST_PARTICIPANTS = 60000  # people who have not checked in yet: every request stores a record
HISTORY = 20000  # attendance records of an earlier session, present before the benchmark starts
THREADS = 2
ROUND_BUDGET = 15000  # fresh people per round of first check-ins (4 s at 3,750 req/s)
_HEAD = """
local token = "%(token)s"
local threads = 0
counter = 0
id = 0
-- setup() runs in the main Lua state; thread:set() gives each thread its own `id` global.
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
"""
# Repeated taps: the same 2,000 people over and over, in a scattered order.
REPEAT_LUA = _HEAD + """
request = function()
  counter = counter + 1
  local n = (counter * 7919 + id * 104729) %% %(participants)d
  local body = string.format('{"token":"%%s","phone":"0977%%06d"}', token, n)
  return wrk.format("POST", "/api/v1/checkin", {["Content-Type"] = "application/json"}, body)
end
"""
# First check-ins: each request a person not seen before (from `base` on, the threads interleaved).
FIRST_LUA = _HEAD + """
request = function()
  counter = counter + 1
  local n = %(base)d + (counter - 1) * %(threads)d + (id - 1)
  local body = string.format('{"token":"%%s","phone":"0977%%06d"}', token, n)
  return wrk.format("POST", "/api/v1/checkin", {["Content-Type"] = "application/json"}, body)
end
"""

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url: str) -> tuple[str, ...]:
    """Migrate an empty database and add a running course with PARTICIPANTS + FIRST_PARTICIPANTS enrolled
    and two sessions: one for the repeated taps, one for the first check-ins. Return their tokens."""
    env = {**os.environ, "TRAINER_SQLALCHEMY_DATABASE_URI": database_url, "TRAINER_CONFIG": "development"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "trainer", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    os.environ.update(env)
    from sqlalchemy import insert, select

    from trainer import create_app
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
        today = date.today()
        course = Course(title="Lớp đo tải", curriculum=curriculum, unit=unit, unit_name=unit.name,
                        start_date=today, end_date=today + timedelta(days=1), status=CourseStatus.RUNNING)
        now = utcnow()
        sessions = [CourseSession(course=course, title=title, starts_at=now - timedelta(minutes=5),
                                  ends_at=now + timedelta(hours=3), hours=3)
                    for title in ("Buổi đo tải: điểm danh lại", "Buổi đo tải: điểm danh lần đầu")]
        yesterday = CourseSession(course=course, title="Buổi hôm qua", starts_at=now - timedelta(days=1),
                                  ends_at=now - timedelta(days=1) + timedelta(hours=3), hours=3)
        db.session.add_all([course, *sessions, yesterday])
        db.session.flush()
        db.session.execute(insert(Participant), [
            {"code": f"B{i:07d}", "full_name": f"Học viên {i}", "name_search": f"hoc vien {i}", "gender": "female",
             "phone": f"0977{i:06d}", "unit_id": unit.id, "target_group": "commune_culture_officer"}
            for i in range(PARTICIPANTS + FIRST_PARTICIPANTS)])
        ids = db.session.scalars(select(Participant.id).where(Participant.unit_id == unit.id)).all()
        db.session.execute(insert(Enrolment), [{"course_id": course.id, "participant_id": pid} for pid in ids])
        # A database in use has attendance already (here yesterday's session): planned on an empty
        # table, PostgreSQL keeps plans that read all of it in every check-in's trigger.
        db.session.execute(insert(AttendanceRecord), [
            {"course_session_id": yesterday.id, "participant_id": pid, "checked_in_at": yesterday.starts_at,
             "method": AttendanceMethod.MANUAL, "is_late": False} for pid in ids[:HISTORY]])
        db.session.commit()
        # Planner statistics, as a database in use has them (PostgreSQL's autovacuum would gather them
        # in a minute); without them PostgreSQL walks the course's enrolments for every check-in.
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        return tuple(make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                                utcnow())[1] for course_session in sessions)


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


def load(port: int, script: str, connections: int, seconds: int) -> dict[str, float]:
    """Run wrk with this Lua script and read requests/s, p50/p99 latency (ms) and errors from its report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    out = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", lua.name, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    os.unlink(lua.name)
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


def stored_once(database_url: str) -> dict[int, tuple[int, int]]:
    """Per session: (records, distinct participants) of the benchmark's attendance."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT course_session_id, count(*), count(DISTINCT participant_id) "
                                 "FROM attendance_records GROUP BY course_session_id")).all()
    engine.dispose()
    return {row[0]: (row[1], row[2]) for row in rows}


def _figures(label: str, name: str, floor: list[dict[str, float]], ours: list[dict[str, float]]) -> bool:
    """Print one scenario's throughput, latency and errors against the floor's rounds; True when its goals
    are met (at least half the floor's rate, median of the rounds; p99 of the worst round under 100 ms)."""
    ratios = sorted(t["rps"] / f["rps"] for f, t in zip(floor, ours, strict=True))
    ratio = statistics.median(ratios)
    rps, p50, p99 = (statistics.median(r["rps"] for r in ours), statistics.median(r["p50"] for r in ours),
                     max(r["p99"] for r in ours))
    floor_p50, floor_p99 = statistics.median(r["p50"] for r in floor), max(r["p99"] for r in floor)
    errors, requests = sum(r["errors"] for r in ours), sum(r["requests"] for r in ours)
    print(f"checkin {name} ({label}): {rps:.0f} req/s ({ratio:.2f} of floor, median of {len(ratios)} rounds "
          f"{ratios[0]:.2f}-{ratios[-1]:.2f}; goal >= 0.50)")
    print(f"checkin {name} p50 ({label}): {p50:.1f} ms ({p50 / max(floor_p50, 0.001):.1f}x floor)")
    print(f"checkin {name} p99 ({label}): {p99:.1f} ms ({p99 / max(floor_p99, 0.001):.1f}x floor, worst round; "
          f"goal < 100 ms)")
    print(f"checkin {name} errors ({label}): {errors} of {requests} requests (goal 0)")
    return ratio >= 0.5 and p99 < 100 and errors == 0


def main() -> int:
    """Measure the floor and trainer in alternating rounds of one run and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=4)
    args = parser.parse_args()
    if args.rounds * ROUND_BUDGET > FIRST_PARTICIPANTS:
        parser.error(f"at most {FIRST_PARTICIPANTS // ROUND_BUDGET} rounds: each takes {ROUND_BUDGET} new people")
    if not shutil.which("wrk"):
        print("checkin: skipped (wrk not installed: apt-get install wrk)")
        return 1
    repeat_token, first_token = prepare(args.database_url)
    repeat = REPEAT_LUA % {"token": repeat_token, "participants": PARTICIPANTS}
    env = {**os.environ, "TRAINER_SQLALCHEMY_DATABASE_URI": args.database_url, "TRAINER_CHECKIN_TOKEN_TTL": "900",
           "TRAINER_CONFIG": "development", "PYTHONPATH": str(ROOT)}
    servers: dict[str, tuple[int, subprocess.Popen]] = {}
    rounds: dict[str, list[dict[str, float]]] = {"floor": [], "repeat": [], "first": []}
    try:
        for name, target in (("floor", "scripts.bench.floor_app:app"), ("trainer", "trainer:create_app()")):
            port = _free_port()
            servers[name] = (port, serve(target, port, args.workers, env))
        floor_port, trainer_port = servers["floor"][0], servers["trainer"][0]
        for port in (floor_port, trainer_port):
            load(port, repeat, args.connections, 2)  # warm-up; the repeat session's people are checked in
        for number in range(args.rounds):
            first = FIRST_LUA % {"token": first_token, "threads": THREADS,
                                 "base": PARTICIPANTS + number * ROUND_BUDGET}
            rounds["floor"].append(load(floor_port, repeat, args.connections, args.seconds))
            rounds["repeat"].append(load(trainer_port, repeat, args.connections, args.seconds))
            rounds["first"].append(load(trainer_port, first, args.connections, args.seconds))
    finally:
        for _, server in servers.values():
            server.terminate()
            server.wait(timeout=30)
    print(f"checkin floor ({args.label}): {statistics.median(r['rps'] for r in rounds['floor']):.0f} req/s "
          f"(1.00 of floor)")
    ok = _figures(args.label, "first check-ins", rounds["floor"], rounds["first"])
    ok = _figures(args.label, "repeated taps", rounds["floor"], rounds["repeat"]) and ok
    (repeat_records, repeat_people), (first_records, first_people), _ = (
        counts for _, counts in sorted(stored_once(args.database_url).items()))
    once = repeat_records == repeat_people and first_records == first_people
    first_requests = sum(r["requests"] for r in rounds["first"])
    print(f"checkin stored once ({args.label}): {repeat_records + first_records} records for "
          f"{repeat_people + first_people} participants ({'ok' if once else 'DUPLICATES'}); "
          f"the first check-ins' session holds {first_records} for {first_requests} answered requests "
          f"(wrk stops with some in flight)")
    ok = ok and once
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
