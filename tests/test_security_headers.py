"""Security headers (trainer.core.security): every page of every role sends them, the templates run
no inline script, the trainee's pages none at all, and HSTS comes with HTTPS, also behind a proxy."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, request
from jinja2 import DictLoader

from config import TestingConfig
from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from tests.test_permissions import MATRIX, _world
from trainer import create_app
from trainer.accounts.services import issue_api_token
from trainer.attendance.tokens import make_token
from trainer.core.db import utcnow
from trainer.core.permissions import public
from trainer.core.security import inline_style_hashes
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.schedule.models import CourseSession

TEMPLATES = Path(__file__).resolve().parents[1] / "trainer" / "templates"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
ROLES = ("anon", "admin", "organizer_in")


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def _assert_headers(response, *, camera: bool = False, referrer: str = "strict-origin-when-cross-origin",
                    where: str = "") -> None:
    headers = response.headers
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == referrer, where
    assert headers.get("Permissions-Policy") == (
        f"camera={'(self)' if camera else '()'}, microphone=(), geolocation=()"), where
    assert "Strict-Transport-Security" not in headers, where  # plain HTTP
    if response.mimetype == "text/html":
        policy = _directives(headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"], where
        assert policy["style-src"][0] == "'self'", where
        assert all(source.startswith("'sha256-") for source in policy["style-src"][1:]), where
        assert policy["img-src"] == ["'self'", "data:"] and policy["object-src"] == ["'none'"], where
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"], where
        assert policy["form-action"] == ["'self'"], where
        assert "unsafe" not in headers["Content-Security-Policy"], where
    elif response.is_json:
        assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'", where


@pytest.mark.parametrize("role", ROLES)
def test_every_get_route_sends_the_security_headers(app, client, f: Factories, role):
    world = _world(f)
    token = None
    if role != "anon":
        user = f.user(role.split("_")[0], world["province"] if role == "organizer_in" else None)
        token = f"Bearer {issue_api_token(user)}"
        login(client, user.email)
    pages = 0
    for endpoint, (method, url, _body, _expected) in MATRIX.items():
        if method != "GET":
            continue
        url = url(world) if callable(url) else url
        headers = {"Authorization": token} if token and url.startswith("/api/") else {}
        response = client.get(url, headers=headers)
        pages += response.mimetype == "text/html" and response.status_code == 200
        # the trainee pages set their own; a certificate's page has its code in the URL
        no_referrer = endpoint.startswith("public.") or endpoint == "certificates_public.verify"
        referrer = "no-referrer" if no_referrer else "strict-origin-when-cross-origin"
        _assert_headers(response, camera=endpoint == "attendance.scan" and response.status_code == 200,
                        referrer=referrer, where=f"{role} GET {url} ({response.status_code})")
    assert pages >= (1 if role == "anon" else 20)
    with client.get("/static/app.css") as static:
        _assert_headers(static, where="static")
    _assert_headers(client.get("/no-such-page"), where="404")


def test_the_camera_is_allowed_on_the_badge_scanner_only(app, client, f: Factories):
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    course = f.course(t["district"])
    now = utcnow()
    course_session = CourseSession(course=course, title="Buổi 1", starts_at=now, ends_at=now + timedelta(hours=2),
                                   hours=2)
    db.session.add(course_session)
    login(client, organizer.email)
    scan = client.get(f"/sessions/{course_session.id}/scan")
    assert scan.status_code == 200
    assert scan.headers["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=()"
    projector = client.get(f"/sessions/{course_session.id}/projector")
    assert projector.status_code == 200 and "camera=()" in projector.headers["Permissions-Policy"]


def _token(course_session: CourseSession) -> str:
    """The session's QR token now."""
    return make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                      utcnow())[1]


@pytest.fixture
def trainee_session(f: Factories):
    t = f.tree()
    now = utcnow()
    course = f.course(t["district"], start_date=now.date(), end_date=now.date())
    course_session = CourseSession(course=course, title="Sáng thứ Ba", starts_at=now - timedelta(minutes=5),
                                   ends_at=now + timedelta(hours=3), hours=3)
    db.session.add(course_session)
    trainee = f.participant(t["commune"], full_name="Nguyễn Thị Hằng", phone="0912345600")
    db.session.add(Enrolment(course=course, participant=trainee))
    db.session.flush()
    return course_session


def test_the_trainee_pages_send_the_headers_and_no_script(client, trainee_session):
    token = _token(trainee_session)
    url = f"/c/{token}"
    form = client.get(url)
    assert form.status_code == 200
    csrf = csrf_token_from(form.get_data(as_text=True))
    done = client.post(url, data={"phone": "0912345600", "csrf_token": csrf})
    assert done.status_code == 200 and "Nguyễn Thị Hằng" in done.get_data(as_text=True)
    refused = client.post(url, data={"phone": "0999999999", "csrf_token": csrf})
    for response in (form, done, refused):
        _assert_headers(response, referrer="no-referrer", where=response.status)
        assert "<script" not in response.get_data(as_text=True).lower()
    code_page = client.get("/c")
    _assert_headers(code_page, referrer="no-referrer")
    assert "<script" not in code_page.get_data(as_text=True).lower()


def test_the_inline_styles_are_allowed_by_their_hash_only(client, trainee_session):
    page = client.get(f"/c/{_token(trainee_session)}")
    html = page.get_data(as_text=True)
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in _directives(page.headers["Content-Security-Policy"])["style-src"]


def test_a_style_block_with_jinja_stops_the_app_at_start():
    app = Flask(__name__)
    app.jinja_env.loader = DictLoader({"ok.html": "<style>b{color:red}</style>",
                                       "bad.html": "<style>b{color:{{ colour }}}</style>"})
    with pytest.raises(RuntimeError, match="bad.html"):
        inline_style_hashes(app)
    app.jinja_env.loader = DictLoader({"ok.html": "<style>b{color:red}</style>"})
    assert inline_style_hashes(app) == ["'sha256-ypIZpeWh67Lh3q46jpjGW7VCAJpmEqcFe8Dl5B2rXQU='"]


def test_no_template_has_an_inline_script_an_event_handler_or_a_style_attribute():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(TEMPLATES)
        for attributes in SCRIPT_TAG.findall(source):
            if "src=" not in attributes and 'type="application/json"' not in attributes:
                found.append(f"{name}: inline <script{attributes}>")
        if EVENT_ATTRIBUTE.search(source):
            found.append(f"{name}: an on* event handler attribute")
        if STYLE_ATTRIBUTE.search(source):
            found.append(f"{name}: a style attribute")
        if "javascript:" in source.lower():
            found.append(f"{name}: a javascript: URL")
    assert not found, "\n".join(found)


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://trainer.example.vn")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def _proxied_app(app: Flask, proxies: int) -> Flask:
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        PROXY_FIX = proxies

    proxied = create_app(Config)

    @proxied.route("/_whoami")
    @public
    def whoami():
        return {"addr": request.remote_addr, "secure": request.is_secure, "host": request.host}

    return proxied


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "trainer.gov.vn"}


def test_behind_a_proxy_its_headers_are_believed_only_when_configured(app):
    trusting = _proxied_app(app, 1).test_client()
    answer = trusting.get("/_whoami", headers=FORWARDED)
    assert answer.json == {"addr": "203.0.113.7", "secure": True, "host": "trainer.gov.vn"}
    assert trusting.get("/login", headers=FORWARDED).headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in trusting.get("/login").headers

    direct = _proxied_app(app, 0).test_client()  # the default: a client could fake these headers
    answer = direct.get("/_whoami", headers=FORWARDED)
    assert answer.json == {"addr": "127.0.0.1", "secure": False, "host": "localhost"}
    assert "Strict-Transport-Security" not in direct.get("/login", headers=FORWARDED).headers


def test_a_check_in_token_page_and_a_certificate_page_send_no_referrer(client, trainee_session):
    assert client.get(f"/c/{_token(trainee_session)}").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/verify/ABCDEFGHJK").headers["Referrer-Policy"] == "no-referrer"
