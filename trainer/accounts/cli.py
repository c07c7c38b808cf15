"""`flask --app trainer users ...`: create users and API tokens."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from trainer.accounts.models import Role, User
from trainer.accounts.services import create_user, generate_password, issue_api_token, normalise_email
from trainer.core.errors import DomainError
from trainer.extensions import db
from trainer.units.services import get_unit

users_cli = AppGroup("users", help="Staff accounts and API tokens.")
DEMO_ADMIN_EMAIL = "admin@example.com"


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

    Without --password-stdin a random password is generated and printed once.
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
def token_command(email: str, name: str) -> None:
    """Print a new API token for EMAIL (the only time it is shown)."""
    try:
        email = normalise_email(email)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise click.ClickException(f"Không có tài khoản {email}.")
    token = issue_api_token(user, name=name)
    db.session.commit()
    click.echo(token)


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
