"""`flask --app trainer units ...`: load unit lists and the 2024 -> 2025 crosswalk."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.core.errors import DomainError
from trainer.extensions import db
from trainer.units.crosswalk import import_crosswalk, read_crosswalk_file
from trainer.units.services import default_scheme, import_units
from trainer.units.sources import UnitFileError, read_units_file

units_cli = AppGroup("units", help="Administrative units.")


@units_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scheme", help="Scheme of a statistics-office export (default: TRAINER_UNIT_SCHEME).")
@click.option("--dry-run", is_flag=True, help="Check and count without saving.")
def import_units_command(path: Path, scheme: str | None, dry_run: bool) -> None:
    """Create or update units from PATH: trainer's CSV or a statistics-office export (.csv, .xlsx)."""
    try:
        rows = read_units_file(path, scheme=scheme or default_scheme())
        result = import_units(rows)
    except UnitFileError as exc:
        raise click.ClickException(str(exc)) from exc
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    prefix = "[dry run] " if dry_run else ""
    click.echo(f"{prefix}{result.created} created, {result.updated} updated, {result.unchanged} unchanged")


crosswalk_cli = AppGroup("crosswalk", help="The 2024 -> 2025 crosswalk of units.")
units_cli.add_command(crosswalk_cli)
CROSSWALK_FILE = Path(__file__).resolve().parents[2] / "materials" / "units" / "crosswalk-2024-2025.csv"


@crosswalk_cli.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count without saving.")
def import_crosswalk_command(path: Path | None, dry_run: bool) -> None:
    """Load the successors of 2024 units from PATH (default: materials/units/crosswalk-2024-2025.csv)."""
    try:
        result = import_crosswalk(read_crosswalk_file(path or CROSSWALK_FILE))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    prefix = "[dry run] " if dry_run else ""
    click.echo(f"{prefix}{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
               f"{result.removed} removed")
