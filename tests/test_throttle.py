"""trainer.core.throttle: failed attempts counted in the database, keyed by HMACs, shared by every worker."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.sql import count_statements
from trainer.core import throttle
from trainer.core.permissions import public
from trainer.core.throttle import (
    Limit,
    ThrottleFailure,
    TooManyAttempts,
    clear,
    client_key,
    failures,
    is_limited,
    keyed_hash,
    locked_until,
    record_failure,
    wait_text,
)
from trainer.extensions import db

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
SCOPE = "test.scope"


def _rows() -> list[ThrottleFailure]:
    return list(db.session.scalars(select(ThrottleFailure).order_by(ThrottleFailure.id)))


def test_client_key_is_an_hmac_of_the_address_under_the_secret(app):
    key = client_key("203.0.113.7")
    expected = hmac.new(b"testing-secret-key", b"client\x00203.0.113.7", hashlib.sha256).hexdigest()
    assert key == expected and "203.0.113.7" not in key
    assert client_key("203.0.113.8") != key
    app.config["SECRET_KEY"] = "another secret"
    assert client_key("203.0.113.7") != key  # without the secret a stored key cannot be tested against a guess


def test_client_key_counts_an_ipv6_network_and_mapped_ipv4_as_one_client(app):
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::99")  # one /64
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:198.51.100.4") == client_key("198.51.100.4")
    assert client_key(None) == client_key("not an address") == keyed_hash("client", "unknown")


def test_only_keyed_hashes_are_stored(app):
    record_failure("login.account", keyed_hash("account", "an@example.vn"), now=T0)
    record_failure("login.client", client_key("203.0.113.7"), now=T0)
    stored = " ".join(f"{row.scope} {row.key_hash}" for row in _rows())
    assert "an@example.vn" not in stored and "203.0.113.7" not in stored
    assert all(len(row.key_hash) == 64 for row in _rows())


def test_failures_count_inside_the_window_only(app):
    key = keyed_hash("x", "a")
    for minutes in (0, 5, 10):
        record_failure(SCOPE, key, now=T0 + minutes * MIN)
    record_failure("other.scope", key, now=T0 + 10 * MIN)
    record_failure(SCOPE, keyed_hash("x", "b"), now=T0 + 10 * MIN)
    now = T0 + 15 * MIN
    assert failures(SCOPE, key, window=15 * MIN, now=now) == 2  # the one of T0 is exactly 15 minutes old: out
    assert failures(SCOPE, key, window=16 * MIN, now=now) == 3
    assert failures(SCOPE, key, window=6 * MIN, now=now) == 1


def test_is_limited_at_the_limit(app):
    key = keyed_hash("x", "a")
    for i in range(4):
        record_failure(SCOPE, key, now=T0 + i * MIN)
    assert not is_limited(SCOPE, key, limit=5, window=15 * MIN, now=T0 + 4 * MIN)
    record_failure(SCOPE, key, now=T0 + 4 * MIN)
    assert is_limited(SCOPE, key, limit=5, window=15 * MIN, now=T0 + 4 * MIN)
    assert not is_limited(SCOPE, key, limit=5, window=15 * MIN, now=T0 + 15 * MIN)  # the first aged out


def test_locked_until_grows_with_the_tiers(app):
    key = keyed_hash("x", "a")
    tiers = (Limit(5, 15 * MIN), Limit(10, 60 * MIN))
    assert locked_until(SCOPE, key, tiers, now=T0) is None
    for _ in range(5):
        record_failure(SCOPE, key, now=T0)
    assert locked_until(SCOPE, key, tiers, now=T0) == T0 + 15 * MIN
    assert locked_until(SCOPE, key, tiers, now=T0 + 15 * MIN) is None
    for _ in range(5):
        record_failure(SCOPE, key, now=T0 + 15 * MIN)
    assert locked_until(SCOPE, key, tiers, now=T0 + 15 * MIN) == T0 + 60 * MIN  # the 10th newest + 1 hour
    assert locked_until(SCOPE, key, tiers, now=T0 + 60 * MIN) is None


def test_each_call_is_one_statement(app):
    key = keyed_hash("x", "a")
    calls = {
        "failures": lambda: failures(SCOPE, key, window=15 * MIN, now=T0),
        "is_limited": lambda: is_limited(SCOPE, key, limit=5, window=15 * MIN, now=T0),
        "locked_until": lambda: locked_until(SCOPE, key, (Limit(5, 15 * MIN), Limit(20, 60 * MIN)), now=T0),
        "record_failure": lambda: record_failure(SCOPE, key, now=T0),
        "clear": lambda: clear(SCOPE, key),
    }
    db.session.execute(text("SELECT 1"))  # the transaction's BEGIN is not the calls' own
    for name, call in calls.items():
        with count_statements() as seen:
            call()
        assert len(seen) == 1, (name, seen)


def test_every_sixteenth_failure_purges_rows_past_the_retention(app):
    old_key, new_key = keyed_hash("x", "old"), keyed_hash("x", "new")
    record_failure(SCOPE, old_key, now=T0 - timedelta(days=2))
    record_failure(SCOPE, old_key, now=T0 - timedelta(hours=23))  # inside the one-day retention: kept
    db.session.execute(text("SELECT 1"))
    statements = []
    for _ in range(throttle.PURGE_EVERY):
        with count_statements() as seen:
            record_failure(SCOPE, new_key, now=T0)
        statements.append(len(seen))
    assert sorted(statements) == [1] * (throttle.PURGE_EVERY - 1) + [2]
    kept = [row.failed_at for row in _rows() if row.key_hash == old_key]
    assert kept == [T0 - timedelta(hours=23)]
    assert failures(SCOPE, new_key, window=MIN, now=T0 + timedelta(seconds=1)) == throttle.PURGE_EVERY


def test_the_index_serves_the_count_and_the_purge(app):
    key = keyed_hash("x", "a")
    for i in range(50):
        record_failure(SCOPE, keyed_hash("x", str(i)), now=T0)
    db.session.commit()
    count = select(func.count()).where(ThrottleFailure.scope == SCOPE, ThrottleFailure.key_hash == key,
                                       ThrottleFailure.failed_at > T0 - MIN)
    purge = select(ThrottleFailure.id).where(ThrottleFailure.failed_at <= T0 - timedelta(days=1))
    connection = db.session.connection()
    plans = []
    for stmt in (count, purge):
        sql = str(stmt.compile(connection, compile_kwargs={"literal_binds": True}))
        if connection.dialect.name == "sqlite":
            plans.append(" ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")))
        else:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table: ask what it could use
            plans.append(" ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}")))
    assert "ix_throttle_failures_scope_key" in plans[0], plans[0]
    assert "ix_throttle_failures_failed_at" in plans[1], plans[1]


def test_record_failure_flushes_and_the_commit_shares_it_with_other_workers(app):
    key = keyed_hash("x", "a")
    record_failure(SCOPE, key, now=T0)
    db.session.rollback()  # not committed by itself
    assert failures(SCOPE, key, window=MIN, now=T0) == 0
    record_failure(SCOPE, key, now=T0)
    db.session.commit()
    other = create_engine(db.engine.url)  # another process's connection
    try:
        with other.connect() as conn:
            assert conn.execute(select(func.count()).select_from(ThrottleFailure.__table__)
                                .where(ThrottleFailure.__table__.c.key_hash == key)).scalar() == 1
    finally:
        other.dispose()


def test_clear_forgets_one_key_in_one_scope(app):
    a, b = keyed_hash("x", "a"), keyed_hash("x", "b")
    for scope, key in ((SCOPE, a), (SCOPE, b), ("other.scope", a)):
        record_failure(scope, key, now=T0)
    clear(SCOPE, a)
    assert failures(SCOPE, a, window=MIN, now=T0) == 0
    assert failures(SCOPE, b, window=MIN, now=T0) == 1 and failures("other.scope", a, window=MIN, now=T0) == 1


def test_a_window_longer_than_the_retention_is_refused(app):
    with pytest.raises(ValueError, match="THROTTLE_RETENTION"):
        failures(SCOPE, "k", window=timedelta(days=2), now=T0)
    app.config["THROTTLE_RETENTION"] = 3 * 24 * 3600
    assert failures(SCOPE, "k", window=timedelta(days=2), now=T0) == 0


def test_too_many_attempts_says_how_long_to_wait():
    error = TooManyAttempts(T0 + timedelta(minutes=14, seconds=1), now=T0, what="Đăng nhập sai")
    assert error.code == "too_many_attempts" and error.status == 429 and error.retry_after == 841
    assert error.message == "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
    assert [wait_text(s) for s in (30, 60, 61, 5400, 5401, 86400)] == [
        "30 giây", "1 phút", "2 phút", "90 phút", "2 giờ", "24 giờ"]


def test_the_api_answers_429_too_many_attempts(app, client):
    @public
    def guarded():
        raise TooManyAttempts(T0 + 15 * MIN, now=T0)

    app.add_url_rule("/api/v1/_throttle_probe", "throttle_probe", guarded)
    response = client.get("/api/v1/_throttle_probe")
    assert response.status_code == 429
    assert response.json["error"] == {"code": "too_many_attempts",
                                      "message": "Nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."}
