"""Checking a password, throttled per account and per client, in the same time for unknown accounts.

Limits (failures, counted by trainer.core.throttle; a success clears the account's, never the client's):
- per account (the typed e-mail, known or not): 5 within 15 minutes lock it for up to 15 minutes,
  10 within an hour for up to an hour, 20 within a day for up to a day;
- per client (IPv4 address or IPv6 /64): 30 within 15 minutes, 100 within a day (an office or a
  commune hall shares one address, so more than for one account).
While locked, the password is not even checked, and the answer is 429 `too_many_attempts`:
"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút." (the real wait, rounded up).

An e-mail without an account goes the same way as a wrong password: the same look-up, a password
check against a stand-in hash made with the same method and cost, the same two failures recorded, the
same answer. A locked unknown e-mail is locked like a known one. A deactivated account with the right
password gets its own answer, `account_inactive` (only someone holding the password learns it).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import select

from trainer.accounts.models import User, password_matches, stand_in_hash
from trainer.core.db import utcnow
from trainer.core.errors import N_, DomainError
from trainer.core.throttle import Limit, TooManyAttempts, clear, keyed_hash, locked_until, record_failure
from trainer.extensions import db

ACCOUNT_SCOPE = "login.account"
CLIENT_SCOPE = "login.client"
ACCOUNT_LIMITS = (Limit(5, timedelta(minutes=15)), Limit(10, timedelta(hours=1)), Limit(20, timedelta(days=1)))
CLIENT_LIMITS = (Limit(30, timedelta(minutes=15)), Limit(100, timedelta(days=1)))


def email_key(email: str) -> str:
    """What an e-mail is looked up and throttled by: NFC, trimmed, lower case."""
    return unicodedata.normalize("NFC", email).strip().lower()


def account_key(email: str) -> str:
    """The keyed hash an account's failures are counted by (the e-mail itself is not stored)."""
    return keyed_hash("account", email_key(email))


def check_not_locked(email: str, client: str, *, now: datetime) -> None:
    """Raise TooManyAttempts while the account or the client is locked out. Two SELECTs."""
    ends = [until for until in (locked_until(ACCOUNT_SCOPE, account_key(email), ACCOUNT_LIMITS, now=now),
                                locked_until(CLIENT_SCOPE, client, CLIENT_LIMITS, now=now)) if until]
    if ends:
        raise TooManyAttempts(max(ends), now=now, what=N_("Đăng nhập sai"))


def _failed(email: str, client: str, now: datetime) -> None:
    record_failure(ACCOUNT_SCOPE, account_key(email), now=now)
    record_failure(CLIENT_SCOPE, client, now=now)


def authenticate(email: str, password: str, *, client: str, now: datetime | None = None) -> User:
    """The active user with this e-mail and password.

    The caller commits also when this raises: the failure must count. Raises TooManyAttempts
    (429 `too_many_attempts`), DomainError('invalid_credentials', 401) without saying which of the two
    was wrong, DomainError('account_inactive', 403).
    """
    now = now or utcnow()
    check_not_locked(email, client, now=now)
    user = db.session.scalar(select(User).where(User.email == email_key(email)))
    matches = password_matches(user.password_hash if user is not None else stand_in_hash(), password)
    if user is None or not matches:
        _failed(email, client, now)
        raise DomainError("invalid_credentials", N_("Email hoặc mật khẩu không đúng."), status=401)
    if not user.is_active:
        raise DomainError("account_inactive",
                          N_("Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ quản trị hệ thống."), status=403)
    clear(ACCOUNT_SCOPE, account_key(email))
    if user.password_needs_rehash():  # the configured method changed since: upgrade while we hold the password
        user.set_password(password)
    return user


def verify_current_password(user: User, password: str, *, client: str, now: datetime | None = None) -> None:
    """Check `user`'s current password before a change, throttled like a sign-in (a stolen session
    must not become a way to guess the password).

    The caller commits also when this raises. Raises TooManyAttempts, ValidationError-like
    DomainError('wrong_password', 422)."""
    now = now or utcnow()
    check_not_locked(user.email, client, now=now)
    if not user.check_password(password):
        _failed(user.email, client, now)
        message = N_("Mật khẩu hiện tại không đúng.")
        raise DomainError("wrong_password", message, fields={"current_password": message}, status=422)
