"""Use-cases of accounts: create users, set and reset passwords, (de)activate, issue and revoke API tokens.

Signing in (throttled) is in signin.py, server-side sign-in sessions in login_sessions.py, the
password rule in passwords.py.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update

from trainer.accounts.login_sessions import end_login_sessions
from trainer.accounts.models import ApiToken, Role, User
from trainer.accounts.passwords import MIN_LENGTH, check_password_rule
from trainer.accounts.signin import ACCOUNT_SCOPE, account_key, verify_current_password
from trainer.audit.services import record_audit
from trainer.core.db import utcnow
from trainer.core.errors import N_, DomainError, NotFound, ValidationError
from trainer.core.text import clean_text
from trainer.core.throttle import clear
from trainer.extensions import db
from trainer.units.models import Unit

MIN_PASSWORD_LENGTH = MIN_LENGTH
TOKEN_PREFIX = "trn_"  # noqa: S105 - a marker, not a secret
# How stale a token's "last used" may get before a request writes it again (one write per token and
# interval, not per request).
TOKEN_USE_RESOLUTION = timedelta(minutes=10)


def normalise_email(email: str) -> str:
    """Lower-cased, validated e-mail address. Raises ValidationError('invalid_email')."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError("invalid_email", N_("Địa chỉ email không hợp lệ."),
                              fields={"email": N_("Địa chỉ email không hợp lệ.")}) from None


def get_user_by_email(email: str) -> User:
    """The user with this e-mail. Raises ValidationError('invalid_email'), NotFound('unknown_user')."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise NotFound("unknown_user", f"Không có tài khoản {email}.")
    return user


def create_user(email: str, role: Role, *, unit: Unit | None, password: str, full_name: str = "",
                actor: User | None = None) -> User:
    """Create a user. Organizers and reviewers need a unit; admins have none.

    Raises ValidationError('invalid_email' | 'unit_required' | 'password_too_short' | 'password_too_long' |
    'password_personal' | 'password_too_common'), DomainError('email_taken').
    """
    email = normalise_email(email)
    if role is not Role.ADMIN and unit is None:
        raise ValidationError("unit_required", N_("Cán bộ tổ chức và cán bộ theo dõi phải gắn với một đơn vị."),
                              fields={"unit": N_("Chọn đơn vị.")})
    check_password_rule(password, email=email, full_name=full_name)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError("email_taken", N_("Email này đã có tài khoản."), fields={"email": N_("Email đã được dùng.")})
    full_name = clean_text(full_name, "full_name", 120, label=N_("họ và tên"))
    user = User(email=email, role=role, unit=unit if role is not Role.ADMIN else None, full_name=full_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user.create", user, unit_id=user.unit_id, role=str(role))
    return user


def generate_password() -> str:
    """A random password (16 characters, about 96 bits), printed once."""
    return secrets.token_urlsafe(12)


def set_new_password(user: User, password: str, *, actor: User | None, now: datetime | None = None) -> None:
    """Give `user` a new password that passes the rule, and sign them out everywhere (the caller opens
    a new session for the browser that made the change).

    Raises the rule's ValidationErrors ('password_too_short', ...)."""
    check_password_rule(password, email=user.email, full_name=user.full_name)
    user.set_password(password)
    user.must_change_password = False
    user.password_changed_at = now or utcnow()
    end_login_sessions(user)
    record_audit(actor, "user.password_change", user)


def change_password(user: User, current: str, new: str, *, client: str, now: datetime | None = None) -> None:
    """`user` changes their own password, proving the current one first (throttled like a sign-in).
    Every session of theirs ends; the caller opens a new one for the browser that made the change.

    The caller commits also on 'wrong_password' and 'too_many_attempts' (the failure counts). Raises
    TooManyAttempts, DomainError('wrong_password'), the rule's ValidationErrors."""
    verify_current_password(user, current, client=client, now=now)
    set_new_password(user, new, actor=user, now=now)


def reset_password(user: User, *, actor: User | None, now: datetime | None = None) -> str:
    """An admin (or the CLI) gives `user` a temporary password, returned to be shown once: it only lets
    them choose a new one at their next sign-in. Signs them out everywhere and lifts a sign-in lock-out;
    their API tokens keep working.

    Raises DomainError('reset_own_password') for one's own account (use the password page)."""
    if actor is not None and actor.id == user.id:
        raise DomainError("reset_own_password", N_("Hãy đổi mật khẩu của chính bạn ở trang Tài khoản của tôi."))
    temporary = generate_password()
    user.set_password(temporary)
    user.must_change_password = True
    user.password_changed_at = now or utcnow()
    end_login_sessions(user)
    clear(ACCOUNT_SCOPE, account_key(user.email))
    record_audit(actor, "user.password_reset", user)
    return temporary


def deactivate_user(user: User, *, actor: User | None, now: datetime | None = None) -> None:
    """Stop `user` at once: no sign-in, every session ended, every API token revoked (a reactivated
    account starts without them). Idempotent.

    Raises DomainError('deactivate_self') for one's own account (an admin never locks themselves out)."""
    if actor is not None and actor.id == user.id:
        raise DomainError("deactivate_self", N_("Bạn không thể tự vô hiệu hóa tài khoản của mình."))
    if not user.is_active_account:
        return
    user.is_active_account = False
    end_login_sessions(user)
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now or utcnow()).execution_options(synchronize_session=False))
    record_audit(actor, "user.deactivate", user)


def activate_user(user: User, *, actor: User | None) -> None:
    """Let a deactivated user sign in again (with the password they had). Idempotent."""
    if user.is_active_account:
        return
    user.is_active_account = True
    record_audit(actor, "user.activate", user)


def token_days_allowed() -> tuple[int, int]:
    """(default, maximum) lifetime of a new API token in days (API_TOKEN_DAYS, API_TOKEN_MAX_DAYS)."""
    return int(current_app.config["API_TOKEN_DAYS"]), int(current_app.config["API_TOKEN_MAX_DAYS"])


def issue_api_token(user: User, *, name: str = "", actor: User | None = None, days: int | None = None,
                    expires_at: datetime | None = None, now: datetime | None = None) -> str:
    """Create an API token for `user` and return it; only its hash is stored. It expires after `days`
    (default API_TOKEN_DAYS, at most API_TOKEN_MAX_DAYS) or at `expires_at`.

    Raises ValidationError('invalid_token_days')."""
    now = now or utcnow()
    default_days, max_days = token_days_allowed()
    if expires_at is None:
        days = default_days if days is None else days
        if not 1 <= days <= max_days:
            message = N_("Thời hạn của mã phải từ 1 đến %(max)s ngày.")
            raise ValidationError("invalid_token_days", message, fields={"days": message}, params={"max": max_days})
        expires_at = now + timedelta(days=days)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=ApiToken.hash_token(token), prefix=token[:12],
                            name=name.strip()[:100], expires_at=expires_at, created_at=now))
    record_audit(actor or user, "api_token.create", user, unit_id=user.unit_id)
    return token


def find_api_token(user: User, ref: str) -> ApiToken:
    """One of `user`'s tokens by its number or its first characters (as listed).

    Raises NotFound('unknown_token')."""
    ref = ref.strip().rstrip("…").rstrip(".")
    clause = ApiToken.id == int(ref) if ref.isdigit() else ApiToken.prefix == ref
    found = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, clause)).all()
    if len(found) != 1:
        raise NotFound("unknown_token", N_("Không tìm thấy mã “%(ref)s” của tài khoản này."), params={"ref": ref})
    return found[0]


def revoke_api_token(api_token: ApiToken, *, actor: User | None, now: datetime | None = None) -> None:
    """Revoke a token at once (idempotent: the first revocation's time is kept)."""
    if api_token.revoked_at is None:
        api_token.revoked_at = now or utcnow()
        record_audit(actor, "api_token.revoke", api_token.user, unit_id=api_token.user.unit_id,
                     token_id=api_token.id)


def api_token_for(token: str, *, now: datetime | None = None) -> ApiToken | None:
    """The usable token (not revoked, not expired, of an active user) matching `token`, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash_token(token)))
    if api_token is None or not api_token.is_usable(now) or not api_token.user.is_active:
        return None
    return api_token


def note_token_use(api_token: ApiToken, *, now: datetime | None = None) -> bool:
    """Update the token's "last used" when it is older than TOKEN_USE_RESOLUTION; True when it changed
    (the caller commits)."""
    now = now or utcnow()
    if api_token.last_used_at is not None and now - api_token.last_used_at < TOKEN_USE_RESOLUTION:
        return False
    api_token.last_used_at = now
    return True
