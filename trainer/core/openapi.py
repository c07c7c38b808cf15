"""Building blocks of the OpenAPI document, shared by `api/openapi.py` and each domain's `openapi.py`.

Parameters, schema snippets and responses written once: the error response, a typed text, a path id,
a query parameter, the paged list shape, JSON bodies and answers, and the request formats of dates
and times (what `core.api`'s parsers accept).
"""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/responses/Error"}
MAX_ID = 2**31 - 1  # the largest id a path takes (PostgreSQL integer); above: 404
MAX_PAGE = 1_000_000
SCHEMES = ["2024", "2025"]
READ_ERRORS = {"401": ERROR, "404": ERROR}
WRITE_ERRORS = {"400": ERROR, "401": ERROR, "403": ERROR, "404": ERROR, "409": ERROR, "422": ERROR}


def text(max_length: int, *, nullable: bool = False, description: str | None = None, **extra: Any) -> dict[str, Any]:
    """A typed text: at most `max_length` characters; control, zero-width and direction characters are
    refused (422 `invalid_characters`)."""
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length, **extra}
    if nullable:
        schema["nullable"] = True
    if description:
        schema["description"] = description
    return schema


def id_param(name: str, description: str | None = None) -> dict[str, Any]:
    """A path id: 0 to 2^31-1 (a larger number matches no route: 404)."""
    param: dict[str, Any] = {"name": name, "in": "path", "required": True,
                             "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "example": 1}
    if description:
        param["description"] = description
    return param


def list_of(schema: str) -> dict[str, Any]:
    """The paged list of a named schema: `{items, total, page, per_page}`."""
    return {"type": "object", "required": ["items", "total", "page", "per_page"], "properties": {
        "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
        "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}}}


def query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """An optional query parameter (a typed text unless `schema` says otherwise)."""
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or text(200)}


PAGE_PARAMS = [query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
               query("per_page", "Items per page (max 200).", {"type": "integer", "minimum": 1, "maximum": 200})]


def json_content(schema: dict[str, Any] | str) -> dict[str, Any]:
    """A JSON content object for a schema or a schema name."""
    if isinstance(schema, str):
        schema = {"$ref": f"#/components/schemas/{schema}"}
    return {"application/json": {"schema": schema}}


def request_body(schema: str) -> dict[str, Any]:
    """A required JSON request body of a named schema."""
    return {"required": True, "content": json_content(schema)}


def response(description: str, schema: dict[str, Any] | str) -> dict[str, Any]:
    """A successful response with a JSON body."""
    return {"description": description, "content": json_content(schema)}


DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
# Request dates and times: what the app parses (years 1900-2099; a datetime without an offset is local time).
DATE_IN = {"type": "string", "pattern": "^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$", "x-format-hint": "YYYY-MM-DD",
           "example": "2024-10-01", "x-error-code": "invalid_date"}
DATETIME_IN = {"type": "string", "pattern": "^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
                                            "(:[0-9]{2}([.][0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
               "x-format-hint": "YYYY-MM-DDTHH:MM[:SS][+07:00]", "example": "2024-10-01T07:30:00+07:00",
               "x-error-code": "invalid_datetime"}
TIME_IN = {"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$", "x-format-hint": "HH:MM",
           "x-error-code": "invalid_time"}


def inline_path_parameters(paths: dict[str, dict[str, Any]]) -> None:
    """Move path-level `parameters` into each operation (the URL-map test reads every key as a method)."""
    for item in paths.values():
        shared = item.pop("parameters", [])
        for op in item.values():
            op["parameters"] = [*shared, *op.get("parameters", [])]
