"""Session tokens: cannot be forged, replayed after expiry, or moved to another session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainer.attendance.tokens import (
    TokenError,
    format_typed_code,
    make_token,
    typed_code,
    typed_code_windows,
    verify_token,
    window_at,
)

NOW = datetime(2024, 10, 1, 1, 0, 0, tzinfo=UTC)


def test_token_verifies_until_ttl_after_its_window_opened(app):
    info, token = make_token(7, "secret-a", 1, NOW)
    assert verify_token(token, "secret-a", 1, NOW + timedelta(seconds=100)).session_id == 7
    assert info.expires_at == info.issued_at + timedelta(seconds=120)
    with pytest.raises(TokenError) as err:
        verify_token(token, "secret-a", 1, info.expires_at)
    assert err.value.code == "token_expired" and err.value.status == 410


def test_ttl_and_rotation_follow_configuration(app):
    app.config.update(CHECKIN_TOKEN_TTL=10, CHECKIN_QR_ROTATE=5)
    info, token = make_token(7, "s", 1, NOW)
    assert info.expires_at - info.issued_at == timedelta(seconds=10)
    assert make_token(7, "s", 1, NOW + timedelta(seconds=5))[1] != token
    with pytest.raises(TokenError):
        verify_token(token, "s", 1, NOW + timedelta(seconds=11))


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("a" if t[-1] != "a" else "b"),  # signature changed
    lambda t: "8" + t[1:],  # another session's id with this signature
    lambda t: t.replace("-", "-1", 1),  # another window
    lambda t: "garbage", lambda t: "",
])
def test_forged_tokens_are_invalid(app, tamper):
    _, token = make_token(7, "secret-a", 1, NOW)
    with pytest.raises(TokenError) as err:
        verify_token(tamper(token), "secret-a", 1, NOW)
    assert err.value.code == "token_invalid" and err.value.status == 400


def test_token_is_bound_to_the_session_secret_and_version(app):
    _, token = make_token(7, "secret-a", 1, NOW)
    for secret, version in (("secret-b", 1), ("secret-a", 2)):
        with pytest.raises(TokenError) as err:
            verify_token(token, secret, version, NOW)
        assert err.value.code == "token_invalid"


def test_future_windows_are_invalid(app):
    _, token = make_token(7, "s", 1, NOW + timedelta(minutes=10))
    with pytest.raises(TokenError) as err:
        verify_token(token, "s", 1, NOW)
    assert err.value.code == "token_invalid"


def test_typed_code_is_eight_digits_and_only_the_shown_and_previous_are_live(app):
    windows = list(typed_code_windows(NOW))
    assert windows == [window_at(NOW) - 1, window_at(NOW)]  # not the QR's four: nobody types an old code
    codes = {typed_code(7, "s", 1, w) for w in range(window_at(NOW) - 3, window_at(NOW) + 1)}
    assert all(len(c) == 8 and c.isdigit() for c in codes) and len(codes) == 4
    assert format_typed_code("48210937") == "4821 0937"
