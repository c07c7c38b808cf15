"""Role × scope expectations of the account endpoints added for issue 13 (see tests/matrix_helpers.py).

Every staff member reaches their own account pages; another user's API token is not found (404),
even for an admin (tokens are revoked on their owner's page, or by an admin with the CLI or by
deactivating the account). User administration is for admins only.
"""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import LOGIN, all_staff, only_admin

MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "accounts.account": ("GET", "/account", None, all_staff()),
    "accounts.password": ("GET", "/account/password", None, all_staff()),
    "accounts.end_other_sessions": ("POST", "/account/sessions/end-others", {}, all_staff(302)),
    "accounts.token_revoke": ("POST", lambda w: f"/account/tokens/{w['someone_token'].id}/revoke", {},
                              {"anon": LOGIN, **{role: 404 for role in ("admin", "organizer_in", "organizer_out",
                                                                        "reviewer_in", "reviewer_out")}}),
    "accounts.user_detail": ("GET", lambda w: f"/users/{w['someone'].id}", None, only_admin()),
    "accounts.user_reset_password": ("POST", lambda w: f"/users/{w['someone'].id}/reset-password", {},
                                     only_admin()),
    "accounts.user_deactivate": ("POST", lambda w: f"/users/{w['someone'].id}/deactivate", {}, only_admin(302)),
    "accounts.user_activate": ("POST", lambda w: f"/users/{w['someone'].id}/activate", {}, only_admin(302)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """Another staff member, with an API token, for the endpoints that act on someone."""
    from sqlalchemy import select

    from trainer.accounts.models import ApiToken
    from trainer.accounts.services import issue_api_token
    from trainer.extensions import db

    world["someone"] = f.user("reviewer", world["district"])
    issue_api_token(world["someone"], name="script")
    world["someone_token"] = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world["someone"].id)).one()
