"""Sign-in sessions kept on the server: a browser is signed in only while its row exists.

The signed session cookie carries the user's id (Flask-Login's `_user_id`) and a random key
(`_sid`); the row keeps the key's SHA-256 and an expiry: PERMANENT_SESSION_LIFETIME (30 days) when
"remember me" was ticked, LOGIN_SESSION_LIFETIME (8 hours) otherwise. Logging out deletes the row, so
a copy of the cookie taken before is worth nothing; a password change, a reset and a deactivation
delete every row of the user. Flask-Login's own remember cookie is never set: a remembered sign-in is
a cookie that outlives the browser, tied to its row like any other.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from trainer.accounts.models import LoginSession, User
from trainer.core.db import utcnow
from trainer.extensions import db

SESSION_KEY = "_sid"  # the key's name in Flask's session


def _lifetime(remember: bool) -> timedelta:
    name = "PERMANENT_SESSION_LIFETIME" if remember else "LOGIN_SESSION_LIFETIME"
    value = current_app.config[name]
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def start_login_session(user: User, *, remember: bool, user_agent: str = "", now: datetime | None = None) -> str:
    """Open a sign-in session for `user` and return its key (for the cookie only; the row keeps a
    hash). Also deletes the user's expired sessions."""
    now = now or utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at <= now)
                       .execution_options(synchronize_session=False))
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, key_hash=LoginSession.hash_key(key), remember=remember,
                                user_agent=user_agent[:200], created_at=now, expires_at=now + _lifetime(remember)))
    user.last_login_at = now
    db.session.flush()
    return key


def user_for_login_session(user_id: int, key: str, *, now: datetime | None = None) -> User | None:
    """The active user whose unexpired session has this key, or None. One SELECT."""
    return db.session.scalar(
        select(User).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == user_id, User.is_active_account.is_(True),
               LoginSession.key_hash == LoginSession.hash_key(key), LoginSession.expires_at > (now or utcnow())))


def end_login_session(key: str) -> None:
    """Sign out the browser holding `key`."""
    db.session.execute(delete(LoginSession).where(LoginSession.key_hash == LoginSession.hash_key(key))
                       .execution_options(synchronize_session=False))


def end_login_sessions(user: User, *, keep_key: str | None = None) -> int:
    """Sign `user` out everywhere (but for the browser holding `keep_key`); how many sessions ended."""
    stmt = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_key is not None:
        stmt = stmt.where(LoginSession.key_hash != LoginSession.hash_key(keep_key))
    return db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0
