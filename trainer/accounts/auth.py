"""Flask-Login wiring: session users and bearer-token users."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import lazy_gettext as _l

from trainer.accounts.models import User
from trainer.accounts.services import user_for_token
from trainer.extensions import db, login_manager


def init_auth(app: Flask) -> None:
    """Register the user loaders and the login page."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "warning"
    # "strong" drops the session when the client's IP/user agent fingerprint changes.
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None

    @login_manager.request_loader
    def load_user_from_token(req) -> User | None:
        header = req.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        user = user_for_token(token.strip())
        if user is not None:
            g.auth_via_token = True
        return user

