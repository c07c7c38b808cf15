"""Pages of reports: the Project 6 indicator dashboard and its exports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
