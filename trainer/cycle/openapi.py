"""OpenAPI paths and schemas of the reporting cycle (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from trainer.core.openapi import (
    ERROR,
    PAGE_PARAMS,
    SCHEMES,
    WRITE_ERRORS,
    id_param,
    list_of,
    query,
    request_body,
    response,
    text,
)

PLAN_ID = id_param("plan_id")
SUBMISSION_ID = id_param("submission_id")
PERIOD_IN = {"type": "string", "pattern": "^20[0-9]{2}(-H1)?$", "x-error-code": "invalid_period",
             "description": "`YYYY` (annual report) or `YYYY-H1` (six-month report).", "example": "2024"}
SCHEME_PARAM = query("scheme", "Unit scheme of the unit code (default: TRAINER_UNIT_SCHEME).",
                     {"type": "string", "enum": SCHEMES})
UNIT = {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                         "level": {"type": "string"}, "scheme": {"type": "string"}}}
SECTION = text(20000, nullable=True)
NARRATIVE_IN = {"type": "object", "additionalProperties": False, "properties": {
    "basis": SECTION, "results": SECTION, "assessment": SECTION, "difficulties": SECTION, "proposals": SECTION}}
STEP_ERRORS = {**WRITE_ERRORS, "409": {
    "description": "`invalid_status`: not in the state the step needs.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}


def _step(summary: str, operation_id: str, body: str | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "operationId": operation_id, "parameters": [SUBMISSION_ID],
                                 "responses": {"200": response("The report as it now is.", "ReportSubmission"),
                                               **STEP_ERRORS}}
    if body:
        operation["requestBody"] = request_body(body)
    return operation


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/plans": {
        "post": {
            "summary": "Create (201) or replace (200) the draft plan of a unit and year (organizers of the unit).",
            "description": "Targets of classes and trainees per curriculum and, optionally, target group. An approved "
                           "plan is not changed (409 `plan_approved`). Logged.",
            "operationId": "createPlan", "parameters": [SCHEME_PARAM], "requestBody": request_body("PlanInput"),
            "responses": {"201": response("Created", "Plan"), "200": response("Replaced", "Plan"), **WRITE_ERRORS}},
        "get": {
            "summary": "Plans in the caller's scope.", "operationId": "listPlans",
            "parameters": [query("unit", "GSO code: the unit and every unit below it.", text(10)),
                           query("year", "Year of the plan.", {"type": "integer", "minimum": 2021, "maximum": 2099,
                                                               "x-error-code": "invalid_year"}),
                           SCHEME_PARAM, *PAGE_PARAMS],
            "responses": {"200": response("Plans", list_of("Plan")), "401": ERROR, "404": ERROR, "422": ERROR}}},
    "/api/v1/plans/{plan_id}": {"get": {
        "summary": "One plan.", "operationId": "getPlan", "parameters": [PLAN_ID],
        "responses": {"200": response("Plan", "Plan"), "401": ERROR, "404": ERROR}}},
    "/api/v1/plans/{plan_id}/approve": {"post": {
        "summary": "Approve a plan (a reviewer of a unit above it, or an admin). Logged.",
        "operationId": "approvePlan", "parameters": [PLAN_ID],
        "responses": {"200": response("Approved", "Plan"), **WRITE_ERRORS}}},
    "/api/v1/plans/{plan_id}/reopen": {"post": {
        "summary": "Put an approved plan back to draft with a reason (a reviewer of a unit above). Logged.",
        "operationId": "reopenPlan", "parameters": [PLAN_ID], "requestBody": request_body("ReopenInput"),
        "responses": {"200": response("Reopened", "Plan"), **WRITE_ERRORS}}},
    "/api/v1/report-submissions": {
        "post": {
            "summary": "Create the draft six-month or annual report of a unit (organizers or reviewers of the unit).",
            "description": "`figures` is the indicator report of the unit and period (with `plan`), computed now; "
                           "`due_on` is 20 May for `YYYY-H1` and 30 October for `YYYY` (configurable). A second "
                           "report of the same unit and period: 409 `submission_exists`. Logged.",
            "operationId": "createReportSubmission", "parameters": [SCHEME_PARAM],
            "requestBody": request_body("ReportSubmissionInput"),
            "responses": {"201": response("Created", "ReportSubmission"), **WRITE_ERRORS}},
        "get": {
            "summary": "Reports in the caller's scope (without their figures).", "operationId": "listReportSubmissions",
            "parameters": [query("unit", "GSO code: the unit and every unit below it.", text(10)),
                           query("period", "`YYYY` or `YYYY-H1`.", PERIOD_IN),
                           query("status", "Review state.", {"type": "string",
                                                             "enum": ["draft", "submitted", "returned", "approved"]}),
                           SCHEME_PARAM, *PAGE_PARAMS],
            "responses": {"200": response("Reports", list_of("ReportSubmission")), "401": ERROR, "404": ERROR,
                          "422": ERROR}}},
    "/api/v1/report-submissions/{submission_id}": {
        "get": {"summary": "One report with its figures.", "operationId": "getReportSubmission",
                "parameters": [SUBMISSION_ID],
                "responses": {"200": response("Report", "ReportSubmission"), "401": ERROR, "404": ERROR}},
        "patch": {"summary": "Edit the narrative of a draft or returned report; `refresh_figures` recomputes them.",
                  "operationId": "patchReportSubmission", "parameters": [SUBMISSION_ID],
                  "requestBody": request_body("ReportSubmissionPatch"),
                  "responses": {"200": response("Report", "ReportSubmission"), **STEP_ERRORS}}},
    "/api/v1/report-submissions/{submission_id}/submit": {"post": _step(
        "Send the report to the unit above (organizers or reviewers of the unit); figures computed afresh. `results` "
        "and `proposals` must be written (422 `narrative_required`).", "submitReportSubmission")},
    "/api/v1/report-submissions/{submission_id}/approve": {"post": _step(
        "Approve a submitted report (a reviewer of a unit above): figures frozen, the unit's attendance, enrolments "
        "and certificates of the period locked (409 `period_locked`).", "approveReportSubmission")},
    "/api/v1/report-submissions/{submission_id}/return": {"post": _step(
        "Return a submitted report to its unit with a comment (a reviewer of a unit above).",
        "returnReportSubmission", "ReturnInput")},
    "/api/v1/report-submissions/{submission_id}/reopen": {"post": _step(
        "Reopen an approved report with a reason (a reviewer of a unit above): the period is unlocked and the "
        "report is back with its unit (status `returned`).", "reopenReportSubmission", "ReopenInput")},
    "/api/v1/report-submissions/{submission_id}/consolidation": {"get": {
        "summary": "The report consolidated from its child units' approved reports, and the differences with the "
                   "live figures.", "operationId": "getConsolidation", "parameters": [SUBMISSION_ID],
        "responses": {"200": response("Consolidation", "Consolidation"), "401": ERROR, "404": ERROR}}},
}

_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
SCHEMAS: dict[str, Any] = {
    "PlanTarget": {"type": "object", "required": ["curriculum_code", "classes", "trainees"], "properties": {
        "curriculum_code": {"type": "string", "maxLength": 10},
        "target_group": {"type": "string", "nullable": True,
                         "enum": ["commune_culture_officer", "party_info_staff", "mass_org_staff", "info_manager",
                                  "press_staff", "other", None]},
        "classes": {"type": "integer", "minimum": 0, "maximum": 100000},
        "trainees": {"type": "integer", "minimum": 0, "maximum": 100000}}},
    "PlanInput": {"type": "object", "required": ["unit_code", "year", "targets"], "properties": {
        "unit_code": text(10), "year": {"type": "integer", "minimum": 2021, "maximum": 2099,
                                        "x-error-code": "invalid_year"},
        "targets": {"type": "array", "maxItems": 60, "items": {"$ref": "#/components/schemas/PlanTarget"}}}},
    "Plan": {"type": "object", "required": ["id", "unit", "year", "status", "targets"], "properties": {
        "id": {"type": "integer"}, "unit": UNIT, "year": {"type": "integer"},
        "status": {"type": "string", "enum": ["draft", "approved"]},
        "targets": {"type": "array", "items": {"$ref": "#/components/schemas/PlanTarget"}},
        "classes": {"type": "integer"}, "trainees": {"type": "integer"},
        "approved_at": {"type": "string", "format": "date-time", "nullable": True}}},
    "ReportSubmissionInput": {"type": "object", "required": ["unit_code", "period"], "properties": {
        "unit_code": text(10), "period": PERIOD_IN,
        "basis": {"type": "string", "enum": ["computed", "consolidated"], "x-error-code": "invalid_basis",
                  "description": "`computed` (default): the figures of the live data; `consolidated`: the child units' "
                                 "rows and the totals from their approved reports (`figures.consolidated_from` names "
                                 "them, `figures.live` keeps the live figures they replaced)."}}},
    "ReportSubmissionPatch": {"type": "object", "properties": {
        "narrative": NARRATIVE_IN, "refresh_figures": {"type": "boolean"}}},
    "ReturnInput": {"type": "object", "required": ["comment"], "properties": {"comment": text(2000)}},
    "ReopenInput": {"type": "object", "required": ["reason"], "properties": {"reason": text(2000)}},
    "ReportSubmission": {"type": "object", "required": ["id", "unit", "period", "status", "due_on", "late",
                                                        "narrative"], "properties": {
        "id": {"type": "integer"}, "unit": UNIT, "period": {"type": "string"},
        "status": {"type": "string", "enum": ["draft", "submitted", "returned", "approved"]},
        "due_on": {"type": "string", "format": "date"},
        "late": {"type": "boolean", "description": "First submitted after `due_on`."},
        "locked": {"type": "boolean", "description": "Approved: the period's data of the unit is locked."},
        "narrative": {"type": "object", "description": "`basis`: the opening paragraph (the legal basis, drafted "
                                                       "by trainer); then the four sections of the report.",
                      "properties": {key: {"type": "string"} for key in (
                          "basis", "results", "assessment", "difficulties", "proposals")}},
        "comment": {"type": "string", "nullable": True, "description": "The reviewer's comment on a return, or "
                                                                        "the reason of a reopening."},
        "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
        "decided_at": {"type": "string", "format": "date-time", "nullable": True},
        "figures_at": {"type": "string", "format": "date-time", "nullable": True},
        "attachments": {"type": "array", "description": "Files sent with the report (uploaded on its page); empty "
                                                         "in lists.", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "filename": {"type": "string"}, "content_type": {"type": "string"},
            "size": {"type": "integer"}}}},
        "figures": {"allOf": [{"$ref": "#/components/schemas/IndicatorReport"}],
                    "description": "The indicator report of the unit and period, with `plan`."}}},
    "Consolidation": {"type": "object", "properties": {
        "id": {"type": "integer"}, "unit": UNIT, "period": {"type": "string"},
        "children": {"type": "array", "items": {"type": "object", "properties": {
            "unit": UNIT, "status": {"type": "string", "enum": ["draft", "submitted", "returned", "approved",
                                                                "missing"]},
            "submission_id": {"type": "integer", "nullable": True},
            "approved": {**_COUNTS, "nullable": True}, "live": _COUNTS,
            "differences": {"type": "object"}}}},
        "consolidated": _COUNTS, "live": _COUNTS, "differences": {"type": "object"},
        "approved_children": {"type": "integer"},
        "missing_children": {"type": "array", "items": {"type": "string"}}}},
}
