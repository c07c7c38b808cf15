"""Helpers of the JSON API: request bodies, query arguments and the contract's list shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, request
from sqlalchemy import Select, func, select

from trainer.core.errors import DomainError, ValidationError
from trainer.extensions import db


def json_body() -> dict[str, Any]:
    """The request's JSON object. Raises DomainError('malformed_json', 400) for anything else."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("malformed_json", "Nội dung yêu cầu phải là một đối tượng JSON hợp lệ (UTF-8).",
                          status=400)
    return data


def int_arg(name: str, default: int, *, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer query argument; a non-number or one out of range is a 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DomainError("invalid_argument", f"Tham số {name} phải là số nguyên.", status=400) from None
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


__all__ = ["abort", "choice_arg", "int_arg", "json_body", "not_found", "paginated"]
