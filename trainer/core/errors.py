"""Coded domain errors and the JSON/HTML error handlers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask import Flask, Response, has_request_context, jsonify, make_response, render_template, request
from flask_babel import get_locale, gettext
from werkzeug.exceptions import HTTPException

from trainer.extensions import db


def N_(message: str) -> str:  # noqa: N802 - the gettext marker's conventional name, known to pybabel
    """Mark `message` for the translation catalogue, unchanged: labels kept in tables are translated
    where they are shown (`_(label)` in templates, `said()` in code), and stay Vietnamese in documents and
    API errors."""
    return message


class Num:
    """A number placed in a message, written the way the message's language writes numbers: 10.100 and 3,5 in
    Vietnamese, 10,100 and 3.5 in English (a plain int in `params`, a year or a row number, stays as it is)."""

    __slots__ = ("value",)

    def __init__(self, value: int | float | Decimal) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Num({self.value!r})"

    def written(self, locale: str) -> str:
        """The number in `locale`'s digits and separators."""
        return format_decimal(self.value, locale=locale)


class Phrase:
    """A msgid (with its own params) placed inside another message, in that message's language; `capital`: with
    its first letter in upper case (a label that begins the sentence)."""

    __slots__ = ("capital", "message", "params")

    def __init__(self, message: str, params: dict[str, Any] | None = None, *, capital: bool = False) -> None:
        self.message, self.params, self.capital = message, params, capital

    def __repr__(self) -> str:
        return f"Phrase({self.message!r}, {self.params!r})"

    def written(self, locale: str) -> str:
        """The phrase in `locale` (Vietnamese as it is, otherwise the page's translation)."""
        text = self.message if locale == "vi" else gettext(self.message)
        text = text % _filled(self.params, locale) if self.params else text
        return text[:1].upper() + text[1:] if self.capital else text


class Words:
    """Msgids placed in a message as one list ("Họ và tên, Giới tính"), each in the message's language."""

    __slots__ = ("words",)

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def __repr__(self) -> str:
        return f"Words({self.words!r})"

    def written(self, locale: str) -> str:
        """The words joined with commas, translated unless the message is Vietnamese."""
        return ", ".join(word if locale == "vi" else gettext(word) for word in self.words)


def _filled(params: dict[str, Any], locale: str) -> dict[str, Any]:
    return {k: v.written(locale) if isinstance(v, Num | Phrase | Words) else v for k, v in params.items()}


def vietnamese(message: str, params: dict[str, Any] | None = None) -> str:
    """A Vietnamese `message` with its `%(name)s` placeholders filled: what documents say, in any request."""
    return message % _filled(params, "vi") if params else message


def said(message: str, params: dict[str, Any] | None = None) -> str:
    """A Vietnamese `message` (a msgid of the catalogue, with `%(name)s` placeholders filled from `params`)
    in the language of the page; Vietnamese outside a request (CLI, documents)."""
    if not has_request_context():
        return vietnamese(message, params)
    text = gettext(message)
    return text % _filled(params, str(get_locale())) if params else text


class DomainError(Exception):
    """A broken business rule, with a stable snake_case code and a Vietnamese message.

    `status` is the HTTP status the API answers with; `fields` maps form/JSON fields to messages.
    With `params`, `message` is a template with `%(name)s` placeholders (marked with N_ for the catalogue):
    `message` is then the Vietnamese text (the API's), `said()` the text in the page's language.
    """

    status = 409

    def __init__(self, code: str, message: str, *, fields: dict[str, str] | None = None,
                 status: int | None = None, params: dict[str, Any] | None = None) -> None:
        self.template = message
        self.params = params or {}
        message = vietnamese(message, self.params)
        super().__init__(message)
        self.code = code
        self.message = message
        # A field given the template itself carries the message as filled.
        self.fields = {k: message if v == self.template else v for k, v in fields.items()} if fields else fields
        if status is not None:
            self.status = status

    def said(self) -> str:
        """The message in the page's language (the Vietnamese message is the catalogue's msgid)."""
        return said(self.template, self.params)

    def said_field(self, name: str) -> str:
        """The message of field `name` in the page's language (the whole message when it repeats it)."""
        text = (self.fields or {}).get(name, self.message)
        return self.said() if text == self.message else said(text)


class ValidationError(DomainError):
    """Input that has the right shape but breaks a rule of a field (422)."""

    status = 422


class NotFound(DomainError):
    """A referenced object (unit code, curriculum code...) that does not exist (404 or 422)."""

    status = 404


# Vietnamese texts for the HTTP errors the API returns without a domain error behind them.
HTTP_MESSAGES = {
    400: ("bad_request", N_("Yêu cầu không hợp lệ.")),
    401: ("unauthorized", N_("Cần đăng nhập hoặc mã truy cập API hợp lệ.")),
    403: ("forbidden", N_("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", N_("Không tìm thấy.")),
    405: ("method_not_allowed", N_("Phương thức không được hỗ trợ.")),
    409: ("conflict", N_("Xung đột dữ liệu.")),
    410: ("gone", N_("Đã hết hạn.")),
    413: ("too_large", N_("Dữ liệu gửi lên quá lớn.")),
    422: ("validation_error", N_("Dữ liệu không hợp lệ.")),
    429: ("too_many_requests", N_("Quá nhiều yêu cầu, vui lòng thử lại sau.")),
    500: ("server_error", N_("Lỗi máy chủ, vui lòng thử lại sau.")),
}


def api_error(status: int, code: str | None = None, message: str | None = None,
              fields: dict[str, Any] | None = None) -> tuple[Response, int]:
    """The contract's error body: `{"error": {"code", "message", "fields"?}}`."""
    default_code, default_message = HTTP_MESSAGES.get(status, ("error", N_("Lỗi.")))
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
        return render_template("errors/error.html", status=exc.status, message=exc.said()), exc.status

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        status = exc.code or 500
        if status >= 500:  # the request's transaction may have failed: the error page reads the user anew
            db.session.rollback()
        if wants_json():
            code, message = HTTP_MESSAGES.get(status, ("error", exc.description or N_("Lỗi.")))
            response, status = api_error(status, code, getattr(exc, "vi_message", None) or message)
        else:
            message = said(HTTP_MESSAGES.get(status, ("", exc.description))[1])
            response = make_response(render_template("errors/error.html", status=status, message=message))
        if getattr(exc, "valid_methods", None):  # a 405 names the methods the resource takes (RFC 9110)
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status
