"""Deactivation, reactivation and password resets by an admin (page and CLI)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.factories import PASSWORD, Factories
from trainer.accounts.models import ApiToken, LoginSession, User
from trainer.accounts.services import issue_api_token
from trainer.audit.models import AuditEntry
from trainer.extensions import db

NEW_PASSWORD = "mây trắng ghế gỗ sông Lam"


def _post(client, url: str, data: dict | None = None):
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def _login_form(client, email: str, password: str):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def _me(client, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _audit(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_deactivation_stops_sessions_and_tokens_at_once(app, f: Factories):
    admin, user = f.user("admin"), f.user("organizer", f.tree()["district"])
    token = issue_api_token(user)
    admin_browser, user_browser = app.test_client(), app.test_client()
    login(admin_browser, admin.email)
    login(user_browser, user.email)
    assert user_browser.get("/").status_code == 200 and _me(user_browser, token) == 200

    response = _post(admin_browser, f"/users/{user.id}/deactivate")
    assert response.status_code == 302 and response.headers["Location"] == f"/users/{user.id}"
    assert "Đã vô hiệu hóa" in admin_browser.get(f"/users/{user.id}").get_data(as_text=True)
    assert user_browser.get("/").status_code == 302  # signed out at once
    assert _me(app.test_client(), token) == 401
    refused = _login_form(app.test_client(), user.email, PASSWORD)
    assert refused.status_code == 422 and "đã bị vô hiệu hóa" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id)) == 0
    assert db.session.scalar(select(ApiToken.revoked_at)) is not None
    assert _audit("user.deactivate") == 1


def test_reactivation_lets_the_user_in_but_not_the_old_tokens(app, f: Factories):
    admin, user = f.user("admin"), f.user("reviewer", f.tree()["province"])
    token = issue_api_token(user)
    admin_browser = app.test_client()
    login(admin_browser, admin.email)
    _post(admin_browser, f"/users/{user.id}/deactivate")
    assert _post(admin_browser, f"/users/{user.id}/activate").status_code == 302
    assert _login_form(app.test_client(), user.email, PASSWORD).status_code == 302
    assert _me(app.test_client(), token) == 401
    assert _audit("user.activate") == 1


def test_an_admin_cannot_deactivate_or_reset_themselves(app, f: Factories):
    admin = f.user("admin")
    client = app.test_client()
    login(client, admin.email)
    _post(client, f"/users/{admin.id}/deactivate")
    assert "Bạn không thể tự vô hiệu hóa" in client.get(f"/users/{admin.id}").get_data(as_text=True)
    _post(client, f"/users/{admin.id}/reset-password")
    assert client.get("/").status_code == 200
    db.session.refresh(admin)
    assert admin.is_active_account and not admin.must_change_password and admin.check_password(PASSWORD)


def test_a_reset_shows_a_temporary_password_once_and_signs_the_user_out(app, f: Factories):
    admin, user = f.user("admin"), f.user("organizer", f.tree()["district"])
    admin_browser, user_browser = app.test_client(), app.test_client()
    login(admin_browser, admin.email)
    login(user_browser, user.email)
    response = _post(admin_browser, f"/users/{user.id}/reset-password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Mật khẩu chỉ hiển thị một lần" in html
    temporary = html.split('id="temporary-password">')[1].split("<")[0]
    assert len(temporary) >= 16 and temporary not in admin_browser.get(f"/users/{user.id}").get_data(as_text=True)
    assert user_browser.get("/").status_code == 302
    assert _login_form(app.test_client(), user.email, PASSWORD).status_code == 422  # the old one is gone
    db.session.refresh(user)
    assert user.must_change_password and user.check_password(temporary)
    assert _audit("user.password_reset") == 1
    assert "Chờ đổi mật khẩu tạm thời" in admin_browser.get("/users").get_data(as_text=True)


def test_the_temporary_password_only_opens_the_choice_of_a_new_one(app, f: Factories, runner):
    user = f.user("organizer", f.tree()["district"])
    reset = runner.invoke(args=["users", "reset-password", user.email])
    assert reset.exit_code == 0
    temporary = reset.output.rsplit(": ", 1)[1].strip()
    client = app.test_client()
    first = _login_form(client, user.email, temporary)
    assert first.status_code == 302 and first.headers["Location"].startswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "Đặt mật khẩu mới" in page
    assert client.get("/api/v1/me").status_code == 401 and client.get("/courses/").status_code == 302  # not signed in
    token = csrf_token_from(page)
    weak = client.post("/login", data={"new_password": "aaaaaaaaaa", "confirm": "aaaaaaaaaa", "csrf_token": token})
    assert weak.status_code == 422 and "Mật khẩu quá dễ đoán" in weak.get_data(as_text=True)
    done = client.post("/login", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert done.status_code == 302 and client.get("/").status_code == 200
    db.session.refresh(user)
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert not user.check_password(temporary)


def test_the_choice_of_a_new_password_expires_and_can_be_abandoned(app, f: Factories, runner, clock_at):
    user = f.user("organizer", f.tree()["district"])
    temporary = runner.invoke(args=["users", "reset-password", user.email]).output.rsplit(": ", 1)[1].strip()
    client = app.test_client()
    _login_form(client, user.email, temporary)
    assert "Đặt mật khẩu mới" in client.get("/login").get_data(as_text=True)
    assert "Đặt mật khẩu mới" not in client.get("/login?restart=1").get_data(as_text=True)
    _login_form(client, user.email, temporary)
    clock_at.advance(10 * 60 + 1)
    assert "Đặt mật khẩu mới" not in client.get("/login").get_data(as_text=True)


def test_a_reset_lifts_a_sign_in_lock_out(app, f: Factories, runner, clock_at):
    user = f.user("admin")
    for _ in range(5):
        _login_form(app.test_client(), user.email, "wrong password")
    assert _login_form(app.test_client(), user.email, PASSWORD).status_code == 429
    temporary = runner.invoke(args=["users", "reset-password", user.email]).output.rsplit(": ", 1)[1].strip()
    assert _login_form(app.test_client(), user.email, temporary).status_code == 302


def test_cli_deactivates_and_activates(runner, client, f: Factories):
    user = f.user("reviewer", f.tree()["province"], email="rev@example.vn")
    token = issue_api_token(user)
    result = runner.invoke(args=["users", "deactivate", "REV@example.vn"])
    assert result.exit_code == 0 and "Deactivated rev@example.vn" in result.output
    assert _me(client, token) == 401
    assert db.session.scalar(select(User.is_active_account)) is False
    assert runner.invoke(args=["users", "activate", "rev@example.vn"]).exit_code == 0
    assert _login_form(client, "rev@example.vn", PASSWORD).status_code == 302
    assert runner.invoke(args=["users", "deactivate", "nobody@example.vn"]).exit_code != 0


def test_the_users_page_links_each_account_and_shows_its_state(app, f: Factories):
    admin, user = f.user("admin"), f.user("organizer", f.tree()["district"])
    user.is_active_account = False
    client = app.test_client()
    login(client, admin.email)
    html = client.get("/users").get_data(as_text=True)
    assert f'href="/users/{user.id}"' in html and "Đã vô hiệu hóa" in html and "Đang hoạt động" in html
    detail = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert "Kích hoạt lại" in detail and "Vô hiệu hóa tài khoản" not in detail
    assert client.get("/users/99999").status_code == 404
