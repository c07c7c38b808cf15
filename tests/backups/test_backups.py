"""`flask backup -o FILE` and `flask restore FILE --yes` (trainer.backups) on the engine under test:
a round trip changes nothing (every row of every table, the triggers, the sequences), a backup taken
while another connection writes is one consistent moment, and a wrong file is refused clearly."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, inspect, select, text, update

from tests.certificates.conftest import finished  # noqa: F401 - the fixture, shared
from tests.factories import Factories
from trainer.accounts.services import issue_api_token
from trainer.attendance.hours import TRIGGER_NAMES
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.audit.services import record_audit
from trainer.certificates.services import issue_certificates
from trainer.courses.models import Course, Enrolment
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit


def _rows() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, read on a fresh connection."""
    with db.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(
            select(table).order_by(*table.primary_key.columns))] for table in db.metadata.sorted_tables}


def _triggers() -> list[str]:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return sorted(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        return sorted(conn.execute(text(
            "SELECT t.tgname FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace")).scalars())


def _hours(participant_id: int, course_id: int) -> float:
    return float(db.session.execute(select(Enrolment.attended_hours).where(
        Enrolment.participant_id == participant_id, Enrolment.course_id == course_id)).scalar_one())


@pytest.fixture
def filled(finished, f: Factories):  # noqa: F811
    """A finished course with attendance (trigger-kept hours), certificates, a token and audit entries."""
    organizer = f.user("organizer", finished["tree"]["district"])
    issue_api_token(organizer, name="cổng tỉnh")
    issued = issue_certificates(finished["course"], actor=organizer)
    assert len(issued.issued) == 2
    record_audit(organizer, "course.update", finished["course"], field="venue")
    db.session.commit()
    assert _hours(finished["people"][0].id, finished["course"].id) == 12
    return {**finished, "organizer": organizer}


def _backup(runner, path: Path):
    result = runner.invoke(args=["backup", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return result


def _restore(runner, path: Path):
    db.session.remove()
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    return result


def test_a_round_trip_changes_nothing(runner, filled, tmp_path):
    before, triggers = _rows(), _triggers()
    assert all(before[name] for name in ("units", "users", "participants", "courses", "course_sessions", "enrolments",
                                         "attendance_records", "certificates", "api_tokens", "audit_log"))
    backup = tmp_path / "trainer.bak"
    assert "Đã sao lưu cơ sở dữ liệu" in _backup(runner, backup).output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # personal data: the owner's only
    if db.engine.dialect.name == "sqlite":  # one self-contained file that sqlite3 opens as it is
        with sqlite3.connect(backup) as copy:
            assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            assert copy.execute("SELECT count(*) FROM participants").fetchone()[0] == len(before["participants"])
        copy.close()
        assert not Path(f"{backup}-wal").exists()

    hang, uoc = filled["people"][:2]
    commune_id, course_id, session_id = filled["tree"]["commune"].id, filled["course"].id, filled["sessions"][0].id
    db.session.execute(delete(AttendanceRecord).where(AttendanceRecord.participant_id == hang.id))
    db.session.execute(update(Participant).where(Participant.id == uoc.id).values(full_name="Đặng Văn Ước Sửa"))
    extra_id = Factories().participant(filled["tree"]["commune"], full_name="Người thêm sau sao lưu").id
    db.session.commit()
    assert _hours(hang.id, course_id) == 0
    assert _rows() != before

    assert "Đã khôi phục" in _restore(runner, backup).output
    assert _rows() == before
    assert _triggers() == triggers and set(triggers) == TRIGGER_NAMES

    # Sequences and triggers came back: new rows take new ids, and attendance still moves the hours.
    late = Factories().participant(db.session.get(Unit, commune_id), full_name="Người ghi danh sau khôi phục")
    assert late.id > max(row[0] for row in before["participants"])
    assert late.id == extra_id  # the number the backup's sequence gives next, on both engines
    session = db.session.get(CourseSession, session_id)
    db.session.add(Enrolment(course_id=course_id, participant_id=late.id))
    db.session.flush()
    db.session.add(AttendanceRecord(course_session_id=session.id, participant_id=late.id,
                                    checked_in_at=session.starts_at, method=AttendanceMethod.QR))
    db.session.commit()
    assert _hours(late.id, course_id) == 4


def test_tables_made_after_the_backup_do_not_survive_a_restore(runner, filled, tmp_path):
    backup = tmp_path / "trainer.bak"
    _backup(runner, backup)
    with db.engine.begin() as conn:  # as a later migration would
        conn.execute(text("CREATE TABLE later_things (id INTEGER PRIMARY KEY, unit_id INTEGER REFERENCES units (id))"))
    _restore(runner, backup)
    with db.engine.connect() as conn:
        assert not inspect(conn).has_table("later_things")
        assert inspect(conn).has_table("units")


def test_the_live_database_file_is_neither_target_nor_source(runner, filled):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: a PostgreSQL database is no file")
    live = Path(db.engine.url.database)
    before = _rows()
    for args in (["backup", "-o", str(live)], ["restore", str(live), "--yes"]):
        db.session.remove()
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and "chính tệp cơ sở dữ liệu đang dùng" in result.output
    assert _rows() == before


def test_restore_refuses_without_yes(runner, filled, tmp_path):
    backup = tmp_path / "trainer.bak"
    _backup(runner, backup)
    db.session.execute(update(Course).values(title="Đổi sau sao lưu"))
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["restore", str(backup)])
    assert result.exit_code != 0 and "--yes" in result.output
    assert db.session.scalar(select(Course.title)) == "Đổi sau sao lưu"


def test_a_directory_gets_a_dated_backup(runner, filled, tmp_path, clock_at):
    clock_at.set(datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    _backup(runner, tmp_path)
    suffix = "db" if db.engine.dialect.name == "sqlite" else "dump"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("trainer-")] == [
        f"trainer-20260302-003000.{suffix}"]  # local time, Asia/Ho_Chi_Minh


def test_a_file_that_is_no_backup_is_refused(runner, filled, tmp_path):
    before = _rows()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("không phải bản sao lưu")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    conn.close()
    archive = tmp_path / "other.dump"
    archive.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    sqlite_app = db.engine.dialect.name == "sqlite"
    expected = {
        text_file: "không phải bản sao lưu của trainer",
        other: "không phải bản sao lưu của trainer (thiếu bảng courses, participants, units, users)" if sqlite_app
        else "là bản sao lưu SQLite, còn ứng dụng đang dùng PostgreSQL",
        archive: "là bản sao lưu PostgreSQL (pg_dump), còn ứng dụng đang dùng SQLite" if sqlite_app
        else "không đọc được",
        tmp_path / "missing.bak": "Không có tệp",
    }
    for path, message in expected.items():
        db.session.remove()
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code == 1 and message in result.output, (path, result.output)
    assert _rows() == before


def _write_batches(engine, stop: threading.Event, commits: list[int], course_id: int, sessions: list[int],
                   people: list[int], group: int) -> None:
    """Another connection: attendance of one person for `group` sessions per transaction, with the
    number of batches written so far in the course's description (the same transaction)."""
    batches = [(p, sessions[i:i + group]) for p in people for i in range(0, len(sessions), group)]
    at = datetime(2024, 10, 1, 1, 0, tzinfo=UTC)
    with engine.connect() as conn:
        while not stop.is_set():
            for done, (person, chunk) in enumerate(batches, start=1):
                with conn.begin():
                    conn.execute(insert(AttendanceRecord), [
                        {"course_session_id": s, "participant_id": person, "checked_in_at": at,
                         "method": AttendanceMethod.QR} for s in chunk])
                    conn.execute(update(Course).where(Course.id == course_id).values(description=str(done)))
                commits[0] += 1
                if stop.is_set():
                    return
            with conn.begin():
                conn.execute(delete(AttendanceRecord))
                conn.execute(update(Course).where(Course.id == course_id).values(description="0"))
            commits[0] += 1


def test_a_backup_taken_while_another_connection_writes_is_one_moment(runner, app, f: Factories, tmp_path):
    t = f.tree()
    course = f.course(t["district"], description="0")
    start = datetime(2024, 10, 1, 1, 0, tzinfo=UTC)
    sessions = [CourseSession(course=course, title=f"Buổi {i}", starts_at=start + timedelta(hours=4 * i),
                              ends_at=start + timedelta(hours=4 * i + 2), hours=2) for i in range(6)]
    db.session.add_all(sessions)
    people = [f.participant(t["commune"], full_name=f"Học viên {i}") for i in range(10)]
    db.session.add_all(Enrolment(course=course, participant=p) for p in people)
    db.session.commit()
    group, session_ids, people_ids = 3, [s.id for s in sessions], [p.id for p in people]

    stop, commits = threading.Event(), [0]
    writer = threading.Thread(target=_write_batches,
                              args=(db.engine, stop, commits, course.id, session_ids, people_ids, group))
    writer.start()
    try:
        while commits[0] < 5:  # the writer is under way
            stop.wait(0.01)
        for attempt in range(100):
            backup = tmp_path / f"during-{attempt}.bak"
            before = commits[0]
            _backup(runner, backup)
            if commits[0] > before + 1:  # the writer committed while this backup ran
                break
        else:
            pytest.fail("no backup overlapped the writer's commits")
    finally:
        stop.set()
        writer.join(timeout=30)

    _restore(runner, backup)
    with db.engine.connect() as conn:
        batches = int(conn.execute(select(Course.description).where(Course.id == course.id)).scalar_one())
        per_batch = conn.execute(text(
            "SELECT a.participant_id, (s.id - :first) / :group AS chunk, count(*) FROM attendance_records AS a "
            "JOIN course_sessions AS s ON s.id = a.course_session_id GROUP BY 1, 2"),
            {"first": session_ids[0], "group": group}).all()
        stored = dict(conn.execute(select(Enrolment.participant_id, Enrolment.attended_hours)).all())
        computed = dict(conn.execute(text(
            "SELECT a.participant_id, sum(s.hours) FROM attendance_records AS a "
            "JOIN course_sessions AS s ON s.id = a.course_session_id GROUP BY 1")).all())
    assert all(count == group for _, _, count in per_batch), per_batch  # no transaction cut in two
    assert len(per_batch) == batches  # the course row is of the same moment as the attendance
    assert {p: float(h) for p, h in stored.items() if h} == {p: float(h) for p, h in computed.items()}
