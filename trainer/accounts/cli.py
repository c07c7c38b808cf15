"""`flask --app trainer users ...`: create users, manage their passwords, state and API tokens."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from trainer.accounts.models import Role, User
from trainer.accounts.queries import list_api_tokens
from trainer.accounts.services import (
    activate_user,
    create_user,
    deactivate_user,
    find_api_token,
    generate_password,
    get_user_by_email,
    issue_api_token,
    reset_password,
    revoke_api_token,
)
from trainer.core.db import utcnow
from trainer.core.errors import DomainError
from trainer.core.templating import vn_datetime
from trainer.extensions import db
from trainer.units.services import get_unit

users_cli = AppGroup("users", help="Staff accounts and API tokens.")
DEMO_ADMIN_EMAIL = "admin@example.com"
STATUS_LABELS = {"active": "còn hiệu lực", "expired": "hết hạn", "revoked": "đã thu hồi"}


def _user(email: str) -> User:
    try:
        return get_user_by_email(email)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--unit", "unit_code", help="GSO code of the unit the user is scoped to.")
@click.option("--scheme", help="Scheme of --unit (default: TRAINER_UNIT_SCHEME).")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, unit_code: str | None, scheme: str | None, full_name: str,
                        password_stdin: bool) -> None:
    """Create a user; organizers and reviewers are scoped to --unit and everything below it.

    Without --password-stdin a random password is generated and printed once. A password read from
    standard input must pass the password rule (10 characters or more, not common, not the e-mail or name).
    """
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else generate_password()
    try:
        unit = get_unit(unit_code, scheme=scheme) if unit_code else None
        user = create_user(email, Role(role), unit=unit, password=password, full_name=full_name)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    scope = f" scoped to {user.unit.scheme}:{user.unit.code} {user.unit.name}" if user.unit else ""
    click.echo(f"Created {user.role.value} {user.email}{scope}")
    if not password_stdin:
        click.echo(f"Password (shown once): {password}")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="A name to tell the token apart.")
@click.option("--days", type=int, default=None, help="Days until it expires (default: TRAINER_API_TOKEN_DAYS, 90).")
def token_command(email: str, name: str, days: int | None) -> None:
    """Print a new API token for EMAIL (the only time it is shown); `users tokens EMAIL` shows its expiry."""
    user = _user(email)
    try:
        token = issue_api_token(user, name=name, days=days)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(token)


@users_cli.command("tokens")
@click.argument("email")
def tokens_command(email: str) -> None:
    """List EMAIL's API tokens: number, first characters, name, created, last used, expires, state."""
    user = _user(email)
    now = utcnow()
    rows = list_api_tokens(user)
    if not rows:
        click.echo(f"{user.email} has no API token.")
        return
    for api_token in rows:
        click.echo("\t".join((str(api_token.id), f"{api_token.prefix}…", api_token.name or "-",
                              f"created {vn_datetime(api_token.created_at)}",
                              f"last used {vn_datetime(api_token.last_used_at) or 'never'}",
                              f"expires {vn_datetime(api_token.expires_at)}",
                              STATUS_LABELS[api_token.status(now)])))


@users_cli.command("revoke-token")
@click.argument("email")
@click.argument("token", required=False)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of EMAIL.")
def revoke_token_command(email: str, token: str | None, revoke_all: bool) -> None:
    """Revoke EMAIL's API token TOKEN (its number or first characters, as `users tokens` lists them), or --all."""
    user = _user(email)
    if bool(token) == revoke_all:
        raise click.UsageError("Give either TOKEN or --all.")
    try:
        targets = [t for t in list_api_tokens(user) if t.revoked_at is None] if revoke_all else [
            find_api_token(user, token or "")]
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    for api_token in targets:
        revoke_api_token(api_token, actor=None)
    db.session.commit()
    click.echo(f"Revoked {len(targets)} token(s) of {user.email}")


@users_cli.command("reset-password")
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Give EMAIL a temporary password (printed once) to be replaced at the next sign-in; also lifts a
    sign-in lock-out. The way back in for an admin who forgot their password."""
    user = _user(email)
    temporary = reset_password(user, actor=None)
    db.session.commit()
    click.echo(f"Temporary password for {user.email} (shown once, to be changed at the next sign-in): {temporary}")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate EMAIL: no sign-in, every session ended, every API token revoked."""
    user = _user(email)
    deactivate_user(user, actor=None)
    db.session.commit()
    click.echo(f"Deactivated {user.email}")


@users_cli.command("activate")
@click.argument("email")
def activate_command(email: str) -> None:
    """Let a deactivated EMAIL sign in again."""
    user = _user(email)
    activate_user(user, actor=None)
    db.session.commit()
    click.echo(f"Activated {user.email}")


@users_cli.command("demo-admin")
def demo_admin_command() -> None:
    """Create the demo admin of `make run` once and print its password; later runs say it exists."""
    if db.session.scalar(select(User.id).where(User.email == DEMO_ADMIN_EMAIL)) is not None:
        click.echo(f"Demo admin {DEMO_ADMIN_EMAIL} already exists (its password was printed when it was created).")
        return
    password = generate_password()
    create_user(DEMO_ADMIN_EMAIL, Role.ADMIN, unit=None, password=password, full_name="Quản trị thử nghiệm")
    db.session.commit()
    click.echo(f"Demo admin: {DEMO_ADMIN_EMAIL}  password: {password}  (shown once)")
