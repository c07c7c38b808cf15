"""Signing in: throttled per account and per client, the same path for unknown e-mails."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, Factories
from trainer.accounts import models as account_models
from trainer.accounts.signin import ACCOUNT_SCOPE, CLIENT_SCOPE, account_key
from trainer.core.throttle import ThrottleFailure, client_key
from trainer.extensions import db

LOCKED_15 = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."


class Browser:
    """One browser at one address, posting the real login form (CSRF token included)."""

    def __init__(self, client, address: str = "198.51.100.10") -> None:
        self.client, self.environ = client, {"REMOTE_ADDR": address}
        self.token = csrf_token_from(client.get("/login", environ_base=self.environ).get_data(as_text=True))

    def login(self, email: str, password: str):
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": self.token},
                                environ_base=self.environ)


def _failures(scope: str) -> int:
    return db.session.scalar(select(func.count()).select_from(ThrottleFailure).where(ThrottleFailure.scope == scope))


def test_the_61st_attempt_stays_refused_with_the_right_password_until_the_lock_out_ends(app, f: Factories, clock_at):
    user = f.user("admin")
    browser = Browser(app.test_client())
    answers = [browser.login(user.email, f"wrong password {i}").status_code for i in range(60)]
    assert answers == [422] * 5 + [429] * 55  # locked after the fifth failure; later ones are not even checked
    right = browser.login(user.email, PASSWORD)
    assert right.status_code == 429 and LOCKED_15 in right.get_data(as_text=True)
    assert right.headers["Retry-After"] == "900"
    clock_at.advance(15 * 60 - 1)
    assert browser.login(user.email, PASSWORD).status_code == 429
    clock_at.advance(1)
    assert browser.login(user.email, PASSWORD).status_code == 302  # the lock-out is over


def test_the_lock_out_grows_with_repeated_failures(app, f: Factories, clock_at):
    user = f.user("admin")
    browser = Browser(app.test_client())
    for _ in range(5):
        browser.login(user.email, "wrong password")
    clock_at.advance(15 * 60)
    for _ in range(5):
        assert browser.login(user.email, "wrong password").status_code == 422
    locked = browser.login(user.email, PASSWORD)
    assert locked.status_code == 429 and "sau 45 phút" in locked.get_data(as_text=True)  # an hour from the first
    clock_at.advance(45 * 60)
    assert browser.login(user.email, PASSWORD).status_code == 302


def test_a_success_clears_the_account_failures_but_not_the_client_ones(app, f: Factories, clock_at):
    user = f.user("admin")
    first = Browser(app.test_client())
    for _ in range(4):
        first.login(user.email, "wrong password")
    assert first.login(user.email, PASSWORD).status_code == 302
    assert _failures(ACCOUNT_SCOPE) == 0 and _failures(CLIENT_SCOPE) == 4
    second = Browser(app.test_client())
    for _ in range(4):
        assert second.login(user.email, "wrong password").status_code == 422
    assert second.login(user.email, PASSWORD).status_code == 302


def test_a_client_is_limited_across_accounts_and_others_are_not(app, f: Factories, clock_at):
    users = [f.user("admin") for _ in range(7)]
    spraying = Browser(app.test_client(), "203.0.113.9")
    for user in users[:6]:  # 6 accounts x 5 failures = 30, no account locked beyond its own
        for _ in range(5):
            assert spraying.login(user.email, "wrong password").status_code == 422
    refused = spraying.login(users[6].email, PASSWORD)
    assert refused.status_code == 429 and LOCKED_15 in refused.get_data(as_text=True)
    elsewhere = Browser(app.test_client(), "198.51.100.77")
    assert elsewhere.login(users[6].email, PASSWORD).status_code == 302


def test_an_office_behind_one_address_is_not_locked_by_a_few_mistakes(app, f: Factories, clock_at):
    staff = [f.user("admin") for _ in range(10)]
    for user in staff:  # ten colleagues behind one NAT, each mistyping twice
        browser = Browser(app.test_client(), "203.0.113.50")
        for _ in range(2):
            browser.login(user.email, "wrong password")
        assert browser.login(user.email, PASSWORD).status_code == 302


def test_unknown_and_known_emails_take_the_same_path(app, f: Factories, monkeypatch):
    user = f.user("admin")
    checked: list[str] = []
    real = account_models.check_password_hash

    def spy(password_hash: str, password: str) -> bool:
        checked.append(password_hash.split("$", 1)[0])
        return real(password_hash, password)

    monkeypatch.setattr(account_models, "check_password_hash", spy)
    browser = Browser(app.test_client())
    unknown = browser.login("nobody@example.vn", "wrong password")
    known = browser.login(user.email, "wrong password")
    method = user.password_hash.split("$", 1)[0]
    assert checked == [method, method]  # a hash of the same method and cost is checked for the unknown e-mail
    assert unknown.status_code == known.status_code == 422
    for response in (unknown, known):
        assert "Email hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert _failures(ACCOUNT_SCOPE) == 2 and _failures(CLIENT_SCOPE) == 2


def test_an_unknown_email_is_locked_like_a_known_one(app, clock_at):
    browser = Browser(app.test_client())
    answers = [browser.login("nobody@example.vn", "wrong password").status_code for _ in range(6)]
    assert answers == [422] * 5 + [429]


def test_the_account_is_counted_by_its_normalised_email_and_never_stored_in_clear(app, f: Factories, clock_at):
    user = f.user("admin", email="lan.nguyen@example.vn")
    browser = Browser(app.test_client(), "198.51.100.10")
    for typed in ("Lan.Nguyen@example.vn", " lan.nguyen@EXAMPLE.vn ", "lan.nguyen@example.vn", "LAN.NGUYEN@example.vn",
                  "lan.nguyen@example.vn"):
        browser.login(typed, "wrong password")
    assert browser.login(user.email, PASSWORD).status_code == 429
    keys = set(db.session.scalars(select(ThrottleFailure.key_hash)))
    assert keys == {account_key(user.email), client_key("198.51.100.10")}
    assert not any("lan" in key or "198.51" in key for key in keys)


def test_a_deactivated_account_with_the_right_password_is_told_so(app, f: Factories):
    user = f.user("admin")
    user.is_active_account = False
    browser = Browser(app.test_client())
    answer = browser.login(user.email, PASSWORD)
    assert answer.status_code == 422
    assert "Tài khoản này đã bị vô hiệu hóa" in answer.get_data(as_text=True)
    wrong = browser.login(user.email, "wrong password")
    assert "Email hoặc mật khẩu không đúng." in wrong.get_data(as_text=True)


def test_a_hash_of_another_method_is_upgraded_at_sign_in(app, f: Factories):
    user = f.user("admin")
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:2000"
    assert Browser(app.test_client()).login(user.email, PASSWORD).status_code == 302
    db.session.refresh(user)
    assert user.password_hash.startswith("pbkdf2:sha256:2000$") and user.check_password(PASSWORD)
