"""`flask --app trainer demo-data`: fill the database with realistic synthetic data."""

from __future__ import annotations

import sys
import time
from contextlib import AbstractContextManager

import click

from trainer.core.errors import DomainError
from trainer.demo.generator import DEFAULT_SEED, SCALES, generate_demo_data, remove_demo_data
from trainer.demo.generator.bulk import Progress
from trainer.extensions import db

SUMMARY_TABLES = ("participants", "courses", "course_sessions", "enrolments", "attendance_records", "certificates")


def _progress(label: str, length: int) -> AbstractContextManager[Progress]:
    """A click progress bar on standard error, so the summary line stays alone on standard output."""
    return click.progressbar(length=length, label=label.ljust(12), file=sys.stderr)


@click.command("demo-data")
@click.option("--scale", type=click.Choice(list(SCALES)), default="small", show_default=True,
              help="small: Huyện Tân Yên; province: Tỉnh Bắc Giang; national: every commune (over a million "
                   "attendance records).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed: the same seed on the same database gives the same data.")
@click.option("--reset", is_flag=True, help="Delete the previous demo data first.")
@click.option("--remove", is_flag=True, help="Only delete the demo data, create nothing.")
def demo_data_command(scale: str, seed: int, reset: bool, remove: bool) -> None:
    """Fill the database with synthetic officers, courses, sessions, enrolments, attendance and certificates.

    Needs the units and curricula of `flask --app trainer seed`. Refuses to run twice unless --reset.
    """
    started = time.perf_counter()
    try:
        if remove:
            deleted = remove_demo_data()
        else:
            result = generate_demo_data(scale, seed=seed, reset=reset, progress=_progress)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    elapsed = time.perf_counter() - started
    if remove:
        click.echo(f"Deleted demo data: {deleted.get('courses', 0)} courses, {deleted.get('participants', 0)} "
                   f"participants ({sum(deleted.values())} rows) in {elapsed:.1f} s")
        return
    counts = ", ".join(f"{result.created.get(name, 0)} {name}" for name in SUMMARY_TABLES)
    replaced = f" (replacing {sum(result.deleted.values())} demo rows)" if result.deleted else ""
    click.echo(f"Demo data ({scale}, seed {seed}): {counts} in {elapsed:.1f} s{replaced}")
