"""Failed attempts counted in the database, for every worker at once: sign-ins, typed check-in codes.

A caller names a *scope* ("login.account", "checkin.client"...) and a *key*, a keyed hash (HMAC-SHA256
with the app's SECRET_KEY) of what it counts by: `client_key(remote_addr)` for a client's network,
`keyed_hash(kind, value)` for anything else (an account's e-mail). Neither an address nor an e-mail is
stored, and without the secret a stored key cannot be tested against a guess.

    until = locked_until(SCOPE, key, LIMITS, now=now)      # one SELECT
    if until: raise TooManyAttempts(until, now=now, what="Đăng nhập sai")
    ...check the secret...
    record_failure(SCOPE, key, now=now)                    # one INSERT (and now and then one DELETE)
    db.session.commit()                                    # before answering the 401/429: it must count

Counts live in the table `throttle_failures` (one row per failure); gunicorn workers share them and
no process keeps a cache. The index (scope, key_hash, failed_at) answers every count and look-up
with a range scan of that key's rows only. Rows older than THROTTLE_RETENTION (seconds, default one
day: the longest window any caller may ask about) are deleted by every PURGE_EVERY-th failure, by an
index range on failed_at, never a full scan.

Windows slide: a failure counts while it is younger than the window (`failed_at > now - window`).
Two attempts that arrive at once may both pass the check before either records its failure, so a
limit can be overrun by the number of requests in flight (a handful per worker), never more.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import BigInteger, Index, Integer, String, bindparam, delete, func, insert, literal, select
from sqlalchemy.orm import Mapped, mapped_column

from trainer.core.errors import N_, DomainError, Phrase
from trainer.extensions import db

PURGE_EVERY = 16  # every 16th recorded failure also deletes the rows past the retention
DEFAULT_RETENTION = 24 * 3600


class ThrottleFailure(db.Model):
    """One failed attempt of a client or an account: only a keyed hash says whose."""

    __tablename__ = "throttle_failures"
    __table_args__ = (Index("ix_throttle_failures_scope_key", "scope", "key_hash", "failed_at"),)

    # BIGINT on PostgreSQL (an attack adds rows fast); SQLite needs INTEGER for its rowid alias.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(index=True)  # the purge's range


@dataclass(frozen=True)
class Limit:
    """At most `limit` failures within `window`; `limit` failures lock until the oldest of them ages out."""

    limit: int
    window: timedelta


class TooManyAttempts(DomainError):
    """429 `too_many_attempts`, with the wait in the message and in `retry_after` (whole seconds)."""

    status = 429

    def __init__(self, until: datetime, *, now: datetime, what: str = N_("Nhập sai")) -> None:
        """`what` (a msgid) names what was wrong too often."""
        self.retry_after = max(1, math.ceil((until - now).total_seconds()))
        super().__init__("too_many_attempts", N_("%(what)s quá nhiều lần. Vui lòng thử lại sau %(wait)s."),
                         params={"what": Phrase(what), "wait": wait_phrase(self.retry_after)})
        self.until = until


def wait_phrase(seconds: int) -> Phrase:
    """A wait, rounded up: "45 giây", "15 phút", "2 giờ" (in the message's language)."""
    if seconds < 60:
        return Phrase(N_("%(n)s giây"), {"n": seconds})
    minutes = math.ceil(seconds / 60)
    if minutes <= 90:
        return Phrase(N_("%(n)s phút"), {"n": minutes})
    return Phrase(N_("%(n)s giờ"), {"n": math.ceil(minutes / 60)})


def wait_text(seconds: int) -> str:
    """A wait in Vietnamese, rounded up: "45 giây", "15 phút", "2 giờ"."""
    return wait_phrase(seconds).written("vi")


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 (hex) of `value` under the app's SECRET_KEY; `kind` keeps kinds of values apart."""
    secret = current_app.config["SECRET_KEY"]
    return hmac.new(secret.encode(), f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def client_network(remote_addr: str | None) -> str:
    """What a client is counted by: its IPv4 address, or its IPv6 /64 (one home or office network
    holds a whole /64, so counting single IPv6 addresses would let it rotate through them)."""
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_key(remote_addr: str | None) -> str:
    """The keyed hash of a client's network (see `client_network`)."""
    return keyed_hash("client", client_network(remote_addr))


def retention() -> timedelta:
    """How long failures are kept: the longest window a caller may count over."""
    return timedelta(seconds=int(current_app.config.get("THROTTLE_RETENTION", DEFAULT_RETENTION)))


def _check_window(window: timedelta) -> None:
    if window > retention():
        raise ValueError(f"window {window} is longer than THROTTLE_RETENTION ({retention()})")


def _recent(scope: str, key: str, window: timedelta, now: datetime):
    return (ThrottleFailure.scope == scope, ThrottleFailure.key_hash == key, ThrottleFailure.failed_at > now - window)


def failures(scope: str, key: str, *, window: timedelta, now: datetime) -> int:
    """How many failures of `key` in `scope` are younger than `window`. One SELECT."""
    _check_window(window)
    return db.session.scalar(select(func.count()).where(*_recent(scope, key, window, now))) or 0


def is_limited(scope: str, key: str, *, limit: int, window: timedelta, now: datetime) -> bool:
    """True when `key` has `limit` failures or more within `window`. One SELECT, reading at most `limit` rows."""
    _check_window(window)
    capped = select(literal(1)).where(*_recent(scope, key, window, now)).limit(limit).subquery()
    return (db.session.scalar(select(func.count()).select_from(capped)) or 0) >= limit


@cache
def _newest_stmt() -> Any:
    """The newest failures of a key in a scope since a time, newest first, at most :n (built once)."""
    return (select(ThrottleFailure.failed_at)
            .where(ThrottleFailure.scope == bindparam("scope"), ThrottleFailure.key_hash == bindparam("key"),
                   ThrottleFailure.failed_at > bindparam("since", type_=ThrottleFailure.failed_at.type))
            .order_by(ThrottleFailure.failed_at.desc()).limit(bindparam("n", type_=Integer())))


def locked_until(scope: str, key: str, limits: Sequence[Limit], *, now: datetime) -> datetime | None:
    """When the lock of `key` ends under the strictest of `limits`, or None when it is not locked.

    Several limits make a growing lock-out: e.g. 5 in 15 minutes, 10 in an hour, 20 in a day lock for
    up to 15 minutes, then an hour, then a day. One SELECT of the newest failures (at most the
    largest limit), served by the index in descending order; built once, as it runs before every
    anonymous check-in."""
    if not limits:
        return None
    longest = max(limit.window for limit in limits)
    _check_window(longest)
    newest = db.session.connection().execute(_newest_stmt(), {
        "scope": scope, "key": key, "since": now - longest, "n": max(limit.limit for limit in limits)}).scalars().all()
    ends = [newest[limit.limit - 1] + limit.window for limit in limits
            if len(newest) >= limit.limit and newest[limit.limit - 1] + limit.window > now]
    return max(ends) if ends else None


def record_failure(scope: str, key: str, *, now: datetime) -> None:
    """Count one failure (flushed, not committed: the caller commits, also before an error answer).
    One INSERT; every PURGE_EVERY-th also deletes the rows older than the retention."""
    row_id = db.session.scalar(insert(ThrottleFailure).values(scope=scope, key_hash=key, failed_at=now)
                               .returning(ThrottleFailure.id))
    if row_id is not None and row_id % PURGE_EVERY == 0:
        purge(now=now)


def purge(*, now: datetime) -> int:
    """Delete every failure older than the retention (an index range on failed_at); how many went."""
    result = db.session.execute(delete(ThrottleFailure).where(ThrottleFailure.failed_at <= now - retention())
                                .execution_options(synchronize_session=False))
    return result.rowcount or 0


def clear(scope: str, key: str) -> None:
    """Forget the failures of `key` in `scope` (e.g. an account's, once its owner signs in)."""
    db.session.execute(delete(ThrottleFailure).where(ThrottleFailure.scope == scope, ThrottleFailure.key_hash == key)
                       .execution_options(synchronize_session=False))
