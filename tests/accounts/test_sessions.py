"""Sign-in sessions live on the server: logout and password changes make copied cookies useless."""

from __future__ import annotations

from datetime import timedelta

from flask_login.utils import encode_cookie
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.factories import PASSWORD, Factories
from trainer.accounts.models import LoginSession
from trainer.extensions import db

NEW_PASSWORD = "mây trắng ghế gỗ sông Lam"


def _login(client, email: str, *, remember: bool = False, base_url: str = "http://localhost"):
    token = csrf_token_from(client.get("/login", base_url=base_url).get_data(as_text=True))
    data = {"email": email, "password": PASSWORD, "csrf_token": token, **({"remember": "y"} if remember else {})}
    # Over HTTPS Flask-WTF also wants a same-site Referer, as a browser sends.
    response = client.post("/login", data=data, base_url=base_url, headers={"Referer": f"{base_url}/login"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def _logout(client) -> None:
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def _replay(app, cookies: dict[str, str]):
    """A fresh browser that sends only these cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_logout_makes_a_copied_session_cookie_useless(app, f: Factories):
    user = f.user("admin")
    client = app.test_client()
    login(client, user.email)
    copied = {"session": client.get_cookie("session").value}
    assert _signed_in(_replay(app, copied))  # the copy works while the session lives...
    _logout(client)
    thief = _replay(app, copied)
    assert not _signed_in(thief)  # ...and not after the logout
    assert thief.get("/api/v1/me").status_code == 401
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_logout_makes_a_remembered_cookie_useless(app, f: Factories, clock_at):
    user = f.user("admin")
    client = app.test_client()
    _login(client, user.email, remember=True)
    cookie = client.get_cookie("session")
    assert cookie.expires is not None and cookie.expires - clock_at.now() > timedelta(days=29)
    assert client.get_cookie("remember_token") is None  # Flask-Login's year-long cookie is never set
    copied = {"session": cookie.value}
    _logout(client)
    assert not _signed_in(_replay(app, copied))


def test_a_flask_login_remember_cookie_alone_signs_nobody_in(app, f: Factories):
    user = f.user("admin")
    with app.test_request_context():
        forged = encode_cookie(str(user.id))  # what an old browser may still hold, validly signed
    thief = _replay(app, {"remember_token": forged})
    assert not _signed_in(thief)
    assert thief.get("/api/v1/me").status_code == 401


def test_session_cookie_is_httponly_lax_and_secure_over_https(app, f: Factories):
    user = f.user("admin")
    plain = _login(app.test_client(), user.email)
    header = next(h for h in plain.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    secure = _login(app.test_client(), user.email, base_url="https://localhost")
    header = next(h for h in secure.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" in header
    app.config["SESSION_COOKIE_SECURE"] = True  # as ProductionConfig sets it
    configured = _login(app.test_client(), user.email)
    assert "Secure" in next(h for h in configured.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_a_sign_in_without_remember_ends_after_a_working_day(app, f: Factories, clock_at):
    user = f.user("admin")
    client = app.test_client()
    _login(client, user.email)
    assert client.get_cookie("session").expires is None  # gone with the browser
    clock_at.advance(8 * 3600 - 1)
    assert _signed_in(client)
    clock_at.advance(1)
    assert not _signed_in(client)


def test_a_remembered_sign_in_lasts_thirty_days(app, f: Factories, clock_at):
    user = f.user("admin")
    client = app.test_client()
    _login(client, user.email, remember=True)
    clock_at.advance(30 * 24 * 3600 - 1)
    assert _signed_in(client)
    clock_at.advance(1)
    assert not _signed_in(client)


def test_password_change_signs_out_every_other_session_and_keeps_this_one(app, f: Factories):
    user = f.user("organizer", f.tree()["district"])
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user.email)
    login(phone, user.email)
    old_laptop_cookie = {"session": laptop.get_cookie("session").value}
    token = csrf_token_from(laptop.get("/account/password").get_data(as_text=True))
    response = laptop.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                      "confirm": NEW_PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert not _signed_in(_replay(app, old_laptop_cookie))  # this browser got a new key too
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert user.password_changed_at is not None


def test_password_change_needs_the_current_password_and_counts_failures(app, f: Factories, clock_at):
    user = f.user("organizer", f.tree()["district"])
    client = app.test_client()
    login(client, user.email)
    token = csrf_token_from(client.get("/account/password").get_data(as_text=True))
    data = {"current_password": "not my password", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
            "csrf_token": token}
    answers = [client.post("/account/password", data=data) for _ in range(6)]
    assert [a.status_code for a in answers] == [422] * 5 + [429]
    assert "Mật khẩu hiện tại không đúng." in answers[0].get_data(as_text=True)
    assert "Đăng nhập sai quá nhiều lần" in answers[5].get_data(as_text=True)
    right = client.post("/account/password", data={**data, "current_password": PASSWORD})
    assert right.status_code == 429  # the lock-out covers the current password too
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_password_change_refuses_a_weak_or_mismatched_new_password(app, f: Factories):
    user = f.user("organizer", f.tree()["district"])
    client = app.test_client()
    login(client, user.email)
    token = csrf_token_from(client.get("/account/password").get_data(as_text=True))
    base = {"current_password": PASSWORD, "csrf_token": token}
    weak = client.post("/account/password", data={**base, "new_password": "aaaaaaaaaa", "confirm": "aaaaaaaaaa"})
    assert weak.status_code == 422 and "Mật khẩu quá dễ đoán" in weak.get_data(as_text=True)
    mismatch = client.post("/account/password", data={**base, "new_password": NEW_PASSWORD, "confirm": "other"})
    assert mismatch.status_code == 422 and "Hai lần nhập không khớp." in mismatch.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD) and _signed_in(client)


def test_sign_out_every_other_session_from_the_account_page(app, f: Factories):
    user = f.user("reviewer", f.tree()["province"])
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user.email)
    login(phone, user.email)
    page = laptop.get("/account").get_data(as_text=True)
    assert page.count("<tr><td") == 2 and "phiên này" in page
    response = laptop.post("/account/sessions/end-others", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert "Đã đăng xuất 1 phiên khác." in laptop.get("/account").get_data(as_text=True)
    assert _signed_in(laptop) and not _signed_in(phone)


def test_signing_in_deletes_the_users_expired_sessions(app, f: Factories, clock_at):
    user = f.user("admin")
    login(app.test_client(), user.email)
    clock_at.advance(9 * 3600)
    login(app.test_client(), user.email)
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_the_account_pages_follow_the_language(app, f: Factories):
    user = f.user("admin")
    client = app.test_client()
    login(client, user.email)
    english = client.get("/account?lang=en").get_data(as_text=True)
    assert "My account" in english and "Sign out every other session" not in english  # one session only
    assert "Change password" in client.get("/account/password").get_data(as_text=True)
    assert "Tài khoản của tôi" in client.get("/account?lang=vi").get_data(as_text=True)


def test_a_session_names_its_browser_and_system():
    samples = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 "
        "Edg/120.0": "Edge · Windows",
        "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile "
        "Safari/537.36": "Chrome · Android",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.2 Mobile/15E148 Safari/604.1": "Safari · iOS",
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0": "Firefox · Linux",
        "curl/8.5.0": "curl/8.5.0",
    }
    assert {ua: LoginSession(user_agent=ua).device for ua in samples} == samples
