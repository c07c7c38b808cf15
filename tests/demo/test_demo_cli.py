"""`flask --app trainer demo-data`: refusals, --reset, --remove, reproducibility and bulk statements."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests.demo.conftest import run_demo
from tests.factories import Factories
from tests.sql import count_statements
from trainer.courses.models import Course, Enrolment
from trainer.demo.generator import generate_demo_data
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.units.models import Unit


def _count(model: type) -> int:
    """Rows of a model's table."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _snapshot() -> tuple[list, list]:
    """The demo people (name, phone, code) and courses (title, dates, capacity), in ID order."""
    people = db.session.execute(select(Participant.full_name, Participant.phone, Participant.code)
                                .order_by(Participant.id)).all()
    courses = db.session.execute(select(Course.title, Course.start_date, Course.end_date, Course.capacity)
                                 .order_by(Course.id)).all()
    return people, courses


def test_demo_data_refused_without_seed(app: Flask) -> None:
    result = run_demo(app, "--scale", "small")
    assert result.exit_code == 1
    assert "flask --app trainer seed" in result.output and "Chưa có" in result.output
    assert _count(Participant) == 0


def test_demo_data_refused_on_a_second_run(app: Flask, tan_yen: None) -> None:
    assert run_demo(app, "--scale", "small").exit_code == 0
    before = _snapshot()
    again = run_demo(app, "--scale", "small")
    assert again.exit_code == 1
    assert "đã có dữ liệu mẫu" in again.output and "--reset" in again.output
    assert _snapshot() == before


def test_demo_data_reset_regenerates_the_same_data_for_a_seed(app: Flask, tan_yen: None) -> None:
    assert run_demo(app, "--scale", "small", "--seed", "7").exit_code == 0
    people, courses = _snapshot()
    result = run_demo(app, "--scale", "small", "--seed", "7", "--reset")
    assert result.exit_code == 0, result.output
    again_people, again_courses = _snapshot()
    assert [p[1:] for p in again_people] == [p[1:] for p in people] and again_courses == courses
    assert [p[0] for p in again_people] == [p[0] for p in people]


def test_demo_data_seeds_differ(app: Flask, tan_yen: None) -> None:
    assert run_demo(app, "--scale", "small", "--seed", "1").exit_code == 0
    first = _snapshot()
    assert run_demo(app, "--scale", "small", "--seed", "2", "--reset").exit_code == 0
    assert _snapshot() != first


def test_demo_data_remove_keeps_real_rows(app: Flask, tan_yen: None, f: Factories) -> None:
    assert run_demo(app, "--scale", "small").exit_code == 0
    commune = db.session.scalar(select(Unit).where(Unit.scheme == "2024", Unit.code == "07306"))
    real = f.participant(commune, phone="0912000001", code="REAL0001")
    demo_course = db.session.scalars(select(Course).order_by(Course.id)).first()
    db.session.add(Enrolment(course=demo_course, participant=real))
    db.session.commit()
    result = run_demo(app, "--remove")
    assert result.exit_code == 0, result.output
    assert _count(Course) == 0 and _count(Enrolment) == 0
    assert db.session.scalars(select(Participant.code)).all() == ["REAL0001"]


def test_demo_data_inserts_in_bulk(app: Flask, tan_yen: None) -> None:
    with count_statements() as statements:
        assert run_demo(app, "--scale", "small").exit_code == 0
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert _count(Enrolment) > 200
    assert len(inserts) <= 12  # one executemany per table and chunk, never one per row


def test_demo_data_gives_back_its_connection_with_the_page_cache_it_had(app: Flask, tan_yen: None) -> None:
    # SQLite: the generation enlarges the page cache of its connection, which goes back to the pool.
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    before = db.session.execute(text("PRAGMA cache_size")).scalar_one()
    generate_demo_data("small")
    assert db.session.execute(text("PRAGMA cache_size")).scalar_one() == before
    db.session.rollback()
