"""JSON API of participants."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("participants_api", __name__, url_prefix="/api/v1")
