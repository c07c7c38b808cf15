"""`flask --app trainer certificates ...`: issue a course's certificates from the command line."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from trainer.certificates.public_url import LOCAL_MESSAGE, is_local_url, qr_base_url
from trainer.certificates.services import check_issue_date, issue_certificates
from trainer.core.errors import DomainError
from trainer.courses.models import Course
from trainer.extensions import db

certificates_cli = AppGroup("certificates", help="Certificates of completion.")


def _accept_local_address(yes: bool) -> None:
    """Warn when the QR codes would point at this machine; go on only if confirmed (or --yes).

    Raises click.ClickException when the address is missing, click.Abort when the answer is no."""
    try:
        base = qr_base_url()
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    if not is_local_url(base):
        return
    click.secho(f"Cảnh báo: {LOCAL_MESSAGE.format(base=base)}", fg="yellow", err=True)
    if yes:
        return
    if not click.confirm("Vẫn cấp với địa chỉ này?", default=False, err=True):
        click.echo("Chưa cấp giấy chứng nhận nào. Chạy lại với --public-url https://<địa chỉ công khai>, "
                   "hoặc đặt TRAINER_PUBLIC_BASE_URL.", err=True)
        raise click.exceptions.Exit(1)


@certificates_cli.command("issue")
@click.option("--course", "course_id", type=int, required=True, help="Course id.")
@click.option("--dry-run", is_flag=True, help="Show what would be issued without saving.")
@click.option("--public-url", "public_url", metavar="URL",
              help="Public address of the system for these certificates' QR codes, e.g. "
                   "https://daotao.example.gov.vn (instead of TRAINER_PUBLIC_BASE_URL).")
@click.option("--date", "issued_on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Date printed on the certificates (default: the course's last day); not before it, not in "
                   "the future.")
@click.option("--yes", "-y", is_flag=True,
              help="Issue without asking even when the QR address is this machine's own (127.0.0.1, localhost).")
def issue_command(course_id: int, dry_run: bool, public_url: str | None, issued_on: datetime | None,
                  yes: bool) -> None:
    """Issue certificates to every completer of the course who has none yet (idempotent).

    When the QR codes' address (TRAINER_PUBLIC_BASE_URL) is this machine's own, phones cannot open it:
    the command warns and asks, unless --public-url gives the public address or --yes accepts it."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise click.ClickException(f"Không có khóa học số {course_id}.")
    try:  # a refused date stops before anything is asked or rendered
        day = check_issue_date(course, issued_on.date() if issued_on else None)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    if not dry_run and not public_url:
        _accept_local_address(yes)
    with click.progressbar(length=1, label="Cấp giấy chứng nhận") as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            result = issue_certificates(course, actor=None, issued_on=day, on_progress=progress, store_pdfs=not dry_run,
                                        public_base_url=public_url, local_url_ok=True)
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
    click.echo(f"{prefix}{len(result.issued)} issued, {already} already issued, {not_completed} not completed"
               f" (dated {day.isoformat()})")
