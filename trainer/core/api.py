"""Helpers of the JSON API and of every request's input: bodies, query arguments, ids, the list shape,
body members (dates, datetimes, times, integers, lists of codes) and the output of numbers and datetimes.

Input that no person types and no database column holds is refused before any view runs: an id in a
path above 2^31-1 (the largest PostgreSQL `integer`; SQLite stops at 2^63) matches no route (404), and a
NUL character in the path, the query or a form field is a 400 (PostgreSQL refuses NUL in text). Query
arguments and JSON bodies of the API are checked against the OpenAPI document (`core.apischema`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask import Flask, abort, current_app, request
from sqlalchemy import Select, func, select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from trainer.core.apischema import INT_RE, check_body, check_query
from trainer.core.clock import local_zone
from trainer.core.errors import DomainError, ValidationError
from trainer.extensions import db

MAX_ID = 2**31 - 1  # PostgreSQL `integer`, the type of every primary key
MAX_PAGE = 1_000_000  # page x per_page stays far inside an integer offset
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME_RE = re.compile(r"[0-9]{1,2}:[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 1900, 2099  # of a date or datetime in a body


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` for ids: 0 to 2^31-1 in ASCII digits; a larger number matches no route (404, not 500).

    The bound is in the pattern rather than in `max`: a converter that refuses a value it matched makes
    werkzeug answer 405 for the path's other methods."""

    regex = "|".join(["[0-9]{1,9}", "1[0-9]{9}", "20[0-9]{8}", "21[0-3][0-9]{7}", "214[0-6][0-9]{6}",
                      "2147[0-3][0-9]{5}", "21474[0-7][0-9]{4}", "214748[0-2][0-9]{3}", "2147483[0-5][0-9]{2}",
                      "21474836[0-3][0-9]", "214748364[0-7]"])


def use_bounded_ids(app: Flask) -> None:
    """Make `<int:...>` bounded on `app`; call before registering the blueprints."""
    app.url_map.converters["int"] = BoundedIntConverter


def _nul_in_request() -> str | None:
    """The name of the first path, query or form value holding a NUL character."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and "\x00" in value:
            return name
    if "\x00" in request.path:
        return "path"
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        with suppress(RequestEntityTooLarge):  # the view answers an upload over the limit with its own page
            sources.append(request.form)
    for source in sources:
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "")
    return None


def install_request_checks(app: Flask, build_spec: Callable[[str], dict[str, Any]]) -> None:
    """Refuse NUL characters in any request, and API query arguments and bodies the OpenAPI document refuses
    (`build_spec(server_url)`: the app's document, `api.openapi.build_spec`)."""
    app.extensions["trainer.openapi"] = build_spec

    @app.before_request
    def _check_input() -> None:
        if request.path.startswith("/api/") and request.endpoint:
            check_query()  # first: a documented text argument with a NUL is the text rule's 422
        name = _nul_in_request()
        if name is not None:
            message = "Dữ liệu gửi lên có ký tự NUL (U+0000), không được chấp nhận."
            raise DomainError("invalid_characters", message, fields={name: message}, status=400)


def json_body() -> dict[str, Any]:
    """The request's JSON object, checked against its operation's schema in the OpenAPI document.

    Raises DomainError('malformed_json', 400) for anything but an object, ValidationError (422)
    for members the schema refuses or text with hidden characters."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("malformed_json", "Nội dung yêu cầu phải là một đối tượng JSON hợp lệ (UTF-8).",
                          status=400)
    check_body(data)
    return data


def int_arg(name: str, default: int, *, minimum: int = 1, maximum: int | None = MAX_PAGE) -> int:
    """An integer query argument (ASCII digits); a non-number or one out of range is a 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not INT_RE.fullmatch(raw.strip()):
        raise DomainError("invalid_argument", f"Tham số {name} phải là số nguyên.", status=400)
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        limit = f"từ {minimum} đến {maximum}" if maximum is not None else f"ít nhất {minimum}"
        raise DomainError("invalid_argument", f"Tham số {name} phải {limit}.", status=400)
    return value


def choice_arg(name: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """An optional query argument restricted to `choices` (422 otherwise)."""
    value = request.args.get(name) or None
    if value is not None and value not in choices:
        message = f"Giá trị “{value}” không hợp lệ; chọn một trong: {', '.join(choices)}."
        raise ValidationError("invalid_argument", message, fields={name: message})
    return value


def paginated(stmt: Select, serialize: Callable[[Any], dict[str, Any]], *,
              scalars: bool = True) -> dict[str, Any]:
    """Run `stmt` one page at a time: `{"items", "total", "page", "per_page"}` in two queries."""
    max_per_page = current_app.config["API_MAX_PER_PAGE"]
    page = int_arg("page", 1)
    per_page = int_arg("per_page", current_app.config["API_DEFAULT_PER_PAGE"], maximum=max_per_page)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page_stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = db.session.scalars(page_stmt).all() if scalars else db.session.execute(page_stmt).all()
    return {"items": [serialize(row) for row in rows], "total": total, "page": page, "per_page": per_page}


def not_found(code: str = "not_found", message: str = "Không tìm thấy.") -> None:
    """Abort with the contract's 404."""
    raise DomainError(code, message, status=404)


# --- members of a JSON body -----------------------------------------------------------------------


def invalid(field: str, message: str, code: str = "validation_error") -> ValidationError:
    """A 422 naming one field."""
    return ValidationError(code, message, fields={field: message})


def parse_date(value: Any, field: str) -> date:
    """A YYYY-MM-DD date. Raises ValidationError('invalid_date')."""
    try:
        if isinstance(value, str) and DATE_RE.fullmatch(value):
            parsed = date.fromisoformat(value)
            if FIRST_YEAR <= parsed.year <= LAST_YEAR:
                return parsed
    except ValueError:
        pass
    raise invalid(field, f"“{value}” không phải ngày hợp lệ (YYYY-MM-DD, năm {FIRST_YEAR}-{LAST_YEAR}).",
                  "invalid_date")


def parse_datetime(value: Any, field: str) -> datetime:
    """An ISO 8601 datetime; without an offset it is local time (Asia/Ho_Chi_Minh). Raises ValidationError."""
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) and "T" in value else None
    except ValueError:
        parsed = None
    if parsed is not None and not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        parsed = None  # far dates overflow time-zone arithmetic; no course is held then
    if parsed is None:
        raise invalid(field, f"“{value}” không phải thời điểm hợp lệ (ISO 8601, ví dụ 2024-10-01T07:30:00+07:00).",
                      "invalid_datetime")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=local_zone())


def parse_time(value: Any, field: str) -> time:
    """An HH:MM time of day. Raises ValidationError('invalid_time')."""
    try:
        if isinstance(value, str) and TIME_RE.fullmatch(value):
            return time.fromisoformat(value.zfill(5))
    except ValueError:
        pass
    raise invalid(field, f"“{value}” không phải giờ hợp lệ (HH:MM).", "invalid_time")


def optional_int(data: dict[str, Any], field: str) -> int | None:
    """An optional integer member of the body (booleans refused)."""
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, f"{field} phải là số nguyên.")
    return value


def str_list(data: dict[str, Any], field: str) -> list[str]:
    """An optional list of strings member of the body."""
    value = data.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(field, f"{field} phải là danh sách mã (chuỗi).")
    return value


# --- output --------------------------------------------------------------------------------------


def number(value: Decimal | int | float | None) -> int | float:
    """A Decimal as the JSON number people expect (2, not 2.0; 3.5 stays 3.5)."""
    value = Decimal(value or 0)
    return int(value) if value == int(value) else float(value)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the app's offset (+07:00)."""
    return value.astimezone(local_zone()).isoformat() if value is not None else None


__all__ = ["abort", "choice_arg", "int_arg", "invalid", "iso", "json_body", "not_found", "number", "optional_int",
           "paginated", "parse_date", "parse_datetime", "parse_time", "str_list"]
