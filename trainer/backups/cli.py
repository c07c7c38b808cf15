"""`flask --app trainer backup -o FILE` and `flask --app trainer restore FILE --yes`."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.backups.format import BackupError
from trainer.backups.services import backup_database, migration_heads, restore_database
from trainer.core.errors import DomainError


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


@click.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Tệp ghi bản sao lưu; một thư mục: tệp trainer-YYYYMMDD-HHMMSS trong đó.")
def backup_command(output: Path) -> None:
    """Write a consistent copy of the whole database while the app runs (SQLite's online backup,
    pg_dump's custom format on PostgreSQL)."""
    try:
        result = backup_database(output)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Đã sao lưu cơ sở dữ liệu ({result.engine}, {_size(result.size_bytes)}) vào {result.path} "
               f"trong {result.seconds:.1f} s")
    for note in result.notes:
        click.echo(f"Lưu ý: {note}")


@click.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Đồng ý thay toàn bộ dữ liệu hiện có bằng bản sao lưu.")
def restore_command(backup: Path, yes: bool) -> None:
    """Replace the whole database with BACKUP (made by `flask backup`). Stop the app first."""
    if not yes:
        raise click.ClickException(
            "Khôi phục sẽ xóa toàn bộ dữ liệu hiện có và thay bằng bản sao lưu. Dừng ứng dụng, sao lưu dữ liệu "
            f"hiện tại nếu cần, rồi chạy lại với --yes: flask --app trainer restore {backup} --yes")
    try:
        result = restore_database(backup)
    except BackupError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Đã khôi phục {result.tables} bảng ({result.engine}) từ {backup} trong {result.seconds:.1f} s")
    heads = migration_heads()
    if result.revision and result.revision not in heads:
        click.echo(f"Bản sao lưu ở phiên bản cấu trúc {result.revision}, mã nguồn ở {', '.join(heads)}: chạy "
                   "`flask --app trainer db upgrade` trước khi mở lại ứng dụng.")
    for note in result.notes:
        click.echo(f"Lưu ý: {note}")
    click.echo("Khởi động lại ứng dụng để mọi tiến trình đọc dữ liệu đã khôi phục.")
