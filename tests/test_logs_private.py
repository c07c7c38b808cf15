"""No personal data in any log (domain/privacy.md): a realistic run's log records, at DEBUG from every
logger, hold none of the names, phones, e-mails or tokens it used (trainer.core.logs)."""

from __future__ import annotations

import io
import logging
import runpy
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config as GunicornConfig
from werkzeug.serving import make_server

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from tests.participants.helpers import row, workbook_bytes
from trainer.accounts.services import issue_api_token
from trainer.attendance.tokens import make_token
from trainer.core.db import utcnow
from trainer.core.logs import install_log_privacy, private_atom, safe_traceback, scrub
from trainer.core.text import fold
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.participants import services as participant_services
from trainer.schedule.models import CourseSession

ROOT = Path(__file__).resolve().parents[1]
# (as typed, as stored)
API_PERSON = ("Trương Thị Mỹ Duyên", "+84 913 456 789", "0913456789", "duyen.truong@example.vn")
FORM_PERSON = ("Lường Văn Khải", "0977.123.456", "0977123456", "khai.luong@example.vn")
IMPORTED = ("Hà Thị Quỳnh Như", "0356 789 012", "0356789012")
BAD_ROW = ("Đinh Công Tráng", "0356 789 0")  # a phone too short: the import's error row
STRANGER_PHONE = ("0388 111 222", "0388111222")  # typed at a check-in, known to nobody
CRASHING = ("Quách Thị Hồng Nhung", "Nông Văn Dền")  # their registration hits the database's unique phone
TYPED = ("Nguyễn Văn Ánh", "0912345678", "a.b@example.vn")  # a name, phone and e-mail an exception quotes


@pytest.fixture
def records(caplog) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of every logger, from DEBUG up (read `.records` at the end of the test): the root
    and every logger with a level of its own (SQLAlchemy's is WARNING unless configured, werkzeug's INFO)."""
    configured = {name for name, logger in logging.root.manager.loggerDict.items()
                  if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET}
    for name in {"", "sqlalchemy", "werkzeug", *configured}:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def _rendered(records: pytest.LogCaptureFixture) -> str:
    """The records of the test as a handler would write them (message and traceback)."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in records.records)


def _serve(app) -> tuple[str, callable]:
    """The app on werkzeug's development server in a thread: its access log is werkzeug's own."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

    return f"http://127.0.0.1:{server.server_port}", stop


def _get(url: str) -> int:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {
        "redirect_request": lambda *args, **kwargs: None}))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_realistic_run_logs_no_name_phone_email_or_token(app, client, f: Factories, records, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is logged and answered, as in production
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    headers = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    course = f.course(t["district"], title="Lớp bồi dưỡng đang diễn ra")
    now = utcnow()
    course_session = CourseSession(course=course, title="Buổi sáng", starts_at=now - timedelta(minutes=10),
                                   ends_at=now + timedelta(hours=3), hours=3)
    db.session.add(course_session)
    db.session.flush()
    token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version, now)[1]

    # Registered through the API and through the form.
    name, typed, _phone, email = API_PERSON
    created = client.post("/api/v1/participants", headers=headers, json={
        "full_name": name, "gender": "female", "phone": typed, "email": email, "ethnicity": "Kinh",
        "unit_code": "07306", "target_group": "commune_culture_officer", "birth_date": "1990-04-05"})
    assert created.status_code == 201, created.json
    db.session.add(Enrolment(course_id=course.id, participant_id=created.json["id"]))
    login(client, organizer.email)
    name, typed, _phone, email = FORM_PERSON
    page = client.get("/participants/new").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "full_name": name, "gender": "male", "birth_date": "1984-11-30",
            "ethnicity": "Tày", "phone": typed, "email": email, "unit_code": "07306 - Thị trấn Nhã Nam",
            "position": "Cán bộ", "target_group": "party_info_staff"}
    assert client.post("/participants/new", data=form).status_code == 302

    # Searched by phone, on the page and in the API.
    assert client.get(f"/participants/?q={API_PERSON[2]}").status_code == 200
    assert client.get(f"/api/v1/participants?q={FORM_PERSON[2]}", headers=headers).json["total"] == 1

    # Check-ins: a stranger's number, a registered person not enrolled, an enrolled one (page and API).
    assert client.post("/api/v1/checkin", json={"token": token, "phone": STRANGER_PHONE[0]}).status_code == 404
    for typed, status in ((FORM_PERSON[1], 404), (API_PERSON[1], 200)):
        page = client.get(f"/c/{token}").get_data(as_text=True)
        answer = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "phone": typed})
        assert answer.status_code == status

    # An import with an error row (nothing written) and a clean one.
    bad = workbook_bytes([row(full_name=IMPORTED[0], phone=IMPORTED[1]), row(full_name=BAD_ROW[0], phone=BAD_ROW[1])])
    answer = client.post("/api/v1/participants/import", headers=headers,
                         data={"file": (io.BytesIO(bad), "danh-sach.xlsx")})
    assert answer.status_code == 422

    # Two crashes whose SQL parameters (and PostgreSQL's DETAIL line) hold a whole person: the phone
    # check is skipped, so the database's unique constraint refuses the insert (a race, in real life).
    monkeypatch.setattr(participant_services, "_check_phone_free", lambda *args, **kwargs: None)
    crashed = client.post("/api/v1/participants", headers=headers, json={
        "full_name": CRASHING[0], "gender": "female", "phone": API_PERSON[1], "ethnicity": "Kinh",
        "email": "nhung.quach@example.vn", "unit_code": "07306", "target_group": "other"})
    assert crashed.status_code == 500
    page = client.get("/participants/new").get_data(as_text=True)
    crashed_page = client.post("/participants/new", data={**form, "csrf_token": csrf_token_from(page),
                                                           "full_name": CRASHING[1], "email": ""})
    assert crashed_page.status_code == 500  # the error page itself, after the failed transaction's rollback
    assert "Lỗi máy chủ" in crashed_page.get_data(as_text=True)

    # werkzeug's development server writes its access lines: a search by phone, a check-in link.
    db.session.commit()
    base, stop = _serve(app)
    try:
        assert _get(f"{base}/participants/?q={API_PERSON[2]}&page=1") == 302  # to the login page
        assert _get(f"{base}/c/{token}") == 200
    finally:
        stop()

    text = _rendered(records)
    # The run did log what these checks are about.
    assert "Exception on /api/v1/participants [POST]" in text and "Exception on /participants/new [POST]" in text
    assert "IntegrityError" in text and "[SQL: INSERT INTO participants" in text
    assert "[SQL parameters hidden due to hide_parameters=True]" in text  # SQLAlchemy's echo, at INFO
    assert "Row (hidden)" in text  # and its result rows, at DEBUG
    assert "GET /participants/?q=*&page=* HTTP/1.1" in text and "GET /c/*** HTTP/1.1" in text
    secrets = [*API_PERSON, *FORM_PERSON, *IMPORTED, *BAD_ROW, *STRANGER_PHONE, *CRASHING, "nhung.quach@example.vn",
               token, "1990-04-05", "30/11/1984", organizer.email, headers["Authorization"].split()[1]]
    secrets += [fold(value) for value in (API_PERSON[0], FORM_PERSON[0], IMPORTED[0], *CRASHING)]
    leaked = [value for value in secrets if value.lower() in text.lower()]
    assert leaked == [], [line for line in text.splitlines() if any(v.lower() in line.lower() for v in leaked)][:5]


def test_a_traceback_keeps_its_frames_and_loses_the_values(records):
    def register(name: str, phone: str, email: str) -> None:
        raise ValueError(f"cannot parse {name!r} for {phone} <{email}>")

    try:
        register(*TYPED)
    except ValueError:
        logging.getLogger("trainer").exception("Import failed for participant %s", 42)
    text = _rendered(records)
    assert "Import failed for participant 42" in text and 'in register' in text and "ValueError: cannot parse" in text
    assert not [value for value in TYPED if value in text]
    assert records.records[-1].exc_info is None  # nothing left for a handler to print raw


class UniqueViolation(Exception):
    """Stands for psycopg's error of that name (the module decides how its message is read)."""


UniqueViolation.__module__ = "psycopg.errors"


def test_postgresql_detail_lines_and_quoted_values_are_dropped():
    detail = UniqueViolation('duplicate key value violates unique constraint "uq_participants_phone"\n'
                             "DETAIL:  Key (phone)=(0912345678) already exists.")
    assert safe_traceback(detail) == ('psycopg.errors.UniqueViolation: duplicate key value violates unique '
                                      'constraint "uq_participants_phone"')
    typed = UniqueViolation('invalid input syntax for type integer: "Lò Văn Mười"')
    assert safe_traceback(typed).endswith('integer: "***"')


def test_messages_lose_query_values_tokens_phones_emails_and_bearer_tokens():
    assert scrub('"GET /participants/?q=0912+345+678&unit=216 HTTP/1.1" 200') == (
        '"GET /participants/?q=*&unit=* HTTP/1.1" 200')
    assert scrub("POST /c/12-2891234-abcdefghijklmnop?x=1") == "POST /c/***?x=*"
    assert scrub("GET /verify/ABCDEFGH2345 and /certificates/ABCDEFGH2345.pdf") == (
        "GET /verify/*** and /certificates/***.pdf")
    assert scrub("/courses/3/certificates/issue") == "/courses/3/certificates/issue"
    assert scrub("call +84 912 345 678 or 0912.345.678, mail x.y@example.vn") == (
        "call <phone> or <phone>, mail <email>")
    assert scrub("Authorization: Bearer trn_abcDEF123") == "Authorization: Bearer ***"
    assert scrub("participant 123456 in session 7") == "participant 123456 in session 7"  # IDs stay


def test_installing_twice_keeps_one_factory():
    install_log_privacy()
    factory = logging.getLogRecordFactory()
    install_log_privacy()
    assert logging.getLogRecordFactory() is factory


# --- gunicorn -------------------------------------------------------------------------------------------


def test_gunicorn_atoms_are_safe():
    assert private_atom("r", "GET /participants/?q=0912345678 HTTP/1.1") == "GET /participants/?q=* HTTP/1.1"
    assert private_atom("U", "/c/12-3-abcdefghijklmnop") == "/c/***"
    assert private_atom("q", "q=0912345678&page=2") == "q=*&page=*"
    assert private_atom("f", "https://x.vn/participants/?q=nguyen+van+a") == "https://x.vn/participants/?q=*"
    assert private_atom("{Authorization}i", "Bearer trn_x") == "-" and private_atom("{cookie}i", "session=x") == "-"
    assert private_atom("s", 200) == 200


def test_gunicorn_conf_writes_access_lines_without_query_values_or_tokens():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["wsgi_app"] == "trainer:create_app()" and "accesslog" not in settings  # off unless asked for
    cfg = GunicornConfig()
    cfg.set("logger_class", settings["logger_class"])
    cfg.set("accesslog", "/dev/null")
    cfg.set("access_log_format", settings["access_log_format"] + ' "%(f)s" %(q)s %({authorization}i)s')
    logger = settings["logger_class"](cfg)
    stream = io.StringIO()
    logger.access_log.addHandler(logging.StreamHandler(stream))
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/c/12-3-abcdefghijklmnop?phone=0912345678",
               "PATH_INFO": "/c/12-3-abcdefghijklmnop", "QUERY_STRING": "phone=0912345678",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.7",
               "HTTP_REFERER": "https://trainer.vn/participants/?q=0977123456"}
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("Authorization", "Bearer trn_secret")])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    line = stream.getvalue()
    assert '"GET /c/***?phone=* HTTP/1.1" 200 512' in line
    assert "0912345678" not in line and "0977123456" not in line and "trn_secret" not in line
    assert "abcdefghijklmnop" not in line and '"https://trainer.vn/participants/?q=*"' in line
