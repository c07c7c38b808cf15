"""`flask --app trainer demo-data`: fill the database with realistic synthetic data."""

from __future__ import annotations

import click


@click.command("demo-data")
def demo_data_command() -> None:
    """Fill the database with synthetic courses, participants and attendance (not implemented yet)."""
    raise click.ClickException("Chưa có.")
