"""The password rule: length, common and trivial passwords, the owner's e-mail and name; NFC."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.factories import PASSWORD, Factories
from trainer.accounts.models import User
from trainer.accounts.passwords import check_password_rule
from trainer.accounts.services import issue_api_token
from trainer.core.errors import ValidationError
from trainer.extensions import db


def _code(password: str, **owner: str) -> str | None:
    try:
        check_password_rule(password, **owner)
    except ValidationError as exc:
        assert exc.fields and exc.fields["password"] == exc.message
        return exc.code
    return None


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "qwertyuiop", "Password123!", "password1234",
                                      "iloveyou2024", "matkhau123456", "anhyeuem123", "abcdefghij", "0912345678"])
def test_common_and_trivial_passwords_are_refused(password):
    assert _code(password) == "password_too_common"


@pytest.mark.parametrize("password", [PASSWORD, "mây trắng ghế gỗ sông Lam", "Xin chào Việt Nam", "tháng tám mùa thu",
                                      "bench password, not a secret", "k7#Lp9!qZ2wR"])
def test_long_uncommon_passwords_pass(password):
    assert _code(password, email="lan@example.vn", full_name="Nguyễn Thị Lan") is None


def test_length_is_ten_to_128_characters():
    assert _code("Zq7#kP2!x") == "password_too_short"  # 9 characters, however random
    assert _code("đường xa " * 15) == "password_too_long"
    assert _code("mây trắng ghế gỗ sông " + "x" * 106) is None  # exactly 128


@pytest.mark.parametrize("password", ["nguyenvanhung 2024!", "Hùng Sông Lam mây trắng", "Lan.Nguyen#Gio-Bac!",
                                      "My lannguyen ghế gỗ"])
def test_the_owners_email_or_name_is_refused(password):
    owner = {"email": "lan.nguyen@example.vn", "full_name": "Nguyễn Văn Hùng"}
    assert _code(password, **owner) == "password_personal"


def test_short_name_words_do_not_forbid_ordinary_passwords():
    # "An", "Văn", "Thị" are too short to forbid: half the country carries them.
    assert _code("văn học an nhiên thị trấn", email="an@example.vn", full_name="Lê Văn An") is None


def test_decomposed_accents_are_the_same_password(f: Factories):
    composed = "mây trắng ghế gỗ sông Lam"
    user = f.user("admin", password=composed)
    assert user.check_password(unicodedata.normalize("NFD", composed))
    assert not user.check_password("may trang ghe go song Lam")


def test_a_password_stored_before_nfc_still_works(f: Factories):
    decomposed = unicodedata.normalize("NFD", "mây trắng ghế gỗ sông Lam")
    user = f.user("admin")
    from werkzeug.security import generate_password_hash

    user.password_hash = generate_password_hash(decomposed, method="pbkdf2:sha256:1000")  # as stored before the rule
    assert user.check_password(decomposed)


def test_the_api_refuses_a_weak_password(client, f: Factories):
    f.tree()
    token = issue_api_token(f.user("admin"))
    answer = client.post("/api/v1/users", json={"email": "x@example.vn", "role": "reviewer", "unit_code": "216",
                                                "password": "aaaaaaaaaa"}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422 and answer.json["error"]["code"] == "password_too_common"
    assert "password" in answer.json["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_cli_refuses_a_weak_password_and_takes_a_strong_one(runner, f: Factories):
    f.tree()
    weak = runner.invoke(args=["users", "create", "org@example.vn", "--role", "organizer", "--unit", "216",
                               "--password-stdin"], input="aaaaaaaaaa\n")
    assert weak.exit_code != 0 and "Mật khẩu quá dễ đoán" in weak.output
    personal = runner.invoke(args=["users", "create", "hung.tran@example.vn", "--role", "organizer", "--unit", "216",
                                   "--password-stdin"], input="hung.tran mây trắng\n")
    assert personal.exit_code != 0 and "không được chứa email hoặc họ tên" in personal.output
    ok = runner.invoke(args=["users", "create", "org@example.vn", "--role", "organizer", "--unit", "216",
                             "--password-stdin"], input="mây trắng ghế gỗ sông Lam\n")
    assert ok.exit_code == 0, ok.output


def test_the_web_form_shows_the_rule_error_under_the_password(client, f: Factories):
    f.tree()
    admin = f.user("admin")
    login(client, admin.email)
    token = csrf_token_from(client.get("/users/new").get_data(as_text=True))
    answer = client.post("/users/new", data={"email": "rev@example.vn", "role": "reviewer", "scheme": "2024",
                                             "unit_code": "24", "password": "1234567890", "csrf_token": token})
    html = answer.get_data(as_text=True)
    assert "Mật khẩu quá dễ đoán" in html and 'value="rev@example.vn"' in html
    assert db.session.scalar(select(User).where(User.email == "rev@example.vn")) is None
