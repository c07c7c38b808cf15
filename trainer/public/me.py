"""The trainee's own page, /me: their courses, the sessions they attended, their certificates as PDF.

No account: a trainee is recognised by the phone they checked in with (the remembered-device cookie, when
it names one person) or signs in with their phone number and the personal code printed on their badge
(both must match one person; wrong pairs lock the client's network like a check-in's failed look-ups).
Forms carry the CSRF token (the app's CSRFProtect checks every POST).
The page is plain HTML, a few KB, without script, like the check-in page.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature
from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.certificates.services import pdf_bytes
from trainer.core import clock, throttle
from trainer.core.downloads import file_response
from trainer.core.errors import N_, DomainError, said
from trainer.core.permissions import public
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.participants.services import normalise_phone
from trainer.public.device import remembered_device, serializer
from trainer.public.queries import trainee_courses

bp = Blueprint("me", __name__)
ME_COOKIE = "trainer_me"
ME_DAYS = 30
SCOPE = "me.client"
LIMITS = (throttle.Limit(10, timedelta(minutes=15)), throttle.Limit(50, timedelta(hours=24)))
WRONG = N_("Số điện thoại hoặc mã cá nhân không đúng. Mã cá nhân in trên thẻ học viên của bạn (dưới mã QR).")


def _signed_in() -> int | None:
    """The participant id of this phone's sign-in cookie, if valid."""
    raw = request.cookies.get(ME_COOKIE)
    if not raw:
        return None
    try:
        value = serializer("me").loads(raw, max_age=ME_DAYS * 24 * 3600)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _recognised() -> Participant | None:
    """Who this phone is: signed in, or the one person its remembered-device cookie checked in."""
    participant_id = _signed_in()
    if participant_id is None:
        remembered = {pid for pid in remembered_device()["c"].values() if isinstance(pid, int)}
        participant_id = remembered.pop() if len(remembered) == 1 else None
    if participant_id is None:
        return None
    participant = db.session.get(Participant, participant_id)
    return participant if participant is not None and participant.anonymised_at is None else None


def _page(template: str, status: int = 200, **context) -> ResponseReturnValue:
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a shared phone's cache
    return response


@bp.route("/me", methods=["GET", "POST"])
@public
def index() -> ResponseReturnValue:
    """The trainee's courses and certificates; a sign-in form when the phone is not recognised."""
    if request.method == "POST":
        return _sign_in()
    participant = _recognised()
    if participant is None:
        return _page("public/me_sign_in.html")
    return _page("public/me.html", participant=participant, courses=trainee_courses(participant))


def _sign_in() -> ResponseReturnValue:
    """Phone number and personal code, both of one person (limited per client network)."""
    now = clock.now()
    key = throttle.client_key(request.remote_addr)
    phone, code = (request.form.get("phone") or "").strip(), (request.form.get("code") or "").strip().upper()
    until = throttle.locked_until(SCOPE, key, LIMITS, now=now)
    if until is not None:
        message = throttle.TooManyAttempts(until, now=now, what=N_("Nhập sai")).said()
        return _page("public/me_sign_in.html", 429, error=message, phone=phone)
    try:
        number = normalise_phone(phone)
    except DomainError:  # a malformed number is just a wrong pair
        number = None
    participant = db.session.scalar(select(Participant).where(
        Participant.phone == number, Participant.code == code, Participant.anonymised_at.is_(None))) \
        if number and code else None
    if participant is None:
        throttle.record_failure(SCOPE, key, now=now)
        db.session.commit()
        return _page("public/me_sign_in.html", 422, error=said(WRONG), phone=phone)
    response = redirect(url_for("me.index"))
    response.set_cookie(ME_COOKIE, serializer("me").dumps(participant.id), max_age=ME_DAYS * 24 * 3600,
                        httponly=True, samesite="Lax", secure=request.is_secure)
    return response


@bp.post("/me/sign-out")
@public
def sign_out() -> ResponseReturnValue:
    """Forget this phone's sign-in (a borrowed phone)."""
    response = redirect(url_for("me.index"))
    response.delete_cookie(ME_COOKIE)
    return response


@bp.route("/me/certificates/<code>.pdf")
@public
def certificate(code: str) -> ResponseReturnValue:
    """One of the trainee's own valid certificates, as PDF; anybody else's is a 404."""
    participant = _recognised()
    found = db.session.scalar(select(Certificate).where(Certificate.code == code[:24])) if participant else None
    if found is None or found.participant_id != participant.id or found.revoked_at is not None:
        abort(404)
    return file_response(pdf_bytes(found), f"giay-chung-nhan-{found.code}.pdf", "application/pdf")
