"""Rotating session check-in tokens: derived from a per-session secret and signed, never stored.

A token names its session and a time window (`TRAINER_CHECKIN_QR_ROTATE` seconds long). Its
signature is an HMAC over (session id, the session's check-in version, window) keyed by the
app's secret key and the session's own secret, so a token can neither be forged nor moved to
another session, and bumping `checkin_version` revokes every token already shown. A token is
accepted until `TRAINER_CHECKIN_TOKEN_TTL` seconds after its window opened.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import current_app

from trainer.core.errors import DomainError
from trainer.core.text import N_

TOKEN_RE = re.compile(r"^(\d{1,12})-(\d{1,12})-([a-z2-7]{16})$")
TYPED_CODE_DIGITS = 8  # see the README, "Check-in codes": guessing one takes years, not seconds


INVALID = N_("Mã QR không hợp lệ. Hãy quét lại mã trên màn chiếu.")
EXPIRED = N_("Mã QR đã hết hạn. Hãy quét lại mã mới trên màn chiếu.")


class TokenError(DomainError):
    """A token that cannot be used: `token_invalid` (400) or `token_expired` (410)."""


@dataclass(frozen=True)
class SessionToken:
    """A parsed token: which session, which window, when it stops being accepted."""

    session_id: int
    window: int
    issued_at: datetime
    expires_at: datetime


def _rotate() -> int:
    return max(1, int(current_app.config["CHECKIN_QR_ROTATE"]))


def _ttl() -> int:
    return max(1, int(current_app.config["CHECKIN_TOKEN_TTL"]))


@lru_cache(maxsize=4096)
def _key(app_secret: str, secret: str) -> bytes:
    """A session's HMAC key (the app's secret and the session's), derived once per process."""
    return hashlib.sha256(f"{app_secret}|{secret}".encode()).digest()


def _mac(app_secret: str, secret: str, version: int, session_id: int, window: int, purpose: str) -> bytes:
    key = _key(app_secret, secret)
    return hmac.new(key, f"{purpose}|{session_id}|{version}|{window}".encode(), hashlib.sha256).digest()


@lru_cache(maxsize=4096)
def _signature(app_secret: str, secret: str, version: int, session_id: int, window: int) -> str:
    """The QR signature of a session's window, computed once per process: a hall's forty phones
    send the same token within the same half minute."""
    return base64.b32encode(_mac(app_secret, secret, version, session_id, window, "qr")[:10]).decode().lower()


def window_at(now: datetime) -> int:
    """The rotation window containing `now`."""
    return int(now.timestamp()) // _rotate()


def window_start(window: int) -> datetime:
    """When a rotation window opened."""
    return datetime.fromtimestamp(window * _rotate(), UTC)


def make_token(session_id: int, secret: str, version: int, now: datetime) -> tuple[SessionToken, str]:
    """The token of the window containing `now`, and its expiry."""
    window = window_at(now)
    signature = _signature(current_app.config["SECRET_KEY"], secret, version, session_id, window)
    token = f"{session_id}-{window}-{signature}"
    issued = window_start(window)
    return SessionToken(session_id, window, issued, issued + timedelta(seconds=_ttl())), token


def parse_token(token: str) -> tuple[int, int, str]:
    """Split a token into (session id, window, signature). Raises TokenError('token_invalid')."""
    match = TOKEN_RE.match(token or "")
    if not match:
        raise TokenError("token_invalid", INVALID, status=400)
    return int(match.group(1)), int(match.group(2)), match.group(3)


def verify_token(token: str, secret: str, version: int, now: datetime) -> SessionToken:
    """Check a token's signature and age for the session it names.

    Raises TokenError('token_invalid' | 'token_expired'). A window from the future (beyond
    clock skew of one window) is invalid, not early: nobody could have been shown it.
    """
    session_id, window, signature = parse_token(token)
    expected = _signature(current_app.config["SECRET_KEY"], secret, version, session_id, window)
    if not hmac.compare_digest(expected, signature) or window > window_at(now) + 1:
        raise TokenError("token_invalid", INVALID, status=400)
    issued = window_start(window)
    expires = issued + timedelta(seconds=_ttl())
    if now >= expires:
        raise TokenError("token_expired", EXPIRED, status=410)
    return SessionToken(session_id, window, issued, expires)


def typed_code(session_id: int, secret: str, version: int, window: int) -> str:
    """The short numeric code shown beside the QR for phones that cannot scan (changes with the QR)."""
    number = int.from_bytes(_mac(current_app.config["SECRET_KEY"], secret, version, session_id, window,
                                 "typed")[:8], "big")
    return f"{number % 10**TYPED_CODE_DIGITS:0{TYPED_CODE_DIGITS}d}"


def typed_code_windows(now: datetime) -> range:
    """The windows whose typed codes are accepted at `now`: the one on the screen and the one before it
    (someone who started typing just before the code changed). Fewer live codes than QR tokens, which
    nobody types: each live code is one more chance for a guesser."""
    current = window_at(now)
    return range(current - 1, current + 1)


def format_typed_code(code: str) -> str:
    """The code as the projector shows it, in groups of four digits ("4821 0937")."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))
