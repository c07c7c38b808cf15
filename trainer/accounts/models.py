"""Users (admin, organizer, reviewer scoped to a unit), their sign-in sessions and hashed API tokens."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from trainer.accounts.passwords import normalise_password
from trainer.core.db import TimestampMixin, str_enum, utcnow
from trainer.core.errors import N_
from trainer.extensions import db

if TYPE_CHECKING:
    from trainer.units.models import Unit


class Role(enum.StrEnum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    REVIEWER = "reviewer"


ROLE_LABELS = {Role.ADMIN: N_("Quản trị hệ thống"), Role.ORGANIZER: N_("Cán bộ tổ chức lớp"),
               Role.REVIEWER: N_("Cán bộ theo dõi, báo cáo")}


class User(UserMixin, TimestampMixin, db.Model):
    """A staff account. Organizers and reviewers are scoped to a unit and everything below it."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None]
    # Set by an admin's reset: the temporary password only opens the page that replaces it.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    password_changed_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship()
    api_tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")
    login_sessions: Mapped[list[LoginSession]] = relationship(back_populates="user")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password` (werkzeug's scrypt unless PASSWORD_HASH_METHOD says otherwise)."""
        self.password_hash = generate_password_hash(normalise_password(password), method=password_hash_method())

    def check_password(self, password: str) -> bool:
        """True when `password` matches the stored hash."""
        return password_matches(self.password_hash, password)

    def password_needs_rehash(self) -> bool:
        """True when the stored hash was made with another method than the configured one."""
        return self.password_hash.split("$", 1)[0] != stand_in_hash().split("$", 1)[0]


def password_hash_method() -> str:
    """werkzeug's method string for new hashes (scrypt unless PASSWORD_HASH_METHOD says otherwise)."""
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


@lru_cache(maxsize=4)
def _stand_in_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def stand_in_hash() -> str:
    """A hash of a random password, made with the configured method (its parameters written out, as
    in every stored hash): what an unknown e-mail's password is checked against."""
    return _stand_in_hash(password_hash_method())


def password_matches(password_hash: str, password: str) -> bool:
    """The one place a password is checked against a hash (also against the stand-in hash of an
    unknown e-mail, so both cost the same time). Compared in NFC; a password stored before that rule
    in another form is tried as typed too."""
    composed = normalise_password(password)
    return check_password_hash(password_hash, composed) or (
        composed != password and check_password_hash(password_hash, password))


# (substring of the User-Agent, name), first match wins: Edge and Opera also say Chrome, Chrome says Safari.
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("CocCoc", "Cốc Cốc"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


class LoginSession(db.Model):
    """One signed-in browser. Its cookie carries a random key whose SHA-256 is stored here; the user
    loader accepts a cookie only while its row exists and has not expired, so deleting the row (logout,
    password change, reset, deactivation) signs that browser out at once, whatever the cookie says."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(200), default="")  # shown in the list of one's sessions
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="login_sessions")

    @property
    def device(self) -> str:
        """"Firefox · Windows": enough for a person to recognise their own browser in the list."""
        ua = self.user_agent
        browser = next((name for token, name in _BROWSERS if token in ua), "")
        system = next((name for token, name in _SYSTEMS if token in ua), "")
        return " · ".join(part for part in (browser, system) if part) or (ua[:40] or "?")

    @staticmethod
    def hash_key(key: str) -> str:
        """SHA-256 hex of a session key: keys are random, so a fast hash is enough."""
        return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(TimestampMixin, db.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to tell tokens apart
    name: Mapped[str] = mapped_column(String(100), default="")
    expires_at: Mapped[datetime]  # every token expires (API_TOKEN_DAYS by default)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="api_tokens")

    @staticmethod
    def hash_token(token: str) -> str:
        """SHA-256 hex of a token: tokens are random, so a fast hash is enough."""
        return hashlib.sha256(token.encode()).hexdigest()

    def is_usable(self, now: datetime | None = None) -> bool:
        """True unless revoked or expired."""
        now = now or utcnow()
        return self.revoked_at is None and self.expires_at > now

    def status(self, now: datetime | None = None) -> str:
        """"active", "expired" or "revoked"."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_usable(now) else "expired"
