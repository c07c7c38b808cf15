"""OpenAPI paths and schemas of the reports API (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import ERROR, SCHEMES, query, text

DATE_IN = {"type": "string", "pattern": "^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$", "x-format-hint": "YYYY-MM-DD",
           "x-error-code": "invalid_date"}


def _counts(description: str) -> dict[str, Any]:
    return {"type": "object", "description": description, "additionalProperties": {"type": "integer"}}


_FIGURES: dict[str, Any] = {
    "courses": {"type": "integer", "description": "Counted courses (start date in the period, not cancelled) "
                                                  "organized by the unit or a unit below it."},
    "sessions": {"type": "integer", "description": "Sessions of those courses."},
    "hours_delivered": {"type": "number", "description": "Scheduled hours of those sessions."},
    "enrolled": {"type": "integer", "description": "Enrolments (not withdrawn) of participants whose commune is "
                                                   "under the unit, in counted courses, whoever organized them."},
    "trainee_turns": {"type": "integer", "description": "Those enrolments with at least one attended session "
                                                        "(lượt người tham dự): a no-show is not counted."},
    "completed_turns": {"type": "integer", "description": "Those enrolments that met the course's completion "
                                                          "rule (lượt người hoàn thành)."},
    "officers_in_post": {"type": "integer", "nullable": True,
                         "description": "The official headcount of officers to train of the unit and the "
                                        "period's year (its own entry, else the sum of its children's); null when "
                                        "none was entered or the period spans several years."},
    "coverage_percent": {"type": "number", "nullable": True,
                         "description": "trained_officers / officers_in_post × 100, one decimal; null without a "
                                        "headcount."},
    "trained_officers": {"type": "integer", "description": "Distinct participants under the unit who completed at "
                                                           "least one counted course and whose certificate for it, "
                                                           "if any, is not revoked."},
    "by_target_group": _counts("trained_officers by the participant's target group (all six codes)."),
    "by_curriculum": _counts("Distinct participants who completed a counted course of each curriculum (a person "
                             "may count under several)."),
    "female": {"type": "integer", "description": "Trained officers who are women."},
    "ethnic_minority": {"type": "integer", "description": "Trained officers of an ethnic minority (a count only)."},
    "communes_total": {"type": "integer", "description": "Communes under the unit, in its scheme."},
    "communes_with_trained_officer": {"type": "integer", "description": "Communes with at least one trained officer."},
    "registry": {"type": "object", "description": "Coverage of the registry: trained / registered, where "
                                                  "registered counts every participant registered under the unit "
                                                  "(all target groups, as trained_officers does).",
                 "properties": {"trained": {"type": "integer"}, "registered": {"type": "integer"},
                                "coverage": {"type": "number", "nullable": True,
                                             "description": "trained / registered, 4 decimals; null when none "
                                                            "is registered."},
                                "by_target_group": _counts("Registered participants by target group.")}},
}
_UNIT = {"type": "object", "properties": {"code": {"type": "string", "nullable": True}, "name": {"type": "string"},
                                          "level": {"type": "string",
                                                    "enum": ["national", "province", "district", "commune"]},
                                          "scheme": {"type": "string"}}}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/reports/headcounts": {"put": {
        "summary": "Enter the official headcount of officers to train of a unit and year (reviewers in scope, "
                   "admins).",
        "description": "The denominator of `coverage_percent`. A unit's `officers_in_post` in a report is its own "
                       "entry for the year, else the sum of its children's. `officers_in_post: null` clears the "
                       "entry. Logged in the audit log.",
        "operationId": "putHeadcount",
        "parameters": [query("scheme", "Unit scheme of `unit_code` (default: TRAINER_UNIT_SCHEME).",
                             {"type": "string", "enum": SCHEMES})],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/HeadcountInput"}}}},
        "responses": {
            "200": {"description": "The entry as stored.", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Headcount"}}}},
            "400": ERROR, "401": ERROR,
            "403": {"description": "`forbidden`: organizers do not enter headcounts.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "404": {"description": "`unit_not_found`: unknown code or outside the caller's scope.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "422": {"description": "`invalid_year`, `invalid_headcount`, `validation_error`.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        }}},
    "/api/v1/reports/indicators": {"get": {
        "summary": "Project 6 indicators of a unit for a period, with one row per child unit (reviewers and "
                   "organizers in scope; admins anywhere).",
        "description": "A course is in the period when its start date falls in it. Give `year` (optionally with "
                       "`half`), or `from`/`to`, or nothing for all years. Without `unit`: the caller's unit, "
                       "or the whole country of the scheme for an admin. The .xlsx and .pdf forms are "
                       "`GET /reports/indicators.xlsx` and `GET /reports/indicators.pdf` with the same parameters "
                       "(session or bearer auth).",
        "operationId": "getIndicators",
        "parameters": [
            query("unit", "GSO code of the unit (in `scheme`).", text(10)),
            query("year", "Year of the courses' start dates; omitted: all years.",
                  {"type": "integer", "minimum": 1900, "maximum": 2100, "x-error-code": "invalid_year"}),
            query("half", "1: 1 January-30 June, 2: 1 July-31 December of `year`.",
                  {"type": "integer", "enum": [1, 2], "x-error-code": "invalid_half"}),
            query("from", "First start date (YYYY-MM-DD), instead of `year`.", DATE_IN),
            query("to", "Last start date (YYYY-MM-DD), instead of `year`.", DATE_IN),
            query("scheme", "Unit scheme of `unit` (default: TRAINER_UNIT_SCHEME).",
                  {"type": "string", "enum": SCHEMES}),
        ],
        "responses": {
            "200": {"description": "Indicators", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/IndicatorReport"}}}},
            "401": ERROR, "403": ERROR,
            "404": {"description": "`unit_not_found`: unknown code or outside the caller's scope.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "422": {"description": "`invalid_year`, `invalid_half`, `half_needs_year`, `invalid_date`, "
                                   "`conflicting_period`, `invalid_range` or `invalid_argument` (scheme), with "
                                   "`fields`.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        }}},
}

SCHEMAS: dict[str, Any] = {
    "HeadcountInput": {"type": "object", "required": ["unit_code", "year", "officers_in_post"], "properties": {
        "unit_code": {"type": "string", "maxLength": 10, "description": "GSO code of the unit."},
        "year": {"type": "integer", "minimum": 2000, "maximum": 2100, "x-error-code": "invalid_year"},
        "officers_in_post": {"type": "integer", "minimum": 0, "maximum": 1000000, "nullable": True,
                             "x-error-code": "invalid_headcount"}}},
    "Headcount": {"type": "object", "properties": {
        "unit": _UNIT, "year": {"type": "integer"}, "officers_in_post": {"type": "integer", "nullable": True}}},
    "IndicatorFigures": {"type": "object", "properties": _FIGURES},
    "IndicatorReport": {"type": "object", "required": ["unit", "year", "courses", "sessions", "enrolled",
                                                       "trainee_turns", "completed_turns", "trained_officers",
                                                       "by_target_group", "by_curriculum",
                                                       "female", "ethnic_minority", "communes_total",
                                                       "communes_with_trained_officer", "rows"],
                        "properties": {
                            "unit": _UNIT,
                            "year": {"type": "integer", "nullable": True},
                            "period": {"type": "object", "properties": {
                                "from": {"type": "string", "format": "date", "nullable": True},
                                "to": {"type": "string", "format": "date", "nullable": True},
                                "half": {"type": "integer", "nullable": True},
                                "label": {"type": "string", "description": "In Vietnamese: \"năm 2024\", "
                                                                           "\"6 tháng đầu năm 2025\"..."}}},
                            **_FIGURES,
                            "plan": {"type": "object", "nullable": True,
                                     "description": "Classes and trainees planned for the unit and the period's year "
                                                    "(its own plans and those of every unit below it), per curriculum "
                                                    "too; null when none or without a year.",
                                     "properties": {"classes": {"type": "integer"}, "trainees": {"type": "integer"},
                                                    "by_curriculum": {"type": "object"}}},
                            "own": {"allOf": [{"$ref": "#/components/schemas/IndicatorFigures"}],
                                    "description": "What belongs to the unit itself and to none of its children "
                                                   "(e.g. courses the province organized). The totals are the sum "
                                                   "of the rows and `own`."},
                            "rows": {"type": "array", "description": "One per child unit, by code.", "items": {
                                "allOf": [{"$ref": "#/components/schemas/IndicatorFigures"},
                                          {"type": "object", "properties": {"unit": _UNIT}}]}},
                        }},
}
