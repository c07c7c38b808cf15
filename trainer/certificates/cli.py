"""`flask --app trainer certificates ...`: issue a course's certificates from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from trainer.certificates.services import issue_certificates
from trainer.core.errors import DomainError
from trainer.courses.models import Course
from trainer.extensions import db

certificates_cli = AppGroup("certificates", help="Certificates of completion.")


@certificates_cli.command("issue")
@click.option("--course", "course_id", type=int, required=True, help="Course id.")
@click.option("--dry-run", is_flag=True, help="Show what would be issued without saving.")
def issue_command(course_id: int, dry_run: bool) -> None:
    """Issue certificates to every completer of the course who has none yet (idempotent)."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise click.ClickException(f"Không có khóa học số {course_id}.")
    with click.progressbar(length=1, label="Cấp giấy chứng nhận") as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            result = issue_certificates(course, actor=None, on_progress=progress, store_pdfs=not dry_run)
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    not_completed = sum(1 for _, reason in result.skipped if reason == "not_completed")
    already = sum(1 for _, reason in result.skipped if reason == "already_issued")
    prefix = "[dry run] " if dry_run else ""
    if result.message:
        click.echo(result.message)
    click.echo(f"{prefix}{len(result.issued)} issued, {already} already issued, {not_completed} not completed")
