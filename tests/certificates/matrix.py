"""Role × scope expectations of the certificate endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.matrix_helpers import ROLES, scoped_manage, scoped_view
from trainer.certificates.models import Certificate
from trainer.certificates.services import build_snapshot
from trainer.extensions import db


def _code(w: dict[str, Any]) -> str:
    return w["certificate"].code


def _course(w: dict[str, Any]) -> int:
    return w["course"].id


EVERYONE_200 = {role: 200 for role in ROLES}

MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "certificates.course_certificates": ("GET", lambda w: f"/courses/{_course(w)}/certificates", None,
                                         scoped_view()),
    "certificates.issue": ("POST", lambda w: f"/courses/{_course(w)}/certificates/issue", {},
                           {**scoped_manage(302)}),
    "certificates.pdf": ("GET", lambda w: f"/certificates/{_code(w)}.pdf", None, scoped_view()),
    "certificates.revoke": ("POST", lambda w: f"/certificates/{_code(w)}/revoke", {}, scoped_manage(302)),
    "certificates.reissue": ("POST", lambda w: f"/certificates/{_code(w)}/reissue", {}, scoped_manage(302)),
    "certificates.bulk_pdf": ("GET", lambda w: f"/courses/{_course(w)}/certificates.pdf", None, scoped_view()),
    "certificates.bulk_zip": ("GET", lambda w: f"/courses/{_course(w)}/certificates.zip", None, scoped_view()),
    "certificates_public.verify": ("GET", lambda w: f"/verify/{_code(w)}", None, EVERYONE_200),
    "certificates_api.lookup": ("GET", lambda w: f"/api/v1/certificates/{_code(w)}", None, EVERYONE_200),
    "certificates_api.issue": ("POST", lambda w: f"/api/v1/courses/{_course(w)}/certificates", None,
                               scoped_manage(api=True)),
    "certificates_api.revoke": ("POST", lambda w: f"/api/v1/certificates/{_code(w)}/revoke", {"reason": ""},
                                scoped_manage(422, api=True)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """A certificate of the world's participant without a stored file (rendered from its snapshot)."""
    world["certificate"] = Certificate(course=world["course"], participant=world["participant"],
                                       issuing_unit=world["course"].unit, serial_year=2024, serial_number=1,
                                       serial="0001/2024", issued_on=date(2024, 10, 3),
                                       snapshot=build_snapshot(world["course"], world["participant"], 8))
    db.session.add(world["certificate"])
    db.session.flush()
