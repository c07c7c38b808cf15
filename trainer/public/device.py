"""What a trainee's phone keeps: the remembered-device cookie, signed by the app.

The cookie holds a random device id and, per course, the participant it checked in: later sessions of the
course take one tap, and the trainee's own page (/me) recognises the phone. Signed (itsdangerous) so that
nobody can claim another person by editing it; no name or number is in it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, request
from flask.wrappers import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from trainer.core import clock
from trainer.courses.models import Course

DEVICE_COOKIE = "trainer_device"
DEVICE_DAYS = 120


def serializer(salt: str) -> URLSafeTimedSerializer:
    """The app's signer for one kind of value (device, grace ticket, material link, trainee sign-in)."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def remembered_device() -> dict:
    """The remembered device: its random id ("d") and the participant it checked in per course ("c")."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if raw:
        try:
            data = serializer("device").loads(raw, max_age=DEVICE_DAYS * 24 * 3600)
            if isinstance(data, dict) and isinstance(data.get("d"), str):
                return {"d": data["d"], "c": dict(data.get("c") or {})}
        except BadSignature:
            pass
    return {"d": secrets.token_hex(16), "c": {}}


def remember_participant(response: Response, device: dict, course: Course, participant_id: int) -> None:
    """Remember this device for the rest of the course, so later sessions take one tap."""
    device["c"][str(course.id)] = participant_id
    # Until the day after the course ends (at least a day, for records entered after the fact).
    last_day = max(course.end_date, clock.local_today())
    expires = datetime.combine(last_day + timedelta(days=1), datetime.min.time())
    response.set_cookie(DEVICE_COOKIE, serializer("device").dumps(device), expires=expires, httponly=True,
                        samesite="Lax", secure=request.is_secure)
