"""Pages of participants: the registry of officers to train."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("participants", __name__, url_prefix="/participants")
