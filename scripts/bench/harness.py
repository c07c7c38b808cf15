"""Shared pieces of `make bench`: figures and their lines, scratch databases, an app logged in as admin.

Every figure is printed as `name: value unit (ratio× floor)`, the ratio taken against a floor
measured in the same run (absolute times drift from run to run on this machine) or, where no
floor exists, against the goal.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as `python scripts/bench/run.py` from anywhere
    sys.path.insert(0, str(REPO))

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "trainer_bench")
ADMIN_EMAIL = "bench-admin@example.com"
ADMIN_PASSWORD = "scratch database, not a secret"  # noqa: S105 - a scratch database only
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Figure:
    """One measured figure and whether it meets its goal (None: informative, no goal)."""

    name: str
    value: float | None
    unit: str
    ratio: float | None = None
    floor: str = ""  # what the ratio is taken against
    ok: bool | None = None
    note: str = ""  # "skipped: ..." when not measured
    precision: int = 1  # decimals of a value that is not a whole number

    @property
    def skipped(self) -> bool:
        """True when the figure could not be measured."""
        return self.value is None

    def line(self) -> str:
        """`name: value unit (ratio× floor)`, or `name: skipped (why)`."""
        if self.skipped:
            return f"{self.name}: skipped ({self.note})"
        value = f"{self.value:g}" if float(self.value).is_integer() else f"{self.value:.{self.precision}f}"
        ratio = f" ({self.ratio:.2f}× {self.floor})" if self.ratio is not None else ""
        verdict = "" if self.ok is None else ("" if self.ok else "  << misses its goal")
        note = f"  [{self.note}]" if self.note else ""
        return f"{self.name}: {value} {self.unit}{ratio}{verdict}{note}"


@dataclass
class Report:
    """The figures of a run, printed as they come."""

    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        """Record and print one figure."""
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def summary(self, left: list[str]) -> str:
        """The closing line: counts of figures met, missed and skipped, and what is not measured yet."""
        measured = [f for f in self.figures if not f.skipped]
        missed = [f for f in measured if f.ok is False]
        skipped = len(self.figures) - len(measured)
        text = (f"bench: {len(measured)} figures, {len(measured) - len(missed)} meet their goal, "
                f"{len(missed)} miss it, {skipped} skipped")
        if left:
            text += f"; not measured yet: {', '.join(left)}"
        return text

    @property
    def failed(self) -> bool:
        """True when a measured figure misses its goal."""
        return any(f.ok is False for f in self.figures)


def quiet_logs() -> None:
    """Alembic (whose env.py reconfigures logging) and werkzeug talk at INFO; the bench prints figures only."""
    logging.disable(logging.INFO)


def postgres_reachable() -> str | None:
    """None when the bench PostgreSQL answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(exc).splitlines()[0]}"


@contextmanager
def scratch_database(engine: str) -> Iterator[str]:
    """A fresh, empty database for one engine; yields its SQLAlchemy URL and drops it afterwards."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="trainer-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    import psycopg

    def run(sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
    run(f"CREATE DATABASE \"{PG_BENCH_DB}\" ENCODING 'UTF8' TEMPLATE template0")
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{PG_BENCH_DB}"
    finally:
        run(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')


def make_app(url: str) -> Flask:
    """The real app on `url` (development settings, CSRF on), its schema built by the migrations."""
    from flask_migrate import upgrade

    from config import DevelopmentConfig
    from trainer import create_app

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench-secret-key"  # noqa: S105 - a scratch database only

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
    return app


def run_command(app: Flask, *args: str) -> str:
    """Run `flask --app trainer ARGS` in-process (in an app context, as `flask` gives); raise when it fails."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    if result.exit_code != 0:
        detail = result.output.strip() or repr(result.exception)
        raise RuntimeError(f"`flask {' '.join(args)}` failed: {detail}") from result.exception
    return result.output


def admin_client(app: Flask) -> FlaskClient:
    """A test client logged in through the real login form as a bench admin (created once)."""
    from sqlalchemy import select

    from trainer.accounts.models import Role, User
    from trainer.accounts.services import create_user
    from trainer.extensions import db

    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is None:
            create_user(ADMIN_EMAIL, Role.ADMIN, unit=None, password=ADMIN_PASSWORD, full_name="Bench")
            db.session.commit()
    client = app.test_client()
    match = CSRF_RE.search(client.get("/login").get_data(as_text=True))
    if match is None:
        raise RuntimeError("no CSRF token on the login page")
    response = client.post("/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
                                           "csrf_token": match.group(1)})
    if response.status_code != 302:
        raise RuntimeError(f"bench admin could not log in (HTTP {response.status_code})")
    return client
