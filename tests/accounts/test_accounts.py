"""Login, logout, API tokens, the users CLI and the users API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.factories import PASSWORD, Factories
from trainer.accounts.models import ApiToken, User
from trainer.accounts.services import issue_api_token
from trainer.audit.models import AuditEntry
from trainer.core.db import utcnow
from trainer.extensions import db


def _post_login(client, email: str, password: str):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_login_with_right_password_lands_on_dashboard(client, f: Factories):
    user = f.user("organizer", f.tree()["district"])
    response = _post_login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Huyện Tân Yên" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_vietnamese_message(client, f: Factories):
    user = f.user("admin")
    for email, password in ((user.email, "wrong password"), ("nobody@example.vn", PASSWORD)):
        response = _post_login(client, email, password)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Email hoặc mật khẩu không đúng." in html
        assert f'value="{email}"' in html  # what the user typed is kept
    assert client.get("/").status_code == 302  # still anonymous
    assert db.session.scalar(select(User.last_login_at).where(User.id == user.id)) is None


def test_login_without_csrf_token_is_refused(client, f: Factories):
    user = f.user("admin")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_login_next_stays_on_this_site(client, f: Factories):
    user = f.user("admin")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD,
                                                                   "csrf_token": token})
    assert response.headers["Location"] == "/"
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))})
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=/curricula/", data={"email": user.email, "password": PASSWORD,
                                                              "csrf_token": token})
    assert response.headers["Location"] == "/curricula/"


def test_logout_needs_a_post_with_csrf(client, f: Factories):
    user = f.user("reviewer", f.tree()["province"])
    login(client, user.email)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_password_is_stored_hashed(f: Factories, app):
    user = f.user("admin")
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("pbkdf2:")
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"  # what every other configuration uses
    user.set_password("another long password")
    assert user.password_hash.startswith("scrypt:") and user.check_password("another long password")


def test_api_token_authenticates_and_is_stored_hashed(client, f: Factories):
    user = f.user("reviewer", f.tree()["district"])
    token = issue_api_token(user)
    assert db.session.scalar(select(ApiToken.token_hash)) == ApiToken.hash_token(token) != token
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json["email"] == user.email and response.json["unit"]["code"] == "216"


def test_wrong_expired_and_revoked_tokens_get_401_json(client, f: Factories):
    user = f.user("admin")
    expired = issue_api_token(user, expires_at=utcnow() - timedelta(seconds=1))
    revoked = issue_api_token(user)
    db.session.scalars(select(ApiToken)).all()[-1].revoked_at = utcnow()
    for token in ("trn_not-a-real-token", "garbage", expired, revoked):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"
        assert "đăng nhập" in response.json["error"]["message"]


def test_bad_token_is_not_rescued_by_a_session_cookie(client, f: Factories):
    user = f.user("admin")
    login(client, user.email)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer trn_bad"}).status_code == 401


def test_api_write_with_session_cookie_needs_csrf_header(client, f: Factories):
    f.tree()
    user = f.user("admin")
    login(client, user.email)
    body = {"email": "new@example.vn", "role": "reviewer", "unit_code": "216", "password": "long enough pw"}
    assert client.post("/api/v1/users", json=body).status_code == 400
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/api/v1/users", json=body, headers={"X-CSRFToken": token}).status_code == 201


def test_users_api_creates_scoped_user_and_reports_bad_input(client, f: Factories):
    f.tree()
    token = issue_api_token(f.user("admin"))
    auth = {"Authorization": f"Bearer {token}"}
    count = db.session.scalar(select(func.count(User.id)))

    malformed = client.post("/api/v1/users", data="{not json", headers={**auth, "Content-Type": "application/json"})
    assert malformed.status_code == 400 and malformed.json["error"]["code"] == "malformed_json"
    unknown = client.post("/api/v1/users", json={"email": "a@example.vn", "role": "organizer", "unit_code": "99999"},
                          headers=auth)
    assert unknown.status_code == 422 and unknown.json["error"]["code"] == "unknown_unit"
    assert "99999" in unknown.json["error"]["fields"]["unit_code"]
    no_unit = client.post("/api/v1/users", json={"email": "a@example.vn", "role": "organizer"}, headers=auth)
    assert no_unit.status_code == 422 and no_unit.json["error"]["code"] == "unit_required"
    assert db.session.scalar(select(func.count(User.id))) == count  # nothing written

    created = client.post("/api/v1/users", json={"email": "B@Example.vn", "role": "organizer", "unit_code": "216"},
                          headers=auth)
    assert created.status_code == 201
    assert created.json["email"] == "b@example.vn" and len(created.json["password"]) >= 10
    again = client.post("/api/v1/users", json={"email": "b@example.vn", "role": "reviewer", "unit_code": "24"},
                        headers=auth)
    assert again.status_code == 409 and again.json["error"]["code"] == "email_taken"
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "user.create")) == 1


def test_cli_users_create_with_password_stdin_and_token(runner, f: Factories):
    f.tree()
    result = runner.invoke(args=["users", "create", "org@example.vn", "--role", "organizer", "--unit", "216",
                                 "--password-stdin"], input="a long password\n")
    assert result.exit_code == 0, result.output
    assert "Huyện Tân Yên" in result.output and "Password" not in result.output
    user = db.session.scalar(select(User).where(User.email == "org@example.vn"))
    assert user.check_password("a long password") and user.unit.code == "216"

    token = runner.invoke(args=["users", "token", "org@example.vn"])
    assert token.exit_code == 0 and token.output.strip().startswith("trn_")
    assert db.session.scalar(select(ApiToken.token_hash)) == ApiToken.hash_token(token.output.strip())


def test_cli_users_create_refuses_bad_input(runner, f: Factories):
    f.tree()
    unknown = runner.invoke(args=["users", "create", "x@example.vn", "--role", "reviewer", "--unit", "00000"])
    assert unknown.exit_code != 0 and "Không có đơn vị hành chính mã “00000”" in unknown.output
    missing = runner.invoke(args=["users", "create", "x@example.vn", "--role", "reviewer"])
    assert missing.exit_code != 0 and "phải gắn với một đơn vị" in missing.output
    assert runner.invoke(args=["users", "token", "nobody@example.vn"]).exit_code != 0
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_cli_generated_password_is_printed_once(runner):
    result = runner.invoke(args=["users", "create", "admin@example.vn", "--role", "admin"])
    assert result.exit_code == 0 and "Password (shown once):" in result.output
    password = result.output.rsplit(":", 1)[1].strip()
    assert db.session.scalar(select(User)).check_password(password)


def test_cli_demo_admin_is_created_once(runner):
    first = runner.invoke(args=["users", "demo-admin"])
    second = runner.invoke(args=["users", "demo-admin"])
    assert "password:" in first.output and "already exists" in second.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_admin_creates_user_in_the_web_form_and_errors_keep_input(client, f: Factories):
    f.tree()
    admin = f.user("admin")
    login(client, admin.email)
    token = csrf_token_from(client.get("/users/new").get_data(as_text=True))
    bad = client.post("/users/new", data={"email": "rev@example.vn", "role": "reviewer", "scheme": "2024",
                                          "unit_code": "999", "csrf_token": token})
    html = bad.get_data(as_text=True)
    assert "Không có đơn vị hành chính mã “999”" in html and 'value="rev@example.vn"' in html
    ok = client.post("/users/new", data={"email": "rev@example.vn", "role": "reviewer", "scheme": "2024",
                                         "unit_code": "24", "csrf_token": token})
    assert ok.status_code == 200 and "Mật khẩu chỉ hiển thị một lần" in ok.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "rev@example.vn")).unit.name == "Tỉnh Bắc Giang"


def test_tokens_page_shows_a_new_token_once(client, f: Factories):
    user = f.user("organizer", f.tree()["district"])
    login(client, user.email)
    token = csrf_token_from(client.get("/account/tokens").get_data(as_text=True))
    html = client.post("/account/tokens", data={"name": "script", "csrf_token": token}).get_data(as_text=True)
    shown = html.split('id="new-token">')[1].split("<")[0]
    assert shown.startswith("trn_") and client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {shown}"}).status_code == 200
    assert shown not in client.get("/account/tokens").get_data(as_text=True)
