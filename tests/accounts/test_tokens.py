"""API tokens: an expiry set at creation, listed with their use, revoked from the page or the CLI."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from trainer.accounts.models import ApiToken
from trainer.accounts.services import issue_api_token
from trainer.audit.models import AuditEntry
from trainer.extensions import db

DAY = 24 * 3600


def _me(client, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _create_on_page(client, **data) -> tuple[int, str | None]:
    page = client.get("/account/tokens").get_data(as_text=True)
    response = client.post("/account/tokens", data={"csrf_token": csrf_token_from(page), **data})
    html = response.get_data(as_text=True)
    shown = html.split('id="new-token">')[1].split("<")[0] if 'id="new-token">' in html else None
    return response.status_code, shown


def test_a_token_expires_after_90_days_by_default(client, f: Factories, clock_at):
    user = f.user("reviewer", f.tree()["district"])
    token = issue_api_token(user)
    stored = db.session.scalar(select(ApiToken))
    assert stored.expires_at == clock_at.now() + timedelta(days=90)
    clock_at.advance(90 * DAY - 1)
    assert _me(client, token) == 200
    clock_at.advance(1)
    assert _me(client, token) == 401


def test_the_page_creates_a_token_with_a_chosen_lifetime_and_refuses_others(client, f: Factories, clock_at):
    user = f.user("organizer", f.tree()["district"])
    login(client, user.email)
    status, shown = _create_on_page(client, name="cổng tỉnh", days="30")
    assert status == 200 and shown.startswith("trn_")
    stored = db.session.scalar(select(ApiToken))
    assert stored.name == "cổng tỉnh" and stored.expires_at == clock_at.now() + timedelta(days=30)
    status, shown = _create_on_page(client, name="forever", days="100000")
    assert shown is None and db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 1


def test_the_page_lists_tokens_with_their_use_expiry_and_state(client, f: Factories, clock_at):
    user = f.user("organizer", f.tree()["district"])
    used, expired = issue_api_token(user, name="dùng"), issue_api_token(user, name="cũ", days=1)
    revoked = issue_api_token(user, name="bỏ")
    db.session.scalar(select(ApiToken).where(ApiToken.name == "bỏ")).revoked_at = clock_at.now()
    assert _me(client, used) == 200 and _me(client, revoked) == 401
    clock_at.advance(2 * DAY)
    assert _me(client, expired) == 401
    login(client, user.email)
    html = client.get("/account/tokens").get_data(as_text=True)
    rows = {name: html.split(f"<td>{name}</td>")[1].split("</tr>")[0] for name in ("dùng", "cũ", "bỏ")}
    assert "Còn hiệu lực" in rows["dùng"] and "Thu hồi" in rows["dùng"]
    assert "Hết hạn" in rows["cũ"] and "Thu hồi" not in rows["cũ"]
    assert "Đã thu hồi" in rows["bỏ"]
    assert rows["cũ"].count("—") == 1 and rows["dùng"].count("—") == 0  # "last used": never / a time


def test_last_use_is_written_at_most_every_ten_minutes(client, f: Factories, clock_at):
    user = f.user("reviewer", f.tree()["district"])
    token = issue_api_token(user)
    start = clock_at.now()
    assert _me(client, token) == 200
    clock_at.advance(9 * 60)
    assert _me(client, token) == 200
    assert db.session.scalar(select(ApiToken.last_used_at)) == start
    clock_at.advance(60)
    assert _me(client, token) == 200
    assert db.session.scalar(select(ApiToken.last_used_at)) == start + timedelta(minutes=10)


def test_revoking_on_the_page_stops_the_token_at_once(client, f: Factories):
    user = f.user("organizer", f.tree()["district"])
    token = issue_api_token(user, name="script")
    login(client, user.email)
    assert _me(client, token) == 200
    stored = db.session.scalar(select(ApiToken))
    page = client.get("/account/tokens").get_data(as_text=True)
    response = client.post(f"/account/tokens/{stored.id}/revoke", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert f"Đã thu hồi mã {stored.prefix}" in client.get("/account/tokens").get_data(as_text=True)
    assert _me(client, token) == 401
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "api_token.revoke"))


def test_nobody_revokes_someone_elses_token_on_the_page(client, f: Factories):
    owner, admin = f.user("organizer", f.tree()["district"]), f.user("admin")
    token = issue_api_token(owner)
    stored = db.session.scalar(select(ApiToken))
    login(client, admin.email)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert client.post(f"/account/tokens/{stored.id}/revoke",
                       data={"csrf_token": csrf_token_from(page)}).status_code == 404
    assert _me(client, token) == 200


def test_cli_token_prints_only_the_token_and_takes_days(runner, f: Factories, clock_at):
    user = f.user("admin", email="ops@example.vn")
    result = runner.invoke(args=["users", "token", "ops@example.vn", "--days", "7"])
    assert result.exit_code == 0 and result.output.count("\n") == 1 and result.output.startswith("trn_")
    stored = db.session.scalar(select(ApiToken))
    assert stored.user_id == user.id and stored.expires_at == clock_at.now() + timedelta(days=7)
    too_long = runner.invoke(args=["users", "token", "ops@example.vn", "--days", "400"])
    assert too_long.exit_code != 0 and "từ 1 đến 365 ngày" in too_long.output


def test_cli_lists_and_revokes_tokens(runner, client, f: Factories):
    user = f.user("admin", email="ops@example.vn")
    first, second, third = (issue_api_token(user, name=n) for n in ("portal", "backup", "spare"))
    rows = {t.name: t for t in db.session.scalars(select(ApiToken))}
    listing = runner.invoke(args=["users", "tokens", "ops@example.vn"])
    assert listing.exit_code == 0 and listing.output.count("còn hiệu lực") == 3
    assert f"{rows['portal'].id}\t{rows['portal'].prefix}…\tportal" in listing.output
    assert first not in listing.output  # the secret itself is never shown again

    by_id = runner.invoke(args=["users", "revoke-token", "ops@example.vn", str(rows["portal"].id)])
    assert by_id.exit_code == 0 and "Revoked 1 token(s)" in by_id.output
    by_prefix = runner.invoke(args=["users", "revoke-token", "ops@example.vn", f"{rows['backup'].prefix}…"])
    assert by_prefix.exit_code == 0
    assert (_me(client, first), _me(client, second), _me(client, third)) == (401, 401, 200)
    assert "đã thu hồi" in runner.invoke(args=["users", "tokens", "ops@example.vn"]).output

    assert runner.invoke(args=["users", "revoke-token", "ops@example.vn", "9999"]).exit_code != 0
    assert runner.invoke(args=["users", "revoke-token", "ops@example.vn"]).exit_code != 0  # TOKEN or --all
    everything = runner.invoke(args=["users", "revoke-token", "ops@example.vn", "--all"])
    assert everything.exit_code == 0 and "Revoked 1 token(s)" in everything.output
    assert _me(client, third) == 401


def test_cli_cannot_revoke_another_users_token(runner, client, f: Factories):
    f.user("admin", email="ops@example.vn")
    other = f.user("admin", email="other@example.vn")
    token = issue_api_token(other)
    stored = db.session.scalar(select(ApiToken))
    assert runner.invoke(args=["users", "revoke-token", "ops@example.vn", str(stored.id)]).exit_code != 0
    assert _me(client, token) == 200
