"""Use-cases of accounts: create users, check passwords, issue and resolve API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from trainer.accounts.models import ApiToken, Role, User
from trainer.audit.services import record_audit
from trainer.core.db import utcnow
from trainer.core.errors import DomainError, ValidationError
from trainer.core.text import clean_text
from trainer.extensions import db
from trainer.units.models import Unit

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "trn_"  # noqa: S105 - a marker, not a secret


def normalise_email(email: str) -> str:
    """Lower-cased, validated e-mail address. Raises ValidationError('invalid_email')."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError("invalid_email", "Địa chỉ email không hợp lệ.",
                              fields={"email": "Địa chỉ email không hợp lệ."}) from None


def create_user(email: str, role: Role, *, unit: Unit | None, password: str, full_name: str = "",
                actor: User | None = None) -> User:
    """Create a user. Organizers and reviewers need a unit; admins have none.

    Raises ValidationError('invalid_email' | 'unit_required' | 'password_too_short'),
    DomainError('email_taken').
    """
    email = normalise_email(email)
    if role is not Role.ADMIN and unit is None:
        raise ValidationError("unit_required", "Cán bộ tổ chức và cán bộ theo dõi phải gắn với một đơn vị.",
                              fields={"unit": "Chọn đơn vị."})
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password_too_short", f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.",
                              fields={"password": f"Ít nhất {MIN_PASSWORD_LENGTH} ký tự."})
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError("email_taken", "Email này đã có tài khoản.", fields={"email": "Email đã được dùng."})
    full_name = clean_text(full_name, "full_name", 120, label="họ và tên")
    user = User(email=email, role=role, unit=unit if role is not Role.ADMIN else None, full_name=full_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user.create", user, unit_id=user.unit_id, role=str(role))
    return user


def generate_password() -> str:
    """A random password for a new account, printed once."""
    return secrets.token_urlsafe(12)


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User:
    """The active user with this e-mail and password.

    Raises DomainError('invalid_credentials') without saying which of the two was wrong.
    """
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.check_password(password) or not user.is_active:
        raise DomainError("invalid_credentials", "Email hoặc mật khẩu không đúng.", status=401)
    user.last_login_at = now or utcnow()
    return user


def issue_api_token(user: User, *, name: str = "", actor: User | None = None,
                    expires_at: datetime | None = None) -> str:
    """Create an API token for `user` and return it; only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=ApiToken.hash_token(token), prefix=token[:12],
                            name=name, expires_at=expires_at))
    record_audit(actor or user, "api_token.create", user, unit_id=user.unit_id)
    return token


def user_for_token(token: str, *, now: datetime | None = None) -> User | None:
    """The active user owning a usable API token, or None (unknown, revoked or expired)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash_token(token)))
    if api_token is None or not api_token.is_usable(now) or not api_token.user.is_active:
        return None
    return api_token.user
