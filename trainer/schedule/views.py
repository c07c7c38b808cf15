"""The calendar of sessions in the user's scope."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("schedule", __name__, url_prefix="/schedule")
