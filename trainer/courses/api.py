"""JSON API of courses, sessions and enrolments."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("courses_api", __name__, url_prefix="/api/v1")
