"""Fixtures: a fresh app and clean database per test, on SQLite or on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from config import TestingConfig
from tests.factories import Factories
from trainer import create_app
from trainer.core import clock
from trainer.extensions import db

_schema_ready: set[str] = set()


def database_url(tmp_path) -> str:
    """PostgreSQL from TEST_DATABASE_URL (in a schema of this run's own), else a SQLite file of this test."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'test.db'}"
    # A schema per test process: runs started side by side never empty each other's tables.
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={_PG_SCHEMA}"}).render_as_string(hide_password=False)


_PG_SCHEMA = f"test_{os.getpid()}"


def _reset_database(url: str) -> None:
    """Create the schema once per run on PostgreSQL and empty every table before each test."""
    if url.startswith("sqlite"):
        db.create_all()
        return
    if url not in _schema_ready:
        with db.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{_PG_SCHEMA}" CASCADE; CREATE SCHEMA "{_PG_SCHEMA}"'))
        db.create_all()
        _schema_ready.add(url)
        return
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_schema() -> Iterator[None]:
    """Remove this run's PostgreSQL schema at the end."""
    yield
    base = os.environ.get("TEST_DATABASE_URL")
    if base and _schema_ready:
        from sqlalchemy import create_engine

        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{_PG_SCHEMA}" CASCADE'))
        engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, hence their own DB session.

    The test's pending data is committed first, so a request sees it as a real client would, and
    a request that fails rolls back its own session only (as in production), not the test's.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        token = _cv_app.set(None)  # hide the test's app context: the request pushes a fresh one
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    """A fresh application with an empty database."""
    url = database_url(tmp_path)

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        MATERIALS_DIR = None

    application = create_app(Config)
    application.instance_path = str(tmp_path / "instance")
    application.test_client_class = IsolatedClient
    with application.app_context():
        _reset_database(url)
        yield application
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


class Clock:
    """The app's one clock (trainer.core.clock), stopped at a moment a test chooses."""

    def set(self, moment: datetime) -> datetime:
        """Stop the clock at `moment` (aware)."""
        clock.set_now(moment)
        return clock.now()

    def advance(self, seconds: float) -> datetime:
        """Move the stopped clock on by `seconds`."""
        return clock.advance(seconds)

    def now(self) -> datetime:
        """The clock's time."""
        return clock.now()


@pytest.fixture
def clock_at() -> Iterator[Clock]:
    """The app's clock, stopped at the current second (whole, so no test depends on where the wall
    clock's second falls) until the test moves it; running again afterwards."""
    stopped = Clock()
    stopped.set(datetime.now(UTC).replace(microsecond=0))
    yield stopped
    clock.set_now(None)


@pytest.fixture(autouse=True)
def _running_clock() -> Iterator[None]:
    """Whatever a test did to the clock, the next one starts with it running."""
    yield
    clock.set_now(None)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client; CSRF protection stays on."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner for `flask --app trainer ...` commands."""
    return app.test_cli_runner()


@pytest.fixture
def f(app: Flask) -> Factories:
    """Factories for minimal valid objects (flushed, not committed)."""
    return Factories()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = "correct horse battery") -> None:
    """Log in through the real form, CSRF token included."""
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
