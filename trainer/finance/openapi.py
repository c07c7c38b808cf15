"""OpenAPI paths and schemas of the lecturers' registry and the provinces' rates (merged by api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import (
    DATE_IN,
    ERROR,
    PAGE_PARAMS,
    READ_ERRORS,
    SCHEMES,
    WRITE_ERRORS,
    id_param,
    list_of,
    query,
    request_body,
    response,
    text,
)

SCHEME_PARAM = query("scheme", "Unit scheme of the code (default: the caller's).", {"type": "string", "enum": SCHEMES})
CODE = {"name": "code", "in": "path", "required": True, "description": "GSO code of a province.",
        "schema": {"type": "string", "maxLength": 10, "pattern": "^[0-9]{1,10}$"}, "example": "24"}
AMOUNT = {"type": "integer", "minimum": 0, "maximum": 100_000_000, "x-error-code": "invalid_amount"}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/lecturers": {
        "post": {
            "summary": "Add a lecturer to the registry of the caller's province (organizers; admins give "
                       "`unit_code`).",
            "description": "`tier` 1-4 is the fee grade of Circular 36/2018/TT-BTC; the amounts are the province's "
                           "rates. The same name and agency twice in a province: 409 `lecturer_exists`.",
            "operationId": "createLecturer", "parameters": [SCHEME_PARAM],
            "requestBody": request_body("LecturerWrite"),
            "responses": {"201": response("Created", "Lecturer"), **WRITE_ERRORS}},
        "get": {
            "summary": "The registry the caller sees (their province's; every province for an admin).",
            "operationId": "listLecturers",
            "parameters": [query("q", "Name search ignoring diacritics and case.", text(100)), *PAGE_PARAMS],
            "responses": {"200": response("Lecturers", list_of("Lecturer")), "400": ERROR, "401": ERROR,
                          "422": ERROR}},
    },
    "/api/v1/lecturers/{lecturer_id}": {"get": {
        "summary": "One lecturer.", "operationId": "getLecturer", "parameters": [id_param("lecturer_id")],
        "responses": {"200": response("Lecturer", "Lecturer"), **READ_ERRORS}}},
    "/api/v1/units/{code}/rates": {
        "put": {
            "summary": "Enter a province's rates from a date (reviewers in scope, admins).",
            "description": "Amounts in whole đồng. The entry of the same `valid_from` is replaced (200); otherwise "
                           "one is added (201). A course uses the entry in force on its first day. Organizers: 403; "
                           "a district or commune: 422 `not_a_province`.",
            "operationId": "putRates", "parameters": [CODE, SCHEME_PARAM],
            "requestBody": request_body("RatesWrite"),
            "responses": {"200": response("Replaced", "Rates"), "201": response("Created", "Rates"),
                          **WRITE_ERRORS}},
        "get": {
            "summary": "A province's rate entries, newest first.", "operationId": "listRates",
            "parameters": [CODE, SCHEME_PARAM, *PAGE_PARAMS],
            "responses": {"200": response("Rates", list_of("Rates")), "400": ERROR, "401": ERROR, "404": ERROR,
                          "422": ERROR}},
    },
}

SCHEMAS: dict[str, Any] = {
    "Lecturer": {"type": "object", "required": ["id", "full_name", "agency", "tier"], "properties": {
        "id": {"type": "integer"}, "full_name": {"type": "string"}, "agency": {"type": "string"},
        "tier": {"type": "integer", "minimum": 1, "maximum": 4}, "phone": {"type": "string"},
        "email": {"type": "string"}, "unit_code": {"type": "string"}}},
    "LecturerWrite": {"type": "object", "required": ["full_name", "tier"], "properties": {
        "full_name": text(150), "agency": text(300, nullable=True),
        "tier": {"type": "integer", "minimum": 1, "maximum": 4, "x-error-code": "invalid_tier"},
        "phone": text(30, nullable=True), "email": text(254, nullable=True),
        "unit_code": text(10, nullable=True, description="The province (admins; others: their own).")}},
    "Rates": {"type": "object", "required": ["unit_code", "valid_from", "lecturer_fee_per_session",
                                             "trainee_support_per_day", "source"], "properties": {
        "unit_code": {"type": "string"}, "valid_from": {"type": "string", "format": "date"},
        "lecturer_fee_per_session": {"type": "object", "additionalProperties": {"type": "integer"}},
        "trainee_support_per_day": {"type": "integer"}, "source": {"type": "string"}}},
    "RatesWrite": {"type": "object", "required": ["valid_from", "lecturer_fee_per_session",
                                                  "trainee_support_per_day", "source"], "properties": {
        "valid_from": DATE_IN,
        "lecturer_fee_per_session": {"type": "object", "minProperties": 1, "additionalProperties": False,
                                     "x-error-code": "invalid_amount",
                                     "properties": {str(t): AMOUNT for t in range(1, 5)},
                                     "description": "Fee per session (buổi) by tier \"1\"-\"4\", whole đồng."},
        "trainee_support_per_day": {**AMOUNT, "maximum": 10_000_000},
        "source": text(300, description="The resolution or decision the rates come from.")}},
}
