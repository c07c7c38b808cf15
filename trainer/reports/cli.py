"""`flask --app trainer report ...`: write the indicator report."""

from __future__ import annotations

import click


@click.command("report")
def report_command() -> None:
    """Write the Project 6 indicator report (not implemented yet)."""
    raise click.ClickException("Chưa có.")
