"""`flask cycle remind`: e-mail the reporting reminders (see cycle.mail)."""

from __future__ import annotations

import smtplib

import click
from flask.cli import AppGroup

from trainer.core.clock import local_today
from trainer.cycle.mail import compose_reminders, send_messages, smtp_configured

cycle_cli = AppGroup("cycle", help="The reporting cycle: plans and periodic reports.")


@cycle_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Count the messages without sending them.")
def remind_command(dry_run: bool) -> None:
    """E-mail each organizer and reviewer their reporting reminders (needs TRAINER_MAIL_SERVER)."""
    messages = compose_reminders(local_today())
    if dry_run:
        click.echo(f"{len(messages)} reminder(s) to send")
        return
    if not smtp_configured():
        raise click.ClickException("No SMTP server configured (TRAINER_MAIL_SERVER); nothing sent.")
    try:
        sent = send_messages(messages)
    except (OSError, smtplib.SMTPException) as exc:
        raise click.ClickException(f"SMTP error: {type(exc).__name__}") from exc
    click.echo(f"{sent} reminder(s) sent")
