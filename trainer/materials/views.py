"""Training materials attached to courses and curriculum modules."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("materials", __name__, url_prefix="/materials")
