"""Flask-Login wiring: session users and bearer-token users."""

from __future__ import annotations

from flask import Flask, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l

from trainer.accounts.models import User
from trainer.accounts.services import user_for_token
from trainer.extensions import db, login_manager


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer (nor parsing a Cookie header that
    is not there) for a request that brings no session cookie (API calls, a phone's first scan): it
    is only needed to read or write one."""

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        if app.secret_key and not (request.environ.get("HTTP_COOKIE")
                                   and request.cookies.get(self.get_cookie_name(app))):
            return self.session_class()
        return super().open_session(app, request)


def init_auth(app: Flask) -> None:
    """Register the user loaders and the login page."""
    app.session_interface = CookieSessions()
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "warning"
    # "strong" drops the session when the client's IP/user agent fingerprint changes.
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None

    @app.before_request
    def _bearer_token_user():
        # A request that presents a bearer token is judged by that token alone, even when the
        # browser also sends a session cookie: a bad token is a 401, never a fallback to the cookie.
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return
        g.auth_via_token = True
        # Flask-Login reads the request's user from g._login_user; setting it skips the session.
        g._login_user = user_for_token(token.strip()) or login_manager.anonymous_user()

