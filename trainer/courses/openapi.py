"""OpenAPI paths and schemas of the courses API (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import (
    DATE,
    DATE_IN,
    DATETIME,
    ERROR,
    MAX_ID,
    PAGE_PARAMS,
    READ_ERRORS,
    SCHEMES,
    WRITE_ERRORS,
    id_param,
    inline_path_parameters,
    json_content,
    list_of,
    query,
    request_body,
    response,
    text,
)
from trainer.courses.services import MAX_CAPACITY

STATUSES = ["draft", "open", "running", "finished", "cancelled"]
COURSE_ID = id_param("course_id")
PARTICIPANT_ID = id_param("participant_id")
REASON = text(500, **{"x-required-code": "reason_required"})

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/courses": {
        "post": {
            "summary": "Plan a course from a curriculum (organizers, for a unit in their scope).",
            "description": "The curriculum's modules and hours are copied into the course, and so is its issuer "
                           "(`agency_name`, `agency_parent`, `place_name`, `signer_prefix`, `signer_title`, "
                           "`signer_name`): the unit's "
                           "settings in force on the course's last day, unless given in the body; none is in force for "
                           "a unit of the 2024 list after 1 July 2025 (a warning says so). An empty `title` becomes "
                           "“Lớp bồi dưỡng <short title> năm <year>”. Unknown `curriculum_code` or `unit_code`: 422 "
                           "with `fields`; a unit outside the caller's scope: 403 `unit_out_of_scope`.",
            "operationId": "createCourse", "requestBody": request_body("CourseCreate"),
            "responses": {"201": response("Created", "CourseDetail"), **WRITE_ERRORS}},
        "get": {
            "summary": "Courses in the caller's scope, newest first, with enrolled, sessions and hours.",
            "operationId": "listCourses",
            "parameters": [
                query("year", "Year of the start date.", {"type": "integer", "minimum": 1900, "maximum": 2100}),
                query("unit", "GSO code of a unit: its courses and those of every unit below it.", text(10)),
                query("scheme", "Scheme of `unit` (default: TRAINER_UNIT_SCHEME).",
                      {"type": "string", "enum": SCHEMES}),
                query("curriculum", "Curriculum code (CT1..CT4).", text(10)),
                query("status", "Course status.", {"type": "string", "enum": STATUSES}),
                *PAGE_PARAMS],
            "responses": {"200": response("Courses", list_of("Course")), "400": ERROR, "401": ERROR, "422": ERROR}},
    },
    "/api/v1/courses/{course_id}": {
        "parameters": [COURSE_ID],
        "get": {"summary": "One course with its planned modules, figures and warnings.", "operationId": "getCourse",
                "responses": {"200": response("Course", "CourseDetail"), **READ_ERRORS}},
        "patch": {
            "summary": "Change some fields of a course; `status` moves it along the workflow.",
            "description": "Transitions: draft → open|cancelled; open → draft|running|cancelled; running → "
                           "open|finished|cancelled; finished → running. `cancelled` needs `cancel_reason` and is "
                           "final: a cancelled course can no longer be changed nor take enrolments. The issuer fields "
                           "change the course's own copy (`agency_name`, `place_name` and `signer_title` cannot be "
                           "emptied: 422 `required`); a new unit or new dates copy the unit's settings again unless "
                           "the copy was edited.",
            "operationId": "updateCourse", "requestBody": request_body("CourseUpdate"),
            "responses": {"200": response("Course", "CourseDetail"), **WRITE_ERRORS}},
    },
    "/api/v1/courses/{course_id}/enrollments": {
        "parameters": [COURSE_ID],
        "post": {
            "summary": "Enrol a participant; a withdrawn participant is enrolled again.",
            "description": "409 `already_enrolled`, `course_full`, `course_closed` (finished or cancelled); 404 "
                           "`participant_not_found` for someone the caller may not view. A target group the "
                           "curriculum is not meant for is accepted with `target_group_mismatch` and a warning.",
            "operationId": "createEnrollment",
            "requestBody": {"required": True, "content": json_content({
                "type": "object", "required": ["participant_id"],
                "properties": {"participant_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                                  "x-required-code": "required"}}})},
            "responses": {"201": response("Enrolled", {"allOf": [{"$ref": "#/components/schemas/Enrollment"}, {
                "type": "object", "properties": {"warnings": {"type": "array", "items": {"type": "string"}}}}]}),
                **WRITE_ERRORS}},
        "get": {"summary": "A course's enrolments, by participant name.", "operationId": "listEnrollments",
                "parameters": [query("status", "Enrolment status.",
                                     {"type": "string", "enum": ["enrolled", "withdrawn"]}), *PAGE_PARAMS],
                "responses": {"200": response("Enrolments", list_of("Enrollment")), "422": ERROR, **READ_ERRORS}},
    },
    "/api/v1/courses/{course_id}/enrollments/{participant_id}/withdraw": {
        "parameters": [COURSE_ID, PARTICIPANT_ID],
        "post": {
            "summary": "Withdraw a participant before the course starts; the reason is kept.",
            "description": "422 `reason_required`; 409 `course_started` (from the first session's start, or the "
                           "start date without sessions) or `not_enrolled` (already withdrawn); 404 `not_enrolled`.",
            "operationId": "withdrawEnrollment",
            "requestBody": {"required": True, "content": json_content({"type": "object", "required": ["reason"],
                                                                       "properties": {"reason": REASON}})},
            "responses": {"200": response("Withdrawn", "Enrollment"), **WRITE_ERRORS}},
    },
}

CAPACITY = {"type": "integer", "minimum": 1, "maximum": MAX_CAPACITY, "nullable": True,
            "description": "Seats; null: no limit.", "x-error-code": "invalid_capacity"}
_MINUTES = {"type": "integer", "minimum": 0, "maximum": 240, "nullable": True, "x-error-code": "invalid_rule"}
_COURSE_PROPS: dict[str, Any] = {
    "id": {"type": "integer"}, "title": {"type": "string"}, "curriculum_code": {"type": "string"},
    "unit_code": {"type": "string"}, "unit_scheme": {"type": "string"},
    "unit_name": {"type": "string", "description": "The unit's name when the course was planned."},
    "venue": {"type": "string"}, "start_date": DATE, "end_date": DATE,
    "capacity": {"type": "integer", "nullable": True}, "status": {"type": "string", "enum": STATUSES},
    "description": {"type": "string"}, "cancel_reason": {"type": "string", "nullable": True},
    "cancelled_at": {**DATETIME, "nullable": True}, "enrolled_count": {"type": "integer"},
    "sessions_count": {"type": "integer"}, "scheduled_hours": {"type": "number"}, "planned_hours": {"type": "number"},
    "agency_name": {"type": "string", "description": "The organizing agency as printed on the course's documents, "
                                                     "e.g. “Phòng Văn hóa và Thông tin”; empty: none chosen yet."},
    "agency_parent": {"type": "string", "description": "Its parent agency, e.g. “Ủy ban nhân dân huyện Tân Yên”."},
    "place_name": {"type": "string", "description": "The place (địa danh) of the documents' date line."},
    "signer_prefix": {"type": "string", "description": "Authority prefix above the title: TM., KT., Q., TL., TUQ. "
                                                       "and whom for, e.g. “KT. TRƯỞNG PHÒNG”; may be empty."},
    "signer_title": {"type": "string", "description": "The signer's title, e.g. “PHÓ TRƯỞNG PHÒNG”."},
    "signer_name": {"type": "string", "description": "The signer's full name, printed under the signature."},
}
# Who issues the course's documents: copied from the unit's settings in force on the course's dates when it is
# planned (all empty when none is: a unit of the 2024 list after 1 July 2025), then the organizer's to change.
ISSUER_IN: dict[str, Any] = {
    "agency_name": text(200, description="Empty keeps the copy of the unit's settings (on create).",
                        **{"x-required-code": "required"}),
    "agency_parent": text(200), "place_name": text(100, **{"x-required-code": "required"}),
    "signer_prefix": text(100), "signer_title": text(100, **{"x-required-code": "required"}),
    "signer_name": text(100),
}

SCHEMAS: dict[str, Any] = {
    "Course": {"type": "object", "required": list(_COURSE_PROPS), "properties": _COURSE_PROPS},
    "CourseDetail": {"type": "object", "properties": {
        **_COURSE_PROPS,
        "modules": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "title": {"type": "string"}, "hours": {"type": "number"}}}},
        "warnings": {"type": "array", "items": {"type": "string"}}}},
    "CourseCreate": {"type": "object", "required": ["curriculum_code", "unit_code", "venue", "start_date", "end_date"],
                     "properties": {
                         "title": text(400, nullable=True, description="Empty: the curriculum's default title."),
                         "curriculum_code": text(10), "unit_code": text(10),
                         "scheme": {"type": "string", "enum": SCHEMES, "nullable": True},
                         "venue": text(300), "start_date": DATE_IN, "end_date": DATE_IN,
                         "capacity": CAPACITY,
                         "status": {"type": "string", "enum": ["draft", "open"], "default": "draft",
                                    "x-error-code": "invalid_status"},
                         "description": text(5000, nullable=True), **ISSUER_IN}},
    "CourseUpdate": {"type": "object", "properties": {
        "title": text(400), "unit_code": text(10), "scheme": {"type": "string", "enum": SCHEMES, "nullable": True},
        "venue": text(300), "start_date": DATE_IN, "end_date": DATE_IN, "capacity": CAPACITY,
        "description": text(5000, nullable=True),
        "status": {"type": "string", "enum": STATUSES, "x-error-code": "invalid_status"},
        "cancel_reason": text(500, nullable=True),
        "checkin_opens_minutes": {**_MINUTES,
                                  "description": "Check-in opens this many minutes before a session (default 30)."},
        "late_after_minutes": {**_MINUTES,
                               "description": "Arrival after the start plus this margin is late (default 15)."},
        "completion_threshold": {"type": "number", "minimum": 0.1, "maximum": 1, "nullable": True,
                                 "x-error-code": "invalid_rule",
                                 "description": "Share of scheduled hours to complete; null: the curriculum's."},
        "issues_certificates": {"type": "boolean", "nullable": True}, **ISSUER_IN}},
    "Enrollment": {"type": "object", "required": ["id", "course_id", "participant_id", "status"], "properties": {
        "id": {"type": "integer"}, "course_id": {"type": "integer"}, "participant_id": {"type": "integer"},
        "participant": {"type": "object", "properties": {
            "code": {"type": "string"}, "full_name": {"type": "string"}, "unit_code": {"type": "string"},
            "unit_name": {"type": "string"}, "target_group": {"type": "string"}}},
        "status": {"type": "string", "enum": ["enrolled", "withdrawn"]}, "enrolled_at": DATETIME,
        "target_group_mismatch": {"type": "boolean"}, "withdrawn_at": {**DATETIME, "nullable": True},
        "withdraw_reason": {"type": "string", "nullable": True}}},
}

inline_path_parameters(PATHS)
