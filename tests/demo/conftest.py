"""Fixtures of the demo-data tests: a database seeded once with the real units and `--scale small`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from config import TestingConfig
from tests.conftest import _reset_database, database_url
from trainer import create_app
from trainer.cli import MATERIALS
from trainer.curricula.services import seed_curricula
from trainer.extensions import db
from trainer.units.services import import_units
from trainer.units.sources import read_units_file

TAN_YEN = "216"
BAC_GIANG = "24"


def run_demo(app: Flask, *args: str) -> Result:
    """Invoke `flask demo-data ARGS` and return click's result."""
    return app.test_cli_runner().invoke(args=["demo-data", *args])


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for a whole test module: the real `seed`, then `demo-data --scale small` (read-only tests)."""
    tmp_path = tmp_path_factory.mktemp("demo")
    url = database_url(tmp_path)

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        MATERIALS_DIR = None

    application = create_app(Config)
    application.instance_path = str(tmp_path / "instance")
    with application.app_context():
        _reset_database(url)
        seeded = application.test_cli_runner().invoke(args=["seed"])
        assert seeded.exit_code == 0, seeded.output
        result = run_demo(application, "--scale", "small")
        assert result.exit_code == 0, result.output
        yield application
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def tan_yen(app: Flask) -> None:
    """The four real curricula and the real units of Tỉnh Bắc Giang › Huyện Tân Yên only (fast), committed."""
    seed_curricula(Path(MATERIALS) / "curricula")
    rows = read_units_file(Path(MATERIALS) / "units" / "units-2024.csv")
    import_units([r for r in rows if r.code in (BAC_GIANG, TAN_YEN) or r.parent_code == TAN_YEN])
    db.session.commit()
