"""Pages of courses: plan, schedule sessions, enrol, cancel."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")
