"""Consolidation: a district's report built from its communes' approved reports, a province's from its
districts' (or, in the 2025 scheme, its communes'), compared with the figures computed from the live data.

The consolidated total is the sum of the children's approved (frozen) figures plus what belongs to the unit
itself (`own`: courses it organized, as computed now). A child without an approved report contributes its live
figures and is listed as missing. Every difference between a child's approved figures and its live row is shown.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from trainer.core.text import N_
from trainer.cycle.models import ReportSubmission, SubmissionStatus
from trainer.extensions import db
from trainer.units.models import Unit

KEYS = ("courses", "sessions", "enrolled", "trainee_turns", "completed_turns", "trained_officers", "female",
        "ethnic_minority", "communes_with_trained_officer", "communes_total")
KEY_LABELS = {"courses": N_("Số lớp"), "sessions": N_("Số buổi"), "enrolled": N_("Lượt người ghi danh"),
              "trainee_turns": N_("Lượt người tham dự"), "completed_turns": N_("Lượt người hoàn thành"),
              "trained_officers": N_("Số người được bồi dưỡng"), "female": N_("Nữ"),
              "ethnic_minority": N_("Dân tộc thiểu số"),
              "communes_with_trained_officer": N_("Số xã có người được bồi dưỡng"), "communes_total": N_("Tổng số xã")}


def _pick(figures: dict[str, Any]) -> dict[str, int]:
    return {key: int(figures.get(key) or 0) for key in KEYS}


def consolidate(submission: ReportSubmission) -> dict[str, Any]:
    """The consolidation of `submission` (see the module): children, totals, differences. Two statements."""
    figures = submission.figures or {}
    live_rows = {row["unit"]["code"]: row for row in figures.get("rows", [])}
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id == submission.unit_id).order_by(Unit.code)))
    approved = {s.unit_id: s for s in db.session.scalars(select(ReportSubmission).where(
        ReportSubmission.unit_id.in_([c.id for c in children]), ReportSubmission.period == submission.period))}
    lines, total = [], _pick(figures.get("own") or {})
    for child in children:
        live = _pick(live_rows.get(child.code, {}))
        child_submission = approved.get(child.id)
        status = child_submission.status.value if child_submission is not None else "missing"
        frozen = _pick(child_submission.figures) if status == SubmissionStatus.APPROVED.value else None
        used = frozen if frozen is not None else live
        for key in KEYS:
            total[key] += used[key]
        differences = {key: {"approved": frozen[key], "live": live[key], "difference": live[key] - frozen[key]}
                       for key in KEYS if frozen is not None and frozen[key] != live[key]}
        lines.append({"unit": {"code": child.code, "name": child.name}, "status": status,
                      "submission_id": child_submission.id if child_submission is not None else None,
                      "approved": frozen, "live": live, "differences": differences})
    report_total = _pick(figures)
    differences = {key: {"consolidated": total[key], "live": report_total[key],
                         "difference": report_total[key] - total[key]}
                   for key in KEYS if total[key] != report_total[key]}
    return {"children": lines, "consolidated": total, "live": report_total, "differences": differences,
            "approved_children": sum(1 for line in lines if line["status"] == "approved"),
            "missing_children": [line["unit"]["code"] for line in lines if line["status"] != "approved"]}


def consolidation_json(submission: ReportSubmission) -> dict[str, Any]:
    """The API's answer: the consolidation with the report's id and period."""
    return {"id": submission.id, "unit": {"code": submission.unit.code, "name": submission.unit.name},
            "period": submission.period, **consolidate(submission)}
