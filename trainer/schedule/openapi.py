"""OpenAPI paths and schemas of the sessions API (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import (
    DATE_IN,
    DATETIME,
    DATETIME_IN,
    PAGE_PARAMS,
    READ_ERRORS,
    TIME_IN,
    WRITE_ERRORS,
    id_param,
    inline_path_parameters,
    list_of,
    request_body,
    response,
    text,
)

COURSE_ID = id_param("course_id")
SESSION_ID = id_param("session_id")

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/courses/{course_id}/sessions": {
        "parameters": [COURSE_ID],
        "post": {
            "summary": "Schedule a session; its hours are computed from its times.",
            "description": "Datetimes are ISO 8601; without an offset they are local time (Asia/Ho_Chi_Minh). "
                           "Refused: end not after start (422 `invalid_session_times`), outside the course's dates "
                           "(422 `session_outside_course`), unknown module (422 `unknown_module`), overlapping "
                           "another session of the course (409 `session_overlap`).",
            "operationId": "createSession", "requestBody": request_body("SessionWrite"),
            "responses": {"201": response("Created", "Session"), **WRITE_ERRORS}},
        "get": {"summary": "A course's sessions in time order.", "operationId": "listSessions",
                "parameters": PAGE_PARAMS,
                "responses": {"200": response("Sessions", list_of("Session")), **READ_ERRORS}},
    },
    "/api/v1/courses/{course_id}/sessions/{session_id}": {
        "parameters": [COURSE_ID, SESSION_ID],
        "patch": {"summary": "Change a session; fields left out keep their values.", "operationId": "updateSession",
                  "requestBody": request_body("SessionPatch"),
                  "responses": {"200": response("Session", "Session"), **WRITE_ERRORS}},
        "delete": {"summary": "Delete a session nobody attended (409 `session_has_attendance` otherwise).",
                   "operationId": "deleteSession", "responses": {"204": {"description": "Deleted"}, **WRITE_ERRORS}},
    },
    "/api/v1/courses/{course_id}/timetable": {
        "parameters": [COURSE_ID],
        "post": {
            "summary": "Create a typical timetable at once: one session per slot and day over N days.",
            "description": "Default slots 07:30-11:30 and 13:30-17:00; Saturdays and Sundays are skipped unless "
                           "`skip_weekends` is false. The course's modules are spread over the sessions in order. "
                           "Refused when a new session would overlap an existing one (409 `timetable_overlap`) or "
                           "fall outside the course's dates (422 `session_outside_course`).",
            "operationId": "createTimetable", "requestBody": request_body("TimetableCreate"),
            "responses": {"201": response("Created sessions", {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
                "total": {"type": "integer"}}}), **WRITE_ERRORS}},
    },
}

LECTURER_IDS = {"type": "array", "nullable": True, "maxItems": 20, "x-error-code": "unknown_lecturer",
                "items": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                "description": "Lecturers of the registry of the course's province (GET /api/v1/lecturers)."}
_SESSION_FIELDS: dict[str, Any] = {
    "starts_at": DATETIME_IN, "ends_at": DATETIME_IN, "title": text(300, nullable=True),
    "module_codes": {"type": "array", "nullable": True, "maxItems": 50, "items": text(20)},
    "trainer_name": text(150, nullable=True), "venue": text(300, nullable=True), "lecturer_ids": LECTURER_IDS}

SCHEMAS: dict[str, Any] = {
    "Session": {"type": "object", "required": ["id", "starts_at", "ends_at", "hours"], "properties": {
        "id": {"type": "integer"}, "course_id": {"type": "integer"}, "title": {"type": "string"},
        "starts_at": DATETIME, "ends_at": DATETIME, "hours": {"type": "number"},
        "module_codes": {"type": "array", "items": {"type": "string"}}, "trainer_name": {"type": "string"},
        "venue": {"type": "string", "description": "Empty: the course's venue."},
        "lecturer_ids": {"type": "array", "items": {"type": "integer"}}}},
    "SessionWrite": {"type": "object", "required": ["starts_at", "ends_at"], "properties": _SESSION_FIELDS},
    "SessionPatch": {"type": "object", "properties": _SESSION_FIELDS},
    "TimetableCreate": {"type": "object", "required": ["start_date", "days"], "properties": {
        "start_date": DATE_IN, "days": {"type": "integer", "minimum": 1, "maximum": 31, "x-error-code": "invalid_days"},
        "slots": {"type": "array", "nullable": True, "minItems": 1, "maxItems": 6, "x-error-code": "invalid_slots",
                  "items": {
            "type": "object", "required": ["start", "end"], "properties": {
                "start": {**TIME_IN, "example": "07:30"}, "end": {**TIME_IN, "example": "11:30"}}}},
        "skip_weekends": {"type": "boolean", "default": True}, "trainer_name": text(150, nullable=True),
        "lecturer_ids": LECTURER_IDS}},
}

inline_path_parameters(PATHS)
