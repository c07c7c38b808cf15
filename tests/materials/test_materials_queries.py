"""Materials pages make a bounded number of SQL statements whatever the number of materials."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert

from tests.conftest import login
from tests.factories import Factories
from tests.sql import count_statements
from trainer.courses.models import CourseModule
from trainer.extensions import db
from trainer.materials.models import Material


def _add_rows(count: int, *, course_id: int, module_id: int, start: int) -> None:
    """`count` materials (rows only: listing never opens the files), alternately on the course and its module."""
    rows = [{"course_id": course_id if i % 2 else None, "curriculum_module_id": None if i % 2 else module_id,
             "title": f"Tài liệu {i}", "filename": f"tai-lieu-{i}.pdf", "stored_name": f"{i:040x}",
             "content_type": "application/pdf", "size_bytes": 1000 + i, "sha256": "0" * 64}
            for i in range(start, start + count)]
    db.session.execute(insert(Material), rows)


def _statements(client, url: str) -> int:
    """How many SQL statements a GET of `url` executes."""
    with count_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen)


def test_materials_pages_statements_do_not_grow_with_rows(client, f: Factories):
    t = f.tree()
    curriculum = f.curriculum("CT1")
    course = f.course(t["district"], curriculum)
    module = curriculum.modules[0]
    db.session.add(CourseModule(course=course, code=module.code, title=module.title, hours=Decimal(2)))
    login(client, f.user("organizer", t["province"]).email)
    urls = (f"/materials/course/{course.id}", f"/materials/module/{module.id}", "/materials/")
    _add_rows(10, course_id=course.id, module_id=module.id, start=0)
    small = [_statements(client, url) for url in urls]
    _add_rows(990, course_id=course.id, module_id=module.id, start=10)
    large = [_statements(client, url) for url in urls]
    assert small == large
    page = client.get(f"/materials/course/{course.id}").get_data(as_text=True)
    assert page.count('<tr id="material-') == 1000
