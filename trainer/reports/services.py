"""Use-cases of the indicator reports: read the period and the unit asked for, and build and export the
report document (the exported person-level list is logged in the audit log)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from trainer.audit.services import record_audit
from trainer.core.errors import N_, DomainError, ValidationError, vietnamese
from trainer.core.permissions import Need, can, is_admin
from trainer.documents.issuers import Letterhead, national_issuer
from trainer.documents.layout import place_date_line, short_date
from trainer.extensions import db
from trainer.reports.document import ReportDocument, TableRow
from trainer.reports.pdf import render_report_pdf
from trainer.reports.queries import OfficerRow, Period, indicator_report, trained_officers_detail
from trainer.reports.xlsx import render_report_xlsx
from trainer.units.issuers import issuer_in_force
from trainer.units.models import Unit
from trainer.units.services import default_scheme

if TYPE_CHECKING:
    from trainer.accounts.models import User

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_YEAR, LAST_YEAR = 1900, 2100
SUMMARY = "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở"
EXPORT_ACTION = "report.indicators_export"
FORMATS = ("json", "xlsx", "pdf")
MIMETYPES = {"json": "application/json", "pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
LEVEL_SHORT = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
NUMBER_RE = re.compile(r"\d{1,5}")


# --- input -------------------------------------------------------------------------------------


def _invalid(code: str, field: str, message: str, **params: object) -> ValidationError:
    return ValidationError(code, message, fields={field: message}, params=params)


def _parse_date(value: str, field: str) -> date:
    """A YYYY-MM-DD date. Raises ValidationError('invalid_date')."""
    try:
        if DATE_RE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise _invalid("invalid_date", field, N_("“%(value)s” không phải ngày hợp lệ (YYYY-MM-DD)."), value=value)


def resolve_period(*, year: str | int | None = None, half: str | int | None = None, date_from: str | None = None,
                   date_to: str | None = None) -> Period:
    """The period asked for: a year, a half-year (1: January-June, 2: July-December), a date range, or all years.

    Raises ValidationError('invalid_year' | 'invalid_half' | 'half_needs_year' | 'invalid_date' |
    'conflicting_period' | 'invalid_range').
    """
    parsed_year = None
    if year not in (None, ""):
        try:
            parsed_year = int(str(year))
        except ValueError:
            parsed_year = None
        if parsed_year is None or not FIRST_YEAR <= parsed_year <= LAST_YEAR:
            raise _invalid("invalid_year", "year", N_("Năm phải là số từ %(first)s đến %(last)s."), first=FIRST_YEAR,
                           last=LAST_YEAR)
    parsed_half = None
    if half not in (None, ""):
        if str(half) not in ("1", "2"):
            raise _invalid("invalid_half", "half", N_("Nửa năm phải là 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối "
                                                      "năm)."))
        if parsed_year is None:
            raise _invalid("half_needs_year", "half", N_("Chọn năm khi báo cáo theo 6 tháng."))
        parsed_half = int(str(half))
    start = _parse_date(date_from, "from") if date_from else None
    end = _parse_date(date_to, "to") if date_to else None
    if parsed_year is not None and (start or end):
        message = N_("Chọn hoặc năm (và 6 tháng), hoặc khoảng thời gian từ ngày - đến ngày, không chọn cả hai.")
        raise _invalid("conflicting_period", "from" if start else "to", message)
    if start and end and start > end:
        raise _invalid("invalid_range", "to", N_("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
    if parsed_year is not None:
        return Period.of_year(parsed_year, parsed_half)
    return Period(start, end)


def get_report_unit(actor: User, code: str | None, *, scheme: str | None = None) -> Unit | None:
    """The unit whose report `actor` asks for: by GSO code in `scheme` (default TRAINER_UNIT_SCHEME); without a
    code, the actor's own unit, or the whole country (None) for an admin.

    Raises DomainError('forbidden', 403) for a user with no unit scope, and DomainError('unit_not_found', 404)
    for a code that does not exist or lies outside the actor's subtree (existence stays hidden).
    """
    if not can(actor, Need.VIEW):
        raise DomainError("forbidden", N_("Tài khoản của bạn chưa được gán đơn vị để xem báo cáo."), status=403)
    code = (code or "").strip()
    if not code:
        return None if is_admin(actor) else actor.unit
    scheme = scheme or default_scheme()
    unit = db.session.scalar(select(Unit).where(Unit.scheme == scheme, Unit.code == code))
    if unit is None or not can(actor, Need.VIEW, unit):
        message = f"Không tìm thấy đơn vị mã “{code}” (danh mục {scheme}) trong phạm vi bạn được xem."
        raise DomainError("unit_not_found", message, fields={"unit": message}, status=404)
    return unit


# --- wording -----------------------------------------------------------------------------------


def period_label(period: Period, say: Callable[[str, dict[str, Any]], str] = vietnamese) -> str:
    """"năm 2024", "6 tháng đầu năm 2025", "từ ngày 01/03/2024 đến ngày 31/05/2024", or "" for all years;
    Vietnamese (the documents'), or in the page's language with `say=said`."""
    if period.year is not None:
        template = {1: N_("6 tháng đầu năm %(year)s"), 2: N_("6 tháng cuối năm %(year)s")}.get(
            period.half or 0, N_("năm %(year)s"))
        return say(template, {"year": period.year})
    start = short_date(period.date_from) if period.date_from else None
    end = short_date(period.date_to) if period.date_to else None
    if start and end:
        return say(N_("từ ngày %(start)s đến ngày %(end)s"), {"start": start, "end": end})
    if start:
        return say(N_("từ ngày %(start)s"), {"start": start})
    if end:
        return say(N_("đến ngày %(end)s"), {"end": end})
    return ""


def summary_title(period: Period) -> str:
    """The report's summary line, e.g. "Kết quả bồi dưỡng, tập huấn ... cơ sở năm 2024"."""
    label = period_label(period)
    return f"{SUMMARY} {label}" if label else SUMMARY


def period_args(period: Period) -> dict[str, Any]:
    """The query arguments that ask for `period` again (for links and downloads)."""
    if period.year is not None:
        return {"year": period.year, **({"half": period.half} if period.half else {})}
    return {key: value.isoformat() for key, value in (("from", period.date_from), ("to", period.date_to)) if value}


def build_report(unit: Unit | None, period: Period, *, scheme: str | None = None) -> dict[str, Any]:
    """The indicator report of `unit` (None: the whole country of `scheme`) with its period's label."""
    report = indicator_report(unit, date_from=period.date_from, date_to=period.date_to, year=period.year,
                              half=period.half, scheme=scheme)
    report["period"]["label"] = period_label(period)
    return report


# --- the document ------------------------------------------------------------------------------


def report_letterhead(unit: Unit | None, on: date, period_end: date | None = None) -> Letterhead:
    """Who issues `unit`'s report of a period ending `period_end`, dated `on`: a report speaks for its period, so
    the unit's settings in force at the period's end (or on `on` when that is earlier: a report of 2024 signed in
    January 2025 comes from the Sở Thông tin và Truyền thông that ran the programme); a unit that did not exist
    then (a 2025 province reporting its history) reports under its issuer of `on`; the ministry for the whole
    country. Raises DomainError('issuer_missing', 409) when neither date has an issuer (a district of the 2024
    list reporting on a period after 1 July 2025, without settings for that time)."""
    if unit is None:
        return national_issuer(min(on, period_end) if period_end else on)
    for day in dict.fromkeys((min(on, period_end) if period_end else on, on)):
        letterhead = issuer_in_force(unit, day)
        if letterhead is not None:
            return letterhead
    message = N_("Không có cơ quan ban hành mặc định cho %(unit)s vào ngày %(day)s: từ 01/07/2025 không còn cấp "
                 "huyện và các đơn vị của danh mục 2024 không ban hành văn bản. Khai báo cơ quan ban hành của đơn vị "
                 "cho thời kỳ này (Đơn vị hành chính › Cơ quan ban hành), hoặc chọn ngày báo cáo khác.")
    raise DomainError("issuer_missing", message, fields={"date": message}, status=409,
                      params={"unit": unit.name, "day": on.strftime("%d/%m/%Y")})


def parse_report_number(value: object) -> str:
    """The report's number as typed ("5" → "05": under 10 zero-padded, Decree 30), "" when left blank.
    Raises ValidationError('invalid_number')."""
    raw = str(value or "").strip()
    if not raw:
        return ""
    if not NUMBER_RE.fullmatch(raw) or int(raw) == 0:
        raise _invalid("invalid_number", "number",
                       N_("Số báo cáo phải là số nguyên dương (ví dụ 05), hoặc để trống để điền tay."))
    return f"{int(raw):02d}"


def parse_report_date(value: object, *, today: date) -> date:
    """The report's date as typed (YYYY-MM-DD), today when left blank. Raises ValidationError('invalid_date')."""
    raw = str(value or "").strip()
    return _parse_date(raw, "date") if raw else today


def number_line(number: str, abbr: str) -> str:
    """"Số: 05/BC-VHTT" (a number under 10 zero-padded); "Số: …/BC-VHTT" with the number left for the pen."""
    if number.isdigit():
        number = f"{int(number):02d}"
    return f"Số: {number or '…'}/BC" + (f"-{abbr}" if abbr else "")


def build_document(report: dict[str, Any], period: Period, letterhead: Letterhead, *, on: date, number: str = "",
                   officers: tuple[OfficerRow, ...] = ()) -> ReportDocument:
    """The printable report: child-unit rows, a row for the unit itself when it has figures of its own, the total."""
    unit = report["unit"]
    rows = [TableRow(row["unit"]["name"], row) for row in report["rows"]]
    own = report["own"]
    if not rows:
        rows.append(TableRow(unit["name"], {**own, "unit": unit}))
    elif any(own[key] for key in ("courses", "enrolled", "trained_officers", "communes_total")) or \
            own["registry"]["registered"]:
        rows.append(TableRow(f"{unit['name']} (trực tiếp)", own))
    abbr = letterhead.agency_abbr
    label = period_label(period)
    return ReportDocument(
        letterhead=letterhead, number=number_line(number, abbr),
        place_date=place_date_line(letterhead.place_name, on), summary=summary_title(period),
        area=f"Địa bàn: {unit['name']}", curricula=tuple(report["by_curriculum"]), rows=tuple(rows),
        total=TableRow("Tổng cộng", report), officers=officers,
        list_title=f"Danh sách cán bộ được bồi dưỡng {label}".strip())


# --- export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    """A rendered report ready to send or write."""

    body: bytes
    filename: str
    mimetype: str


def export_filename(unit: Unit | None, period: Period, fmt: str) -> str:
    """"bao-cao-chi-tieu-24-2024-h1.xlsx" and the like (ASCII)."""
    parts = ["bao-cao-chi-tieu", unit.code if unit is not None else "toan-quoc"]
    if period.year is not None:
        parts.append(f"{period.year}" + (f"-h{period.half}" if period.half else ""))
    else:
        parts += [d.isoformat() for d in (period.date_from, period.date_to) if d]
    return "-".join(parts) + f".{fmt}"


def export_report(unit: Unit | None, period: Period, *, fmt: str, actor: User | None, on: date,
                  scheme: str | None = None, number: str = "") -> ExportFile:
    """The indicator report of `unit` (None: the whole country of `scheme`) as JSON, .xlsx or .pdf, dated `on` (the
    date the user signs it: the issuer is the one in force that day) with the report's `number` ("" for the pen).

    The .xlsx carries the list of trained officers, so its export is recorded in the audit log.
    Raises ValidationError('invalid_format'), DomainError('issuer_missing', 409).
    """
    if fmt not in FORMATS:
        raise _invalid("invalid_format", "format", f"Định dạng phải là một trong: {', '.join(FORMATS)}.")
    report = build_report(unit, period, scheme=scheme)
    filename = export_filename(unit, period, fmt)
    if fmt == "json":
        body = json.dumps(report, ensure_ascii=False, indent=2).encode()
        return ExportFile(body, filename, MIMETYPES[fmt])
    letterhead = report_letterhead(unit, on, period.date_to)
    if fmt == "pdf":
        return ExportFile(render_report_pdf(build_document(report, period, letterhead, on=on, number=number)),
                          filename, MIMETYPES[fmt])
    officers = tuple(trained_officers_detail(unit, period, scheme=scheme))
    body = render_report_xlsx(build_document(report, period, letterhead, on=on, number=number, officers=officers))
    record_audit(actor, EXPORT_ACTION, unit, unit_id=unit.id if unit is not None else None, format=fmt,
                 document="trained_officers", rows=len(officers), scheme=report["unit"]["scheme"],
                 date_from=report["period"]["from"], date_to=report["period"]["to"])
    return ExportFile(body, filename, MIMETYPES[fmt])
