"""Role × scope expectations of the courses endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import LOGIN, all_staff, only_admin, organizers, scoped_manage, scoped_view  # noqa: F401
from trainer.extensions import db


def _course(world: dict[str, Any]) -> str:
    """The world course's page."""
    return f"/courses/{world['course'].id}"


def _api(world: dict[str, Any]) -> str:
    """The world course's API URL."""
    return f"/api/v1/courses/{world['course'].id}"


# Bodies are chosen so that an allowed caller gets a stable answer (often a refusal of the input),
# whichever endpoints ran before in the same role's pass.
MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "courses.index": ("GET", "/courses/", None, all_staff()),
    "courses.new": ("GET", "/courses/new", None, organizers()),
    "courses.detail": ("GET", _course, None, scoped_view()),
    "courses.edit": ("GET", lambda w: f"{_course(w)}/edit", None, scoped_manage()),
    "courses.cancel": ("GET", lambda w: f"{_course(w)}/cancel", None, scoped_manage()),
    "courses.change_status": ("POST", lambda w: f"/courses/{w['status_course'].id}/status", {"status": "running"},
                              scoped_manage(302)),
    "courses.rules": ("GET", lambda w: f"{_course(w)}/rules", None, scoped_manage()),
    "courses.issuer": ("GET", lambda w: f"{_course(w)}/issuer", None, scoped_manage()),
    "courses.enrol": ("GET", lambda w: f"{_course(w)}/enrol?q=hang", None, scoped_manage()),
    "courses.withdraw": ("GET", lambda w: f"{_course(w)}/enrolments/{w['participant'].id}/withdraw", None,
                         scoped_manage()),
    "courses_api.create_course_api": ("POST", "/api/v1/courses", {"curriculum_code": "CT9"},
                                      organizers(422, api=True)),
    "courses_api.list_courses_api": ("GET", "/api/v1/courses", None, all_staff(api=True)),
    "courses_api.get_course_api": ("GET", _api, None, scoped_view(api=True)),
    "courses_api.update_course_api": ("PATCH", _api, {"status": "nope"}, scoped_manage(422, api=True)),
    "courses_api.create_enrolment_api": ("POST", lambda w: f"{_api(w)}/enrollments",
                                         lambda w: {"participant_id": w["participant"].id},
                                         scoped_manage(409, api=True)),
    "courses_api.list_enrolments_api": ("GET", lambda w: f"{_api(w)}/enrollments", None, scoped_view(api=True)),
    "courses_api.withdraw_enrolment_api": ("POST", lambda w: f"{_api(w)}/enrollments/{w['participant'].id}/withdraw",
                                           {}, scoped_manage(422, api=True)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """Add the objects these endpoints need to the world: a second course."""
    world["status_course"] = f.course(world["district"], world["curriculum"])
    db.session.flush()
