"""Coded domain errors and the JSON/HTML error handlers."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from trainer.extensions import db


class DomainError(Exception):
    """A broken business rule, with a stable snake_case code and a Vietnamese message.

    `status` is the HTTP status the API answers with; `fields` maps form/JSON fields to messages.
    """

    status = 409

    def __init__(self, code: str, message: str, *, fields: dict[str, str] | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields
        if status is not None:
            self.status = status


class ValidationError(DomainError):
    """Input that has the right shape but breaks a rule of a field (422)."""

    status = 422


class NotFound(DomainError):
    """A referenced object (unit code, curriculum code...) that does not exist (404 or 422)."""

    status = 404


# Vietnamese texts for the HTTP errors the API returns without a domain error behind them.
HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Cần đăng nhập hoặc mã truy cập API hợp lệ."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    409: ("conflict", "Xung đột dữ liệu."),
    410: ("gone", "Đã hết hạn."),
    413: ("too_large", "Dữ liệu gửi lên quá lớn."),
    422: ("validation_error", "Dữ liệu không hợp lệ."),
    429: ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau."),
    500: ("server_error", "Lỗi máy chủ, vui lòng thử lại sau."),
}


def api_error(status: int, code: str | None = None, message: str | None = None,
              fields: dict[str, Any] | None = None) -> tuple[Response, int]:
    """The contract's error body: `{"error": {"code", "message", "fields"?}}`."""
    default_code, default_message = HTTP_MESSAGES.get(status, ("error", "Lỗi."))
    body: dict[str, Any] = {"code": code or default_code, "message": message or default_message}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


def wants_json() -> bool:
    """True for API paths, whose clients always get the JSON error body."""
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    """Answer errors as the contract's JSON under /api and as Vietnamese pages elsewhere."""

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        if wants_json():
            return api_error(exc.status, exc.code, exc.message, exc.fields)
        return render_template("errors/error.html", status=exc.status, message=exc.message), exc.status

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        status = exc.code or 500
        if status >= 500:  # the request's transaction may have failed: the error page reads the user anew
            db.session.rollback()
        if wants_json():
            code, message = HTTP_MESSAGES.get(status, ("error", exc.description or "Lỗi."))
            response, status = api_error(status, code, getattr(exc, "vi_message", None) or message)
        else:
            message = HTTP_MESSAGES.get(status, ("", exc.description))[1]
            response = make_response(render_template("errors/error.html", status=status, message=message))
        if getattr(exc, "valid_methods", None):  # a 405 names the methods the resource takes (RFC 9110)
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status
