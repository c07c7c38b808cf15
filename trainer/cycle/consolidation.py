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
    computed = figures.get("live")  # a consolidated report keeps the live figures it replaced
    live_rows = computed["rows"] if computed else {row["unit"]["code"]: row for row in figures.get("rows", [])}
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
    report_total = computed["totals"] if computed else _pick(figures)
    differences = {key: {"consolidated": total[key], "live": report_total[key],
                         "difference": report_total[key] - total[key]}
                   for key in KEYS if total[key] != report_total[key]}
    return {"children": lines, "consolidated": total, "live": report_total, "differences": differences,
            "approved_children": sum(1 for line in lines if line["status"] == "approved"),
            "missing_children": [line["unit"]["code"] for line in lines if line["status"] != "approved"]}


SUMMED = (*KEYS, "hours_delivered")
BREAKDOWNS = ("by_curriculum", "by_target_group")


def build_consolidated(unit_id: int, period_code: str, live: dict[str, Any]) -> dict[str, Any]:
    """The figures of a report built from its child units' approved reports: each child's row is its approved
    (frozen) figures where it has them, its live row otherwise; the totals are the rows plus the unit's own.
    `consolidated_from` lists the children whose approved figures were used. One statement."""
    children_ids = select(Unit.id).where(Unit.parent_id == unit_id)
    approved = {s.unit.code: s.figures for s in db.session.scalars(select(ReportSubmission).where(
        ReportSubmission.unit_id.in_(children_ids), ReportSubmission.period == period_code,
        ReportSubmission.status == SubmissionStatus.APPROVED))}
    rows = []
    for row in live.get("rows", []):
        frozen = approved.get(row["unit"]["code"])
        rows.append({**row, **{key: frozen.get(key, row.get(key)) for key in (*SUMMED, *BREAKDOWNS)}}
                    if frozen is not None else row)
    figures = {**live, "rows": rows, "basis": "consolidated", "consolidated_from": sorted(approved),
               "live": {"totals": _pick(live),
                        "rows": {row["unit"]["code"]: _pick(row) for row in live.get("rows", [])}}}
    own = live.get("own") or {}
    for key in SUMMED:
        figures[key] = sum(row.get(key) or 0 for row in rows) + (own.get(key) or 0)
    for key in BREAKDOWNS:
        totals: dict[str, Any] = dict.fromkeys(live.get(key) or {}, 0)
        for part in (*rows, own):
            for name, value in (part.get(key) or {}).items():
                totals[name] = totals.get(name, 0) + (value or 0)
        figures[key] = totals
    return figures


def consolidation_json(submission: ReportSubmission) -> dict[str, Any]:
    """The API's answer: the consolidation with the report's id and period."""
    return {"id": submission.id, "unit": {"code": submission.unit.code, "name": submission.unit.name},
            "period": submission.period, **consolidate(submission)}
