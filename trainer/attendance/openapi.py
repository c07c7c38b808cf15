"""OpenAPI paths and schemas of the attendance API (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import ERROR, MAX_ID, id_param, text

RESULT = {"application/json": {"schema": {"$ref": "#/components/schemas/CheckinResult"}}}
_WHO = {"participant_code": text(20, nullable=True, description="The personal code (badge); or participant_id."),
        "participant_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID, "nullable": True}}
_mark_body = {"required": True, "content": {"application/json": {"schema": {"type": "object", "properties": {
    **_WHO, "method": {"type": "string", "enum": ["badge", "manual", "sheet"], "default": "manual",
                       "x-error-code": "invalid_method"},
    "mark": {"type": "string", "enum": ["present", "late", "excused", None], "nullable": True,
             "x-error-code": "invalid_mark",
             "description": "Present unless said otherwise (a badge scan after the lateness margin: late); excused: "
                            "absent with leave, counts as no attendance. A new mark replaces the recorded one."}}}}}}
_unmark_body = {"required": True, "content": {"application/json": {"schema": {"type": "object", "properties": {
    **_WHO, "reason": text(300, description="Required (422 reason_required without one).",
                           **{"x-required-code": "reason_required"})}}}}}
SESSION_ID = id_param("session_id")

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/sessions/{session_id}/checkin-token": {"get": {
        "summary": "The session's current QR token, the URL its QR encodes and its expiry (organizers).",
        "operationId": "getCheckinToken",
        "parameters": [SESSION_ID],
        "responses": {"200": {"description": "Token", "content": {"application/json": {"schema": {
            "type": "object", "required": ["token", "url", "expires_at"], "properties": {
                "token": {"type": "string"}, "url": {"type": "string"}, "expires_at": {"type": "string"},
                "typed_code": {"type": "string"}}}}}},
            "401": ERROR, "403": ERROR, "404": ERROR}}},
    "/api/v1/sessions/{session_id}/checkin-token/revoke": {"post": {
        "summary": "Revoke every QR and typed code of the session shown so far; answers the new token (organizers).",
        "operationId": "revokeCheckinToken",
        "parameters": [{"name": "session_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "The new token", "content": {"application/json": {"schema": {
            "type": "object", "required": ["token", "url", "expires_at"], "properties": {
                "token": {"type": "string"}, "url": {"type": "string"}, "expires_at": {"type": "string"},
                "typed_code": {"type": "string"}}}}}},
            "401": ERROR, "403": ERROR, "404": ERROR}}},
    "/api/v1/checkin": {"post": {
        "summary": "A trainee checks in with the session token and their phone or personal code (no auth).",
        "operationId": "checkin", "security": [],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["token"], "properties": {
                "token": text(200, **{"x-error-code": "token_invalid", "x-error-status": 400}),
                "phone": text(30, nullable=True),
                "participant_code": text(20, nullable=True)}}}}},
        "responses": {"200": {"description": "checked_in or already_checked_in", "content": RESULT},
                      "400": {"description": "token_invalid or malformed body"},
                      "404": {"description": "not_enrolled"},
                      "409": {"description": "checkin_closed (error.fields.reason: too_early, too_late, "
                                             "course_cancelled)"},
                      "410": {"description": "token_expired"}, "422": ERROR,
                      "429": {"description": "too_many_attempts: too many failed look-ups from this client's "
                                             "network; no look-up is made until the wait in the message ends"}}}},
    "/api/v1/sessions/{session_id}/attendance": {
        "get": {"summary": "Every mark of a session: present, late or excused, how and when (organizers, reviewers).",
                "operationId": "sessionAttendance", "parameters": [SESSION_ID],
                "responses": {"200": {"description": "Marks", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["items", "total", "page", "per_page"], "properties": {
                        "items": {"type": "array", "items": {"type": "object", "required": [
                            "participant_id", "full_name", "mark", "method", "checked_in_at"], "properties": {
                            "participant_id": {"type": "integer"}, "full_name": {"type": "string"},
                            "mark": {"type": "string", "enum": ["present", "late", "excused"]},
                            "method": {"type": "string", "enum": ["qr", "badge", "manual", "sheet"]},
                            "checked_in_at": {"type": "string"}}}},
                        "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}}}}}},
                    "401": ERROR, "404": ERROR}},
        "post": {"summary": "An organizer marks a participant present, late or excused (badge scan, by hand, sheet).",
                 "operationId": "markAttendance", "requestBody": _mark_body,
                 "parameters": [SESSION_ID],
                 "responses": {"200": {"description": "checked_in or already_checked_in", "content": RESULT},
                               "401": ERROR, "403": ERROR, "404": ERROR, "409": ERROR, "422": ERROR}},
        "delete": {"summary": "Undo a mark, with a reason (logged).", "operationId": "unmarkAttendance",
                   "requestBody": _unmark_body,
                   "parameters": [SESSION_ID],
                   "responses": {"200": {"description": "unmarked or not_checked_in"},
                                 "401": ERROR, "403": ERROR, "404": ERROR, "422": ERROR}}},
    "/api/v1/courses/{course_id}/attendance": {"get": {
        "summary": "The course register: per enrolled participant, sessions and hours attended, ratio, completion.",
        "operationId": "courseAttendance",
        "parameters": [id_param("course_id")],
        "responses": {"200": {"description": "Register", "content": {"application/json": {"schema": {
            "type": "object", "properties": {
                "items": {"type": "array", "items": {"type": "object", "properties": {
                    "participant_id": {"type": "integer"}, "code": {"type": "string"}, "full_name": {"type": "string"},
                    "sessions_attended": {"type": "integer"}, "hours_attended": {"type": "number"},
                    "attendance_ratio": {"type": "number"}, "completed": {"type": "boolean"}}}},
                "total": {"type": "integer"}, "scheduled_hours": {"type": "number"},
                "completion_threshold": {"type": "number"}}}}}},
            "401": ERROR, "404": ERROR}}},
}
SCHEMAS: dict[str, Any] = {
    "CheckinResult": {"type": "object", "required": ["status", "participant", "session"], "properties": {
        "status": {"type": "string", "enum": ["checked_in", "already_checked_in"]},
        "message": {"type": "string"}, "late": {"type": "boolean"}, "checked_in_at": {"type": "string"},
        "mark": {"type": "string", "enum": ["present", "late", "excused"]},
        "participant": {"type": "object", "properties": {"full_name": {"type": "string"}}},
        "session": {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}}}},
}
