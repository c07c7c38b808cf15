"""Printable documents of a course: roster and badges (PDF, .xlsx)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/courses")
