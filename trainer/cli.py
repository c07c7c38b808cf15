"""Registers every command group and the top-level `seed` command."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from trainer.core.errors import DomainError
from trainer.curricula.services import seed_curricula
from trainer.extensions import db
from trainer.units.crosswalk import import_crosswalk, read_crosswalk_file
from trainer.units.services import import_units
from trainer.units.sources import UnitFileError, read_units_file

MATERIALS = Path(__file__).resolve().parent.parent / "materials"
UNIT_FILES = ("units-2024.csv", "units-2025.csv")
CROSSWALK_FILE = "crosswalk-2024-2025.csv"


@click.command("seed")
def seed_command() -> None:
    """Load the four curricula, both unit schemes and their crosswalk from materials/; idempotent."""
    materials = Path(current_app.config.get("MATERIALS_DIR") or MATERIALS)
    try:
        curricula = seed_curricula(materials / "curricula")
        units = [import_units(read_units_file(materials / "units" / name)) for name in UNIT_FILES]
        crosswalk_file = materials / "units" / CROSSWALK_FILE
        crosswalk = import_crosswalk(read_crosswalk_file(crosswalk_file)) if crosswalk_file.is_file() else None
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    except UnitFileError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Curricula: {len(curricula.created)} created, {len(curricula.updated)} updated, "
               f"{len(curricula.unchanged)} unchanged")
    for name, result in zip(UNIT_FILES, units, strict=True):
        click.echo(f"Units {name}: {result.created} created, {result.updated} updated, "
                   f"{result.unchanged} unchanged")
    if crosswalk is not None:
        click.echo(f"Crosswalk {CROSSWALK_FILE}: {crosswalk.created} created, {crosswalk.updated} updated, "
                   f"{crosswalk.unchanged} unchanged, {crosswalk.removed} removed")


def register_cli(app: Flask) -> None:
    """Attach the command groups of every domain."""
    from trainer.accounts.cli import users_cli
    from trainer.backups.cli import backup_command, restore_command
    from trainer.certificates.cli import certificates_cli
    from trainer.cycle.cli import cycle_cli
    from trainer.demo.cli import demo_data_command
    from trainer.reports.cli import report_command
    from trainer.units.cli import units_cli

    app.cli.add_command(seed_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(units_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(report_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(cycle_cli)
