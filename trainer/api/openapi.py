"""The OpenAPI 3 document of `/api/v1`, written by hand next to the routes it describes.

A test compares its paths with the app's URL map, so no `/api` route goes undocumented. The document is
also the app's input check: `core.apischema` validates every query argument and JSON body against it, and
tests/test_api_fuzz.py runs schemathesis over it, so what it says is what the app accepts. Its building
blocks (parameters, schema snippets, the error response) are in `core/openapi.py`.
"""

from __future__ import annotations

from typing import Any

from trainer.attendance import openapi as attendance
from trainer.certificates import openapi as certificates
from trainer.core.openapi import ERROR, PAGE_PARAMS, SCHEMES, list_of, query, text
from trainer.courses import openapi as courses
from trainer.cycle import openapi as cycle
from trainer.documents import openapi as documents
from trainer.finance import openapi as finance
from trainer.materials import openapi as materials
from trainer.participants import openapi as participants
from trainer.reports import openapi as reports
from trainer.schedule import openapi as schedule

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/openapi.json": {"get": {
        "summary": "This document (public).", "operationId": "openapi", "security": [],
        "responses": {"200": {"description": "OpenAPI 3 document", "content": {"application/json": {
            "schema": {"type": "object", "required": ["openapi", "paths"]}}}}}}},
    "/api/v1/me": {"get": {
        "summary": "The authenticated user and their unit scope.", "operationId": "me",
        "responses": {"200": {"description": "User", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/User"}}}}, "401": ERROR}}},
    "/api/v1/users": {"post": {
        "summary": "Create a staff account (admins). Without `password`, one is generated and returned once.",
        "operationId": "createUser",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["email", "role"], "properties": {
                "email": text(254), "role": {"type": "string", "enum": ["admin", "organizer", "reviewer"],
                                           "x-error-code": "invalid_role"},
                "unit_code": text(10, nullable=True, description="Required for organizers and reviewers."),
                "scheme": {"type": "string", "enum": SCHEMES, "nullable": True}, "full_name": text(120, nullable=True),
                "password": {"type": "string", "minLength": 10, "maxLength": 1024, "nullable": True}}}}}},
        "responses": {"201": {"description": "Created", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/User"}}}},
            "400": ERROR, "401": ERROR, "403": ERROR, "409": ERROR, "422": ERROR}}},
    "/api/v1/units": {"get": {
        "summary": "Administrative units of a scheme.", "operationId": "listUnits",
        "parameters": [
            query("parent", "GSO code of the parent unit.", text(10)),
            query("level", "Unit level.", {"type": "string", "enum": ["province", "district", "commune"]}),
            query("q", "Name search ignoring diacritics and case, or an exact code.", text(200)),
            query("scheme", "Unit scheme (default: TRAINER_UNIT_SCHEME).", {"type": "string", "enum": SCHEMES}),
            *PAGE_PARAMS],
        "responses": {"200": {"description": "Units", "content": {"application/json": {"schema": list_of("Unit")}}},
                      "400": ERROR, "401": ERROR, "422": ERROR}}},
    "/api/v1/curricula": {"get": {
        "summary": "The four Decision 1288 curricula with modules and hours.", "operationId": "listCurricula",
        "responses": {"200": {"description": "Curricula",
                              "content": {"application/json": {"schema": list_of("Curriculum")}}},
                      "401": ERROR}}},
}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "description": "Stable snake_case code."},
            "message": {"type": "string", "description": "Human text in Vietnamese."},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
    "User": {"type": "object", "required": ["id", "email", "role"], "properties": {
        "id": {"type": "integer"}, "email": {"type": "string"}, "full_name": {"type": "string"},
        "role": {"type": "string", "enum": ["admin", "organizer", "reviewer"]},
        "unit": {"type": "object", "nullable": True}, "password": {"type": "string"}}},
    "Unit": {"type": "object", "required": ["code", "name", "level", "parent_code", "scheme"], "properties": {
        "code": {"type": "string"}, "name": {"type": "string"},
        "level": {"type": "string", "enum": ["province", "district", "commune"]},
        "kind": {"type": "string"}, "parent_code": {"type": "string", "nullable": True},
        "scheme": {"type": "string"}}},
    "Module": {"type": "object", "required": ["code", "title", "hours"], "properties": {
        "code": {"type": "string"}, "title": {"type": "string"}, "hours": {"type": "number"},
        "confirmed": {"type": "object"}}},
    "Curriculum": {"type": "object", "required": ["code", "title", "target_groups", "total_hours", "modules"],
                   "properties": {
                       "code": {"type": "string", "enum": ["CT1", "CT2", "CT3", "CT4"]},
                       "title": {"type": "string"}, "short_title": {"type": "string"},
                       "target_groups": {"type": "array", "items": {"type": "string"}},
                       "total_hours": {"type": "number"}, "completion_threshold": {"type": "number"},
                       "decision": {"type": "string"}, "source": {"type": "string"},
                       "confirmed": {"type": "object"},
                       "modules": {"type": "array", "items": {"$ref": "#/components/schemas/Module"}}}},
}


def _with_common_responses(operation: dict[str, Any]) -> dict[str, Any]:
    """The operation with the answers every request may get, where it does not describe them itself:
    400 (malformed JSON, a NUL character, a query argument out of its schema), 401 without a valid token
    (unless public), 404 for an id that names nothing, 422 for a body the schema refuses."""
    responses = dict(operation["responses"])
    common = {"400": ERROR}
    if operation.get("security") != []:
        common["401"] = ERROR
    if any(p["in"] == "path" for p in operation.get("parameters", ())):
        common["404"] = ERROR
    if "requestBody" in operation:
        common["422"] = ERROR
    for status, response in common.items():
        responses.setdefault(status, response)
    return {**operation, "responses": responses}


def build_spec(server_url: str) -> dict[str, Any]:
    """The whole OpenAPI 3.0 document: the paths above plus each domain's own (its openapi.py)."""
    paths, schemas = dict(PATHS), dict(SCHEMAS)
    for domain in (participants, courses, schedule, attendance, certificates, materials, documents, reports,
                   cycle, finance):
        paths.update(domain.PATHS)
        schemas.update(domain.SCHEMAS)
    paths = {path: {method: _with_common_responses(op) for method, op in item.items()} for path, item in paths.items()}
    return {
        "openapi": "3.0.3",
        "info": {"title": "trainer API", "version": "1",
                 "description": "Courses, attendance, certificates and Project 6 indicators. "
                                "Errors: {\"error\": {\"code\", \"message\", \"fields\"?}}."},
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "responses": {"Error": {"description": "Error", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
        },
    }
