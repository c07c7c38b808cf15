"""JSON API of reports: the Project 6 indicators."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
