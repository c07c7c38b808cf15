"""Flask-Login wiring: users of a server-side sign-in session, users of a bearer token, cookie flags."""

from __future__ import annotations

from flask import Flask, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l

from trainer.accounts.login_sessions import SESSION_KEY, user_for_login_session
from trainer.accounts.models import User
from trainer.accounts.services import api_token_for, note_token_use
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

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured (production) and whenever the request itself came over HTTPS."""
        return bool(super().get_cookie_secure(app) or request.is_secure)


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
        # The cookie is only a claim: the sign-in session must still exist on the server (logout,
        # password change and deactivation delete it). A Flask-Login remember cookie, which we never
        # set but an old browser may still send, carries no session key and is refused here.
        key = session.get(SESSION_KEY)
        if not user_id.isdigit() or not isinstance(key, str):
            return None
        return user_for_login_session(int(user_id), key)

    @app.before_request
    def _bearer_token_user():
        # A request that presents a bearer token is judged by that token alone, even when the
        # browser also sends a session cookie: a bad token is a 401, never a fallback to the cookie.
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return
        g.auth_via_token = True
        # Flask-Login reads the request's user from g._login_user; setting it skips the session.
        api_token = api_token_for(token.strip())
        if api_token is None:
            g._login_user = login_manager.anonymous_user()
            return
        g._login_user = api_token.user
        if note_token_use(api_token):
            # Bookkeeping of its own, at most once per token and TOKEN_USE_RESOLUTION, before the
            # request's work starts: "last used" must not depend on whether the request writes.
            db.session.commit()

