"""Migration of accounts (issue 13): tokens made before it get an expiry; users keep their rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from tests.test_migrations import _flask, empty_database_url  # noqa: F401 - the fixture


def test_tokens_without_expiry_get_90_days_and_users_keep_their_rows(empty_database_url):  # noqa: F811
    assert _flask(empty_database_url, "db", "upgrade", "0006").returncode == 0
    engine = create_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO users (id, email, full_name, password_hash, role, is_active_account, "
                              "created_at, updated_at) VALUES (1, 'a@example.vn', '', 'x', 'admin', true, "
                              "'2026-01-01', '2026-01-01')"))
            conn.execute(text("INSERT INTO api_tokens (user_id, token_hash, prefix, name, created_at, updated_at) "
                              "VALUES (1, 'h', 'trn_x', 'old', '2026-01-01', '2026-01-01')"))
            conn.execute(text("INSERT INTO audit_log (at, actor_id, action, object_type, details) "
                              "VALUES ('2026-01-01', 1, 'user.create', 'User', '{}')"))  # a row referencing the user
        before = datetime.now(UTC)
        upgrade = _flask(empty_database_url, "db", "upgrade")
        assert upgrade.returncode == 0, upgrade.stderr
        with engine.connect() as conn:
            expires = conn.execute(text("SELECT expires_at FROM api_tokens")).scalar_one()
            user = conn.execute(text("SELECT email, must_change_password FROM users")).one()
        expires = expires if isinstance(expires, datetime) else datetime.fromisoformat(expires)
        expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
        assert before + timedelta(days=90) - timedelta(minutes=5) < expires < before + timedelta(days=90, minutes=5)
        assert user[0] == "a@example.vn" and not user[1]
        downgrade = _flask(empty_database_url, "db", "downgrade", "0006")
        assert downgrade.returncode == 0, downgrade.stderr
    finally:
        engine.dispose()
