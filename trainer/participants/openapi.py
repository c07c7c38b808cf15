"""OpenAPI paths and schemas of the participants API (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import ERROR, PAGE_PARAMS, SCHEMES, id_param, query, text
from trainer.participants.fields import NAME_MAX, POSITION_MAX

TARGET_GROUPS = ["commune_culture_officer", "party_info_staff", "mass_org_staff", "info_manager", "press_staff",
                 "other"]


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A JSON response object."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _with_error_file(response: dict[str, Any]) -> dict[str, Any]:
    """`response` that may also be the uploaded workbook with an error column (error_file=1)."""
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {**response, "content": {**response["content"], xlsx: {"schema": {"type": "string",
                                                                              "format": "binary"}}}}


def _ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


ID_PARAM = id_param("participant_id")
DUPLICATE = _json(_ref("DuplicatePhoneError"), "Another participant has this phone number. The message gives "
                                                "their personal code and unit (and name when the caller may view "
                                                "them); `existing_id` is set when the caller may view them.")

DUPLICATE_OR_ANONYMISED = _json({"anyOf": [_ref("DuplicatePhoneError"), _ref("Error")]},
                                "`duplicate_phone` (as for a new participant), or `participant_anonymised`: the "
                                "person was anonymised and gets no personal data again.")

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/participants": {
        "post": {
            "summary": "Register a participant in a unit the caller manages.",
            "description": "Names are stored NFC; phones normalised to 0xxxxxxxxx; a personal code is generated. "
                           "Give `ethnicity` (one of the 54 official groups, matched without regard to case, "
                           "diacritics, spaces or hyphens) or `ethnic_minority`; only the flag is stored. "
                           "`unit_code` is in TRAINER_UNIT_SCHEME unless `scheme` is given.",
            "operationId": "createParticipant",
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ParticipantInput")}}},
            "responses": {"201": _json(_ref("Participant"), "Created"), "400": ERROR, "401": ERROR,
                          "403": ERROR, "409": DUPLICATE, "422": ERROR}},
        "get": {
            "summary": "Participants in the caller's scope, by name.",
            "operationId": "listParticipants",
            "parameters": [
                query("q", "Name, ignoring diacritics and case (`nguyen thi hang` finds `Nguyễn Thị Hằng`); "
                            "or an exact phone number (any accepted format) or personal code."),
                query("unit", "A unit code: participants of that unit and every unit below it.", text(10)),
                query("scheme", "Scheme of `unit` (default: TRAINER_UNIT_SCHEME).",
                      {"type": "string", "enum": SCHEMES}),
                query("target_group", "Target group code.", {"type": "string", "enum": TARGET_GROUPS}),
                *PAGE_PARAMS],
            "responses": {"200": _json({"type": "object", "required": ["items", "total", "page", "per_page"],
                                        "properties": {"items": {"type": "array", "items": _ref("Participant")},
                                                       "total": {"type": "integer"}, "page": {"type": "integer"},
                                                       "per_page": {"type": "integer"}}}, "Participants"),
                          "400": ERROR, "401": ERROR, "422": ERROR}},
    },
    "/api/v1/participants/{participant_id}": {
        "get": {
            "summary": "One participant.", "operationId": "getParticipant", "parameters": [ID_PARAM],
            "responses": {"200": _json(_ref("Participant"), "Participant"), "401": ERROR,
                          "404": ERROR}},
        "patch": {
            "summary": "Change some fields of a participant (organizers of their unit).",
            "description": "Omitted fields stay. An empty `ethnicity` keeps the stored flag. Moving to another "
                           "unit needs the right to manage both. `id`, `code`, `unit` and `notice_version` are "
                           "ignored; other unknown fields are refused (422).",
            "operationId": "updateParticipant", "parameters": [ID_PARAM],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ParticipantPatch")}}},
            "responses": {"200": _json(_ref("Participant"), "Updated"), "400": ERROR, "401": ERROR, "403": ERROR,
                          "404": ERROR, "409": DUPLICATE_OR_ANONYMISED, "422": ERROR}},
    },
    "/api/v1/participants/{participant_id}/personal-data": {
        "get": {
            "summary": "Everything stored about one person (admins, organizers of their unit); audited.",
            "description": "The person's profile, enrolments (with attended hours), attendance, certificates "
                           "(with their frozen snapshot), refused check-in attempts with the number or code "
                           "typed, and the history of their record. Reviewers: 403; outside the scope: 404.",
            "operationId": "getParticipantPersonalData", "parameters": [ID_PARAM],
            "responses": {"200": _json(_ref("PersonalData"), "Personal data"), "401": ERROR, "403": ERROR,
                          "404": ERROR}},
    },
    "/api/v1/participants/{participant_id}/anonymise": {
        "post": {
            "summary": "Anonymise a participant for good, with a reason (admins, organizers of their unit); audited.",
            "description": "Erases the name, phone, e-mail, birth date and position, and every copy of them "
                           "(certificate snapshots and PDFs, numbers typed in refused check-ins, free texts); "
                           "a new personal code replaces the badge's. Gender, minority flag, target group, unit, "
                           "enrolments, attendance, completion and certificates stay, so no report figure "
                           "changes; the certificate's public page says the holder asked to be anonymised. "
                           "A second call changes nothing: 409 `already_anonymised`.",
            "operationId": "anonymiseParticipant", "parameters": [ID_PARAM],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["reason"],
                "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 500,
                                          "x-error-code": "reason_required"}}}}}},
            "responses": {"200": _json(_ref("AnonymisedParticipant"), "Anonymised"), "400": ERROR, "401": ERROR,
                          "403": ERROR, "404": ERROR, "409": ERROR, "422": ERROR}},
    },
    "/api/v1/participants/import": {
        "post": {
            "summary": "Import participants from an .xlsx made from the template.",
            "description": "Rows are matched by phone: a known phone updates that person (every changed field is "
                           "listed in `changes`, on a dry run too), a new one creates a participant. A row whose "
                           "phone belongs to someone with another name (compared without case, diacritics or "
                           "spacing) is an `identity_conflict` error, since numbers are recycled; with "
                           "`confirm_identity=1` it creates a new participant with that phone and the earlier "
                           "holder keeps their history without the phone (listed as a `phone` change to null). "
                           "Every row is checked first; with any error nothing is written and the answer is 422 "
                           "with the same body plus `error` (also on a dry run). A file that cannot be read gets "
                           "422 with `error` only: `not_xlsx` (CSV, HTML, .xlsb, .ods renamed), `legacy_xls`, "
                           "`encrypted_file`, `macro_workbook` (.xlsm), `corrupt_file` (truncated or damaged), "
                           "`unpacked_too_large` or `unsafe_file` (zip bombs, DTDs), `too_many_rows` (more than "
                           "10,000 people, or a sheet using rows beyond 10,100, blank formatted rows included), "
                           "`too_many_cells`, `too_complex`, `cell_too_long`, `missing_headers`, `empty_file`; "
                           "over 10 MB, 413 `file_too_large`.",
            "operationId": "importParticipants",
            "parameters": [query("dry_run", "1 (or true, yes) to check without writing.",
                                 {"type": "string", "enum": ["0", "1", "true", "false", "yes", "no"]}),
                           query("confirm_identity", "1 to create a new participant for each identity conflict.",
                                 {"type": "string", "enum": ["0", "1"]}),
                           query("error_file", "1: when rows have errors, answer 422 with the uploaded workbook "
                                               "itself plus a column “Lỗi” holding each bad row's messages (.xlsx) "
                                               "instead of JSON (JSON still, when the workbook is too large to "
                                               "load whole).",
                                 {"type": "string", "enum": ["0", "1"]})],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"], "additionalProperties": False,
                "properties": {"file": {"type": "string", "format": "binary"}}}}}},
            "responses": {"200": _json(_ref("ImportResult"), "Clean file: written unless dry_run"),
                          "401": ERROR, "403": ERROR, "413": ERROR,
                          "422": _with_error_file(_json({"anyOf": [_ref("ImportResult"), _ref("Error")]},
                                       "Rows with errors (ImportResult with `error`; nothing written), or a file "
                                       "that cannot be read (Error); with error_file=1 and row errors, the "
                                       "workbook with its error column"))}},
    },
}

_STRING = {"type": "string"}
_IGNORED = {"description": "Read-only (as a GET shows it): ignored."}
_FIELDS: dict[str, Any] = {
    "full_name": text(NAME_MAX),
    "gender": {"type": "string", "enum": ["female", "male"], "x-error-code": "invalid_gender"},
    "birth_date": {"type": "string", "nullable": True, "x-format-hint": "YYYY-MM-DD hoặc dd/mm/yyyy",
                   "x-error-code": "invalid_birth_date",
                   "pattern": "^(|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4})$",
                   "description": "YYYY-MM-DD (or dd/mm/yyyy); empty or null: unknown."},
    "ethnicity": text(50, nullable=True, description="One of the 54 official groups, e.g. Kinh, Tày, Mông."),
    "ethnic_minority": {"type": "boolean", "nullable": True}, "phone": text(30),
    "email": text(254, nullable=True), "unit_code": text(10),
    "scheme": {"type": "string", "enum": SCHEMES, "nullable": True}, "position": text(POSITION_MAX, nullable=True),
    "target_group": {"type": "string", "enum": TARGET_GROUPS, "x-error-code": "invalid_target_group"},
    "id": _IGNORED, "code": _IGNORED, "unit": _IGNORED, "notice_version": _IGNORED,
}

SCHEMAS: dict[str, Any] = {
    "ParticipantInput": {"type": "object", "required": ["full_name", "gender", "phone", "unit_code", "target_group"],
                         "properties": _FIELDS, "additionalProperties": False,
                         "description": "`ethnicity` or `ethnic_minority` is required as well."},
    "ParticipantPatch": {"type": "object", "properties": _FIELDS, "additionalProperties": False},
    "Participant": {"type": "object", "required": ["id", "code", "full_name", "phone", "ethnic_minority"],
                    "properties": {
                        "id": {"type": "integer"}, "code": {"type": "string", "description": "Personal code (badge)."},
                        "full_name": _STRING, "phone": {"type": "string", "nullable": True},
                        "ethnic_minority": {"type": "boolean", "nullable": True},
                        "gender": {"type": "string", "enum": ["female", "male"]},
                        "birth_date": {"type": "string", "format": "date", "nullable": True},
                        "unit": {"type": "object", "properties": {"code": _STRING, "name": _STRING,
                                                                  "scheme": _STRING}},
                        "target_group": {"type": "string", "enum": TARGET_GROUPS}, "position": _STRING,
                        "email": {"type": "string", "nullable": True},
                        "notice_version": {"type": "string", "nullable": True}}},
    "PersonalData": {"type": "object", "required": ["generated_at", "participant", "enrolments", "attendance",
                                                    "certificates", "checkin_attempts", "history"],
                     "properties": {
                         "generated_at": {"type": "string", "format": "date-time"},
                         "participant": {"type": "object", "description": "The stored profile, with `created_at`, "
                                                                          "`updated_at` and `anonymised_at`."},
                         "enrolments": {"type": "array", "items": {"type": "object"}},
                         "attendance": {"type": "array", "items": {"type": "object"}},
                         "certificates": {"type": "array", "items": {"type": "object"}},
                         "checkin_attempts": {"type": "array", "items": {"type": "object", "properties": {
                             "id": {"type": "integer"}, "session_id": {"type": "integer", "nullable": True},
                             "attempted_at": {"type": "string", "format": "date-time"}, "reason": _STRING,
                             "phone_tried": {"type": "string", "nullable": True},
                             "participant_code_tried": {"type": "string", "nullable": True}}}},
                         "history": {"type": "array", "items": {"type": "object"}}}},
    "AnonymisedParticipant": {"allOf": [_ref("Participant"), {"type": "object", "properties": {
        "anonymised_at": {"type": "string", "format": "date-time"},
        "erased": {"type": "object", "properties": {"certificates": {"type": "integer"},
                                                    "checkin_attempts": {"type": "integer"},
                                                    "texts": {"type": "integer"}}}}}]},
    "DuplicatePhoneError": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "enum": ["duplicate_phone"]}, "message": _STRING,
            "fields": {"type": "object", "additionalProperties": _STRING},
            "existing_id": {"type": "integer"}}}}},
    "ImportRowError": {"type": "object", "required": ["row", "column", "code", "message"], "properties": {
        "row": {"type": "integer", "description": "Row number in the sheet, as Excel shows it."},
        "column": {"type": "string", "description": "Column header, e.g. “Số điện thoại”."},
        "code": {"type": "string", "description": "e.g. required, invalid_phone, invalid_characters, "
                                                  "invalid_birth_date, unknown_unit, unit_not_manageable, "
                                                  "duplicate_in_file, duplicate_phone, identity_conflict, "
                                                  "ethnicity_required, formula_cell."},
        "message": {"type": "string", "description": "Vietnamese message."},
        "participant_id": {"type": "integer", "description": "identity_conflict: the phone's present holder."}}},
    "ImportChange": {"type": "object", "required": ["row", "participant_id", "field", "old", "new"], "properties": {
        "row": {"type": "integer"}, "participant_id": {"type": "integer"},
        "field": {"type": "string", "enum": ["full_name", "gender", "birth_date", "ethnic_minority", "email",
                                             "unit_code", "position", "target_group", "phone"]},
        "old": {"oneOf": [{"type": "string"}, {"type": "boolean"}], "nullable": True,
                "description": "Text, ISO date, unit code or boolean; null when empty."},
        "new": {"oneOf": [{"type": "string"}, {"type": "boolean"}], "nullable": True}}},
    "ImportResult": {"type": "object", "required": ["created", "updated", "errors"], "properties": {
        "dry_run": {"type": "boolean"}, "rows": {"type": "integer"},
        "created": {"type": "integer", "description": "Created (or, on a dry run, to create); 0 with errors."},
        "updated": {"type": "integer", "description": "Matched by phone with a changed field; 0 with errors."},
        "unchanged": {"type": "integer", "description": "Matched by phone, nothing to change."},
        "confirm_identity": {"type": "boolean"},
        "changes": {"type": "array", "items": _ref("ImportChange"),
                    "description": "Every field an update changes (old → new); empty with errors."},
        "errors": {"type": "array", "items": _ref("ImportRowError")},
        "participant_ids": {"type": "array", "items": {"type": "integer"},
                            "description": "After a real import: every row's participant, in file order."},
        "error": {"type": "object", "properties": {"code": _STRING, "message": _STRING,
                                                   "fields": {"type": "object"}}}}},
}
