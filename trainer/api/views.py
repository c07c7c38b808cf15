"""API-wide routes: the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, request

from trainer.api.openapi import build_spec
from trainer.core.permissions import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
@public
def openapi():
    """The OpenAPI 3 document of the whole API (public: the contract says so; it holds no data)."""
    return build_spec(request.host_url.rstrip("/"))
