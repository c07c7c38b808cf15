"""`flask --app trainer report ...`: write the indicator report."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.core.db import utcnow
from trainer.core.errors import DomainError
from trainer.core.templating import local_time
from trainer.extensions import db
from trainer.reports.services import (
    FORMATS,
    export_report,
    parse_report_date,
    parse_report_number,
    period_label,
    resolve_period,
)
from trainer.units.models import SCHEMES
from trainer.units.services import get_unit


@click.command("report")
@click.option("--year", help="Năm (YYYY); bỏ trống: mọi năm.")
@click.option("--half", type=click.Choice(["1", "2"]), help="6 tháng đầu (1) hoặc cuối (2) năm --year.")
@click.option("--from", "date_from", help="Từ ngày (YYYY-MM-DD), thay cho --year.")
@click.option("--to", "date_to", help="Đến ngày (YYYY-MM-DD), thay cho --year.")
@click.option("--unit", "unit_code", help="Mã đơn vị (GSO); bỏ trống: toàn quốc.")
@click.option("--scheme", type=click.Choice(SCHEMES), help="Danh mục đơn vị (mặc định TRAINER_UNIT_SCHEME).")
@click.option("--number", help="Số báo cáo (in “Số: 05/BC-…”); bỏ trống: để điền tay.")
@click.option("--date", "report_date", help="Ngày báo cáo, ngày ký (YYYY-MM-DD); bỏ trống: hôm nay.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp ghi ra; bỏ trống với json: in ra màn hình.")
def report_command(year: str | None, half: str | None, date_from: str | None, date_to: str | None,
                   unit_code: str | None, scheme: str | None, number: str | None, report_date: str | None, fmt: str,
                   output: Path | None) -> None:
    """Write the Project 6 indicator report of a unit (the whole country without --unit) as JSON, .xlsx or .pdf."""
    if output is None and fmt != "json":
        raise click.UsageError("Cần -o FILE cho định dạng xlsx và pdf.")
    try:
        period = resolve_period(year=year, half=half, date_from=date_from, date_to=date_to)
        unit = get_unit(unit_code, scheme=scheme, field="unit") if unit_code else None
        on = parse_report_date(report_date, today=local_time(utcnow()).date())
        export = export_report(unit, period, fmt=fmt, actor=None, on=on, scheme=scheme,
                               number=parse_report_number(number))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    if output is None:
        click.echo(export.body.decode())
        return
    output.write_bytes(export.body)
    db.session.commit()  # the audit entry of an export with the list of officers
    where = unit.name if unit is not None else "toàn quốc"
    click.echo(f"Đã ghi báo cáo {where} {period_label(period) or 'mọi năm'} ({fmt}) vào {output}")
