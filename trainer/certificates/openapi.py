"""OpenAPI paths and schemas of the certificates API (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import DATE_IN, ERROR, id_param, text

CODE = {"name": "code", "in": "path", "required": True,
        "schema": {"type": "string", "pattern": "^[2-9A-HJKMNP-Za-hjkmnp-z]{10,24}$"},
        "description": "The random verification code printed on the certificate and carried by its QR code."}
PUBLIC = {"application/json": {"schema": {"$ref": "#/components/schemas/CertificatePublic"}}}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/courses/{course_id}/certificates": {"post": {
        "summary": "Issue a certificate to every enrolled participant who completed the course and has none yet.",
        "operationId": "issueCertificates",
        "parameters": [id_param("course_id")],
        "requestBody": {"required": False, "content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": False, "properties": {"issued_on": {
                **DATE_IN, "nullable": True,
                "description": "Date printed on the certificates; default: the course's last day. Refused "
                               "(422 issued_on_before_end, issued_on_future) before that day or after today; a "
                               "course not ended yet: 422 course_not_ended."}}}}}},
        "responses": {"200": {"description": "Issued and skipped (reasons: not_completed, already_issued)",
                              "content": {"application/json": {"schema": {"type": "object", "properties": {
                                  "issued": {"type": "array", "items": {"type": "object", "properties": {
                                      "serial": {"type": "string"}, "code": {"type": "string"},
                                      "participant_id": {"type": "integer"}}}},
                                  "skipped": {"type": "array", "items": {"type": "object", "properties": {
                                      "participant_id": {"type": "integer"}, "reason": {"type": "string"}}}},
                                  "message": {"type": "string"},
                                  "warnings": {"type": "array", "description": "e.g. public_base_url_local: the "
                                               "QR codes point at the server itself, phones cannot open them",
                                               "items": {"type": "object", "properties": {
                                                   "code": {"type": "string"}, "message": {"type": "string"}}}}}}}}},
                      "400": ERROR, "401": ERROR, "403": ERROR, "404": ERROR, "409": ERROR, "422": ERROR}}},
    "/api/v1/certificates/{code}": {"get": {
        "summary": "Public check of a certificate by its code (no login; minimal personal data).",
        "operationId": "getCertificate", "security": [], "parameters": [CODE],
        "responses": {"200": {"description": "The certificate", "content": PUBLIC},
                      "400": {"description": "code_malformed", "content": {"application/json": {
                          "schema": {"$ref": "#/components/schemas/Error"}}}},
                      "404": {"description": "certificate_not_found", "content": {"application/json": {
                          "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/v1/certificates/{code}/revoke": {"post": {
        "summary": "Revoke a certificate with a reason (organizers in scope).", "operationId": "revokeCertificate",
        "parameters": [CODE],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["reason"],
            "properties": {"reason": text(500, **{"x-required-code": "reason_required"})}}}}},
        "responses": {"200": {"description": "The revoked certificate", "content": PUBLIC},
                      "400": ERROR, "401": ERROR, "403": ERROR, "404": ERROR, "409": ERROR, "422": ERROR}}},
}
SCHEMAS: dict[str, Any] = {
    "CertificatePublic": {"type": "object", "required": ["serial", "code", "valid", "revoked", "full_name"],
                          "properties": {key: {"type": kind} for key, kind in (
                              ("serial", "string"), ("code", "string"), ("valid", "boolean"), ("revoked", "boolean"),
                              ("revoked_on", "string"), ("full_name", "string"), ("birth_year", "string"),
                              ("course_title", "string"), ("curriculum_code", "string"),
                              ("curriculum_title", "string"), ("unit_name", "string"), ("start_date", "string"),
                              ("end_date", "string"), ("hours", "number"), ("issued_on", "string"),
                              ("anonymised", "boolean"))}},  # the holder asked to be anonymised: no name
}
