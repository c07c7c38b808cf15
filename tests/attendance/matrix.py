"""Role × scope expectations of the attendance endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.matrix_helpers import scoped_manage, scoped_view
from trainer.core.db import utcnow
from trainer.extensions import db
from trainer.schedule.models import CourseSession


def _sid(w: dict[str, Any]) -> int:
    return w["session"].id


PUBLIC_ALL = {"anon": 200, "admin": 200, "organizer_in": 200, "organizer_out": 200, "reviewer_in": 200,
              "reviewer_out": 200}

MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "attendance.projector": ("GET", lambda w: f"/sessions/{_sid(w)}/projector", None, scoped_manage()),
    "attendance.live": ("GET", lambda w: f"/sessions/{_sid(w)}/live.json", None, scoped_manage()),
    "attendance.attempts": ("GET", lambda w: f"/sessions/{_sid(w)}/attempts", None, scoped_manage()),
    "attendance_api.checkin_token": ("GET", lambda w: f"/api/v1/sessions/{_sid(w)}/checkin-token", None,
                                     scoped_manage(api=True)),
    "attendance_api.revoke_checkin_token": ("POST", lambda w: f"/api/v1/sessions/{_sid(w)}/checkin-token/revoke",
                                            None, scoped_manage(api=True)),
    "attendance.revoke_codes": ("POST", lambda w: f"/sessions/{_sid(w)}/revoke-codes", {}, scoped_manage(302)),
    "attendance.attempt_action": ("POST", lambda w: f"/sessions/{_sid(w)}/attempts/{w['participant'].id}", {},
                                  scoped_manage(302)),
    "attendance_api.session_attendance": ("GET", lambda w: f"/api/v1/sessions/{_sid(w)}/attendance", None,
                                          scoped_view(api=True)),
    "attendance_api.mark": ("POST", lambda w: f"/api/v1/sessions/{_sid(w)}/attendance",
                            lambda w: {"participant_code": w["participant"].code, "method": "manual"},
                            scoped_manage(api=True)),
    "attendance_api.unmark": ("DELETE", lambda w: f"/api/v1/sessions/{_sid(w)}/attendance",
                              lambda w: {"participant_code": w["participant"].code, "reason": "thử"},
                              scoped_manage(api=True)),
    # public: the token is the credential; an invalid one is a 400 for everybody
    "attendance_api.checkin": ("POST", "/api/v1/checkin", {"token": "x", "phone": "0912345600"},
                               {role: 400 for role in PUBLIC_ALL}),
    "public.scan": ("GET", "/c/1-1-abcdefghijklmnop", None, {role: 400 for role in PUBLIC_ALL}),
    "public.code_entry": ("GET", "/c", None, PUBLIC_ALL),
    "public.material": ("GET", "/m/not-a-signed-link", None, {role: 404 for role in PUBLIC_ALL}),
    # the trainee's own page: staff sessions give nobody a trainee's certificates
    "me.index": ("GET", "/me", None, PUBLIC_ALL),
    "me.sign_out": ("POST", "/me/sign-out", {}, {role: 302 for role in PUBLIC_ALL}),
    "me.certificate": ("GET", "/me/certificates/ABCDEFGHJK.pdf", None, {role: 404 for role in PUBLIC_ALL}),
}



def build(world: dict[str, Any], f: Any) -> None:
    """A session of the world's course, running now."""
    now = utcnow()
    world["session"] = CourseSession(course=world["course"], title="Buổi 1", starts_at=now,
                                     ends_at=now + timedelta(hours=4), hours=4)
    db.session.add(world["session"])
    db.session.flush()

MATRIX.update({
    "attendance.scan": ("GET", lambda w: f"/sessions/{_sid(w)}/scan", None, scoped_manage()),
    "attendance.marks": ("GET", lambda w: f"/sessions/{_sid(w)}/marks", None, scoped_manage()),
    "attendance.register": ("GET", lambda w: f"/courses/{w['course'].id}/register", None, scoped_view()),
    "attendance_api.course_attendance": ("GET", lambda w: f"/api/v1/courses/{w['course'].id}/attendance", None,
                                         scoped_view(api=True)),
})
