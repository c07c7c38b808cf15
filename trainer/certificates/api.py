"""JSON API of certificates: issue for a course, public look-up by code, revoke."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from trainer.certificates.models import Certificate
from trainer.certificates.public_url import LOCAL_MESSAGE, qr_base_url
from trainer.certificates.services import find_by_code, issue_certificates, public_view, revoke_certificate
from trainer.core.api import json_body, parse_date
from trainer.core.permissions import Need, get_or_404_for, public
from trainer.courses.models import Course
from trainer.extensions import db

bp = Blueprint("certificates_api", __name__, url_prefix="/api/v1")


@bp.post("/courses/<int:course_id>/certificates")
def issue(course_id: int):
    """Issue a certificate to every enrolled participant who completed the course and has none yet.

    The contract asks for no confirmation here: a QR address that is the server's own is accepted and
    reported in `warnings` (code public_base_url_local), as the page and the CLI would have asked.
    An optional body `{"issued_on": "YYYY-MM-DD"}` dates the certificates (default: the course's last day)."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    data = json_body() if request.get_data() else {}  # no body at all: the contract's original call
    issued_on = parse_date(data["issued_on"], "issued_on") if data.get("issued_on") is not None else None
    result = issue_certificates(course, actor=current_user, issued_on=issued_on, local_url_ok=True)
    db.session.commit()
    body = {"issued": [{"serial": c.serial, "code": c.code, "participant_id": c.participant_id}
                       for c in result.issued],
            "skipped": [{"participant_id": pid, "reason": reason} for pid, reason in result.skipped]}
    if result.message:
        body["message"] = result.message
    if result.local_url:
        body["warnings"] = [{"code": "public_base_url_local", "message": LOCAL_MESSAGE.format(base=qr_base_url())}]
    return body


@bp.get("/certificates/<code>")
@public
def lookup(code: str):
    """Public check of a certificate by its verification code (no login)."""
    return public_view(find_by_code(code))


@bp.post("/certificates/<code>/revoke")
def revoke(code: str):
    """Revoke a certificate with a reason (organizers in scope)."""
    certificate = get_or_404_for(Certificate, find_by_code(code).id, Need.MANAGE)
    revoke_certificate(certificate, reason=str(json_body().get("reason") or ""), actor=current_user)
    db.session.commit()
    return public_view(certificate)
