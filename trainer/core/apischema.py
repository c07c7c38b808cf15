"""Requests checked against the OpenAPI document, so the document says exactly what the app accepts.

Every `/api/v1` operation's query parameters (a request hook) and JSON body (`core.api.json_body`) are
validated against the schema the document publishes for it, with the contract's error body: 400 for a
malformed query argument, 422 with `fields` for a body member of the wrong type, out of range or missing.
Views keep their own rules (an unknown unit code, an end before its start); this layer only makes sure
that what the schema refuses never reaches them, and that what reaches them has the promised shape.

The validator covers the subset of JSON Schema the document uses: $ref, type, nullable, enum, minimum,
maximum, minLength, maxLength, pattern (anchored), required, properties, additionalProperties (false),
items, minItems, maxItems. Every string anywhere in a body is also held to the text rule of
`core.text` (no control, zero-width or direction characters), so nothing hidden is ever stored.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, request

from trainer.core.errors import DomainError, ValidationError
from trainer.core.text import hidden_character

INT_RE = re.compile(r"-?[0-9]{1,18}")
TYPE_NAMES = {"string": "chuỗi ký tự", "integer": "số nguyên", "number": "số", "boolean": "true hoặc false",
              "array": "danh sách", "object": "đối tượng JSON"}


# --- the document, indexed by endpoint and method -----------------------------------------------------------


def _openapi_path(rule: str) -> str:
    """`/api/v1/courses/<int:course_id>` → `/api/v1/courses/{course_id}`."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def _index() -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, Any]]:
    """(endpoint, METHOD) → operation, and the component schemas, of the current app (built once from the
    document the app was given by `core.api.install_request_checks`)."""
    cached = current_app.extensions.get("trainer.apischema")
    if cached is not None:
        return cached
    spec = current_app.extensions["trainer.openapi"]("")
    operations: dict[tuple[str, str], dict[str, Any]] = {}
    for rule in current_app.url_map.iter_rules():
        item = spec["paths"].get(_openapi_path(rule.rule))
        if item is None:
            continue
        for method in rule.methods or ():
            if method.lower() in item:
                operations[(rule.endpoint, method)] = item[method.lower()]
    current_app.extensions["trainer.apischema"] = operations, spec["components"]["schemas"]
    return operations, spec["components"]["schemas"]


def current_operation() -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The documented operation of this request (None when undocumented) and the component schemas."""
    operations, components = _index()
    return operations.get((request.endpoint or "", request.method)), components


# --- the validator --------------------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, {"string": str, "boolean": bool, "array": list, "object": dict}[kind])


def _limits(schema: dict[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"từ {low} đến {high}"
    return f"ít nhất {low}" if low is not None else f"tối đa {high}"


def _pattern_ok(pattern: str, text: str) -> bool:
    """Anchored patterns (^...$) match the whole text, as ECMA-262 does (Python's $ also matches before a \\n)."""
    core = pattern.removeprefix("^").removesuffix("$")
    return re.fullmatch(core, text) is not None


class Errors(dict):
    """Field → Vietnamese message, and field → the error code its schema names (`x-error-code`), if any."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, tuple[str, int]] = {}

    def add(self, where: str, message: str, schema: dict[str, Any]) -> None:
        self[where] = message
        if "x-error-code" in schema:
            self.codes[where] = schema["x-error-code"], schema.get("x-error-status", 422)

    def code(self, default: str) -> tuple[str, int]:
        """The code and status of the first field in error when its schema names them, else (`default`, 422)."""
        return self.codes.get(min(self), (default, 422)) if self else (default, 422)


def validate(value: Any, schema: dict[str, Any], components: dict[str, Any], where: str, errors: Errors) -> None:
    """Add to `errors` (field → Vietnamese message) what makes `value` break `schema`."""
    schema = _resolve(schema, components)
    if value is None:
        if not schema.get("nullable") and "type" in schema:
            errors.add(where, "Không được để trống (null).", schema)
        return
    kind = schema.get("type")
    if kind is not None and not _type_ok(value, kind):
        errors.add(where, f"Phải là {TYPE_NAMES[kind]}.", schema)
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.add(where, "Chọn một trong: " + ", ".join(str(v) for v in schema["enum"]) + ".", schema)
        return
    if kind in ("integer", "number"):
        if ("minimum" in schema and value < schema["minimum"]) or ("maximum" in schema and value > schema["maximum"]):
            errors.add(where, f"Phải {_limits(schema)}.", schema)
    elif kind == "string":
        if len(value) < schema.get("minLength", 0):
            errors.add(where, "Không được để trống." if schema["minLength"] == 1 else
                       f"Cần ít nhất {schema['minLength']} ký tự.", schema)
        elif "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.add(where, f"Dài quá {schema['maxLength']} ký tự.", schema)
        elif "pattern" in schema and not _pattern_ok(schema["pattern"], value):
            hint = f": {schema['x-format-hint']}." if "x-format-hint" in schema else "."
            errors.add(where, "Sai định dạng" + hint, schema)
    elif kind == "array":
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            errors.add(where, f"Danh sách phải có từ {schema.get('minItems', 0)} đến {schema.get('maxItems')} "
                              "phần tử.", schema)
            return
        for i, item in enumerate(value):
            validate(item, schema.get("items", {}), components, f"{where}[{i}]", errors)
    elif kind == "object":
        _validate_object(value, schema, components, where, errors)


def _validate_object(value: dict[str, Any], schema: dict[str, Any], components: dict[str, Any], where: str,
                     errors: Errors) -> None:
    prefix = f"{where}." if where else ""
    properties = schema.get("properties", {})
    for name in schema.get("required", ()):
        if name not in value:
            member = _resolve(properties.get(name, {}), components)
            code = member.get("x-required-code", member.get("x-error-code"))
            errors.add(prefix + name, "Bắt buộc.", {"x-error-code": code, **member} if code else member)
    for name, member in value.items():
        if name in properties:
            validate(member, properties[name], components, prefix + name, errors)
        elif schema.get("additionalProperties") is False:
            errors.add(prefix + name, "Trường không được hỗ trợ.", {})


def hidden_characters(value: Any, where: str, errors: Errors) -> None:
    """Add to `errors` every string (key or value) of a JSON document that holds a character the text
    rule refuses (control, zero-width, direction, surrogate, private use)."""
    if isinstance(value, str):
        found = hidden_character(value)
        if found is not None:
            position, ch = found
            errors[where or "body"] = (f"Có ký tự ẩn hoặc ký tự điều khiển (U+{ord(ch):04X}, ở vị trí {position}). "
                                       "Hãy gõ lại, đừng dán từ nơi khác.")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            hidden_characters(item, f"{where}[{i}]", errors)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            hidden_characters(key, name, errors)
            hidden_characters(item, name, errors)


def check_body(data: Any) -> None:
    """Refuse a JSON body its operation's schema refuses (422 `validation_error` or `invalid_characters`)."""
    operation, components = current_operation()
    errors = Errors()
    hidden_characters(data, "", errors)
    if errors:
        raise ValidationError("invalid_characters", "Dữ liệu có ký tự ẩn hoặc ký tự điều khiển: "
                              + ", ".join(sorted(errors)) + ".", fields=errors)
    content = ((operation or {}).get("requestBody") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is not None:
        validate(data, schema, components, "", errors)
    if errors:
        code, status = errors.code("validation_error")
        raise ValidationError(code, "Dữ liệu không hợp lệ: " + ", ".join(sorted(errors)) + ".", fields=dict(errors),
                              status=status)


# --- query parameters -----------------------------------------------------------------------------------------


def _bad_argument(name: str, message: str, status: int = 400) -> DomainError:
    return DomainError("invalid_argument", message, fields={name: message}, status=status)


def check_query() -> None:
    """Refuse query arguments their declared parameters refuse: 400 for a value that is not of the
    declared type, out of range or given twice, 422 for a value outside an enumeration or text with a
    control, zero-width or direction character (`invalid_characters`)."""
    operation, components = current_operation()
    if operation is None:
        return
    for parameter in operation.get("parameters", ()):
        name = parameter["name"]
        if parameter["in"] != "query" or name not in request.args:
            continue
        values = request.args.getlist(name)
        if len(values) > 1:
            raise _bad_argument(name, f"Tham số {name} chỉ được cho một lần.")
        raw = values[0]
        schema = _resolve(parameter.get("schema", {}), components)
        hidden: Errors = Errors()
        hidden_characters(raw, name, hidden)
        if hidden:  # as in a body: the text rule's 422
            raise DomainError("invalid_characters", f"Tham số {name}: {hidden[name][:1].lower()}{hidden[name][1:]}",
                              fields=dict(hidden), status=422)
        value: Any = raw
        if schema.get("type") == "integer":
            if not INT_RE.fullmatch(raw):
                message = f"Tham số {name} phải là số nguyên."
                if "x-error-code" in schema:
                    raise DomainError(schema["x-error-code"], message, fields={name: message}, status=422)
                raise _bad_argument(name, message)
            value = int(raw)
        errors = Errors()
        validate(value, schema, components, name, errors)
        if errors:
            message = f"Tham số {name}: {errors[name][:1].lower()}{errors[name][1:]}"
            if "x-error-code" in schema:  # the view's own code for this argument (e.g. invalid_year)
                raise DomainError(schema["x-error-code"], message, fields={name: message}, status=422)
            raise _bad_argument(name, message, 422 if "enum" in schema else 400)

