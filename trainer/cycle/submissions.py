"""Periodic reports of a unit (six-month `YYYY-H1`, annual `YYYY`): a draft computed from the figures, a narrative
written by the unit, submission to the unit above, its approval or return with a comment, and reopening.

Every step is written to the audit log. Approval freezes `figures` (computed once more at that moment, so they
are the figures of the locked data) and locks the period's attendance, enrolments and certificates of the
unit's courses (`cycle.locks`).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.audit.models import AuditEntry
from trainer.audit.services import record_audit
from trainer.core.clock import now as clock_now
from trainer.core.errors import DomainError, ValidationError
from trainer.core.text import N_, hidden_character
from trainer.cycle.access import forbidden, may_draft_report, may_review
from trainer.cycle.consolidation import build_consolidated
from trainer.cycle.models import ReportSubmission, SubmissionStatus
from trainer.cycle.periods import ReportPeriod, parse_period
from trainer.cycle.plans import plan_summary
from trainer.extensions import db
from trainer.reports.services import build_report

if TYPE_CHECKING:
    from trainer.accounts.models import User
    from trainer.units.models import Unit

# The sections of a report (Circular 10/2022/TT-BLĐTBXH, Mẫu 01; domain/documents.md, check 6).
SECTIONS = (("results", N_("Kết quả thực hiện")), ("assessment", N_("Đánh giá chung")),
            ("difficulties", N_("Khó khăn, vướng mắc và nguyên nhân")), ("proposals", N_("Đề xuất, kiến nghị")))
# The opening paragraph (the legal basis: what the report answers), before the numbered sections.
OPENING = ("basis", N_("Căn cứ báo cáo (đoạn mở đầu)"))
SECTION_KEYS = (OPENING[0], *(key for key, _ in SECTIONS))
MAX_SECTION = 20_000
MAX_COMMENT = 2_000
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
STATUS_LABELS = {"draft": N_("Đang soạn"), "submitted": N_("Đã gửi, chờ duyệt"), "returned": N_("Bị trả lại"),
                 "approved": N_("Đã duyệt"), "missing": N_("Chưa lập báo cáo")}


def _invalid(field: str, message: str, code: str = "validation_error") -> ValidationError:
    return ValidationError(code, message, fields={field: message})


def clean_paragraphs(value: Any, field: str, max_length: int, *, required: bool = False) -> str:
    """Typed text kept with its line breaks: NFC, no hidden characters, at most `max_length` characters.

    Raises ValidationError('invalid_characters' | 'required' | 'too_long')."""
    if value is not None and not isinstance(value, str):
        raise _invalid(field, "Phải là văn bản.")
    text_value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    found = hidden_character(text_value)
    if found is not None:
        raise _invalid(field, f"Có ký tự không được phép ở vị trí {found[0]}.", "invalid_characters")
    if required and not text_value:
        raise _invalid(field, "Bắt buộc nhập.", "required")
    if len(text_value) > max_length:
        raise _invalid(field, f"Tối đa {max_length:,} ký tự.".replace(",", "."), "too_long")
    return text_value


def check_narrative(narrative: Any) -> dict[str, str]:
    """The narrative sections given (results, assessment, difficulties, proposals). Raises ValidationError."""
    if not isinstance(narrative, dict):
        raise _invalid("narrative", "narrative phải là đối tượng {results, assessment, difficulties, proposals}.")
    unknown = sorted(set(narrative) - set(SECTION_KEYS))
    if unknown:
        raise _invalid(f"narrative.{unknown[0]}", f"Không có mục “{unknown[0]}”; các mục: {', '.join(SECTION_KEYS)}.")
    return {key: clean_paragraphs(value, f"narrative.{key}", MAX_SECTION) for key, value in narrative.items()}


BASES = ("computed", "consolidated")


def compute_figures(unit: Unit, period: ReportPeriod, basis: str = "computed") -> dict[str, Any]:
    """The indicator report of `unit` for `period`, with the plan of the year; with basis "consolidated", its
    child units' rows and the totals come from their approved reports (`consolidation.build_consolidated`)."""
    figures = build_report(unit, period.report_period)
    figures["plan"] = plan_summary(unit, period.year, scheme=unit.scheme)
    if basis == "consolidated":
        figures = build_consolidated(unit.id, period.code, figures)
    return figures


def _recompute(submission: ReportSubmission) -> dict[str, Any]:
    """The report's figures again, on the basis it was created with."""
    return compute_figures(submission.unit, period_of(submission), (submission.figures or {}).get("basis",
                                                                                                  "computed"))


def default_basis(unit: Unit, period: ReportPeriod) -> str:
    """The opening paragraph a draft starts with: the legal basis of the report, to be edited by the unit."""
    return (f"Thực hiện Thông tư số 10/2022/TT-BLĐTBXH về theo dõi, giám sát, đánh giá thực hiện Chương trình và "
            f"kế hoạch bồi dưỡng năm {period.year}, {unit.name} báo cáo kết quả bồi dưỡng, tập huấn cán bộ thông "
            f"tin và truyền thông cơ sở (Dự án 6) {period.label} như sau:")


def period_of(submission: ReportSubmission) -> ReportPeriod:
    return parse_period(submission.period)


def get_submission(unit: Unit, period: ReportPeriod) -> ReportSubmission | None:
    return db.session.scalar(select(ReportSubmission).where(ReportSubmission.unit_id == unit.id,
                                                            ReportSubmission.period == period.code))


def create_submission(actor: User, unit: Unit, period: ReportPeriod, *, basis: str = "computed") -> ReportSubmission:
    """The draft report of `unit` for `period`, its figures computed now (or consolidated from its children's
    approved reports); logged.

    Raises DomainError('forbidden', 403), DomainError('submission_exists', 409), ValidationError('invalid_basis')."""
    if basis not in BASES:
        raise _invalid("basis", f"basis phải là một trong: {', '.join(BASES)}.", "invalid_basis")
    if not may_draft_report(actor, unit):
        raise forbidden("Chỉ cán bộ của đơn vị mới lập báo cáo của đơn vị.")
    if get_submission(unit, period) is not None:
        raise DomainError("submission_exists", f"{unit.name} đã có báo cáo {period.label}; mở báo cáo đó để sửa.")
    submission = ReportSubmission(unit=unit, period=period.code, period_start=period.start, period_end=period.end,
                                  due_on=period.due_on(), status=SubmissionStatus.DRAFT, narrative={},
                                  figures=compute_figures(unit, period, basis), figures_at=clock_now(),
                                  created_by_id=actor.id)
    submission.narrative = {"basis": default_basis(unit, period)}
    db.session.add(submission)
    db.session.flush()
    record_audit(actor, "report_submission.create", submission, period=period.code, basis=basis)
    return submission


def check_editable(actor: User, submission: ReportSubmission) -> None:
    if not may_draft_report(actor, submission.unit):
        raise forbidden("Chỉ cán bộ của đơn vị mới sửa báo cáo của đơn vị.")
    if submission.status not in EDITABLE:
        raise DomainError("submission_not_editable",
                          f"Báo cáo đang ở trạng thái “{STATUS_LABELS[submission.status.value]}”, không sửa được.")


def update_narrative(actor: User, submission: ReportSubmission, narrative: dict[str, str]) -> ReportSubmission:
    """Change the narrative sections given (a draft or a returned report); logged with the sections' names only."""
    check_editable(actor, submission)
    submission.narrative = {**(submission.narrative or {}), **narrative}
    record_audit(actor, "report_submission.edit", submission, sections=sorted(narrative))
    db.session.flush()
    return submission


def refresh_figures(actor: User, submission: ReportSubmission) -> ReportSubmission:
    """Compute the figures of a draft or returned report again from the data as it is now."""
    check_editable(actor, submission)
    submission.figures, submission.figures_at = _recompute(submission), clock_now()
    db.session.flush()
    return submission


def submit_submission(actor: User, submission: ReportSubmission) -> ReportSubmission:
    """Send the report to the unit above, its figures computed afresh; logged.

    Raises DomainError('forbidden', 403 | 'submission_not_editable' | 'narrative_required', 409 | 422)."""
    check_editable(actor, submission)
    missing = [label for key, label in SECTIONS if key in ("results", "proposals")
               and not (submission.narrative or {}).get(key)]
    if missing:
        message = f"Nhập các mục trước khi gửi: {', '.join(missing)}."
        raise DomainError("narrative_required", message, fields={"narrative": message}, status=422)
    moment = clock_now()
    submission.figures, submission.figures_at = _recompute(submission), moment
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, moment
    submission.submitted_by_id = actor.id
    submission.first_submitted_at = submission.first_submitted_at or moment
    record_audit(actor, "report_submission.submit", submission, period=submission.period, late=submission.late)
    db.session.flush()
    return submission


def _check_reviewer(actor: User, submission: ReportSubmission, wanted: SubmissionStatus, verb: str) -> None:
    if not may_review(actor, submission.unit):
        raise forbidden(f"Chỉ cán bộ theo dõi, báo cáo của cấp trên mới {verb} báo cáo này.")
    if wanted is SubmissionStatus.SUBMITTED and submission.submitted_by_id == actor.id:
        raise DomainError("own_submission", "Người gửi báo cáo không tự duyệt hay trả lại báo cáo của mình.",
                          status=403)
    if submission.status is not wanted:
        raise DomainError("invalid_status", f"Không thể {verb} báo cáo đang ở trạng thái "
                                            f"“{STATUS_LABELS[submission.status.value]}”.")


def approve_submission(actor: User, submission: ReportSubmission) -> ReportSubmission:
    """Approve a submitted report: its figures are frozen and its period locked; logged."""
    _check_reviewer(actor, submission, SubmissionStatus.SUBMITTED, "duyệt")
    moment = clock_now()
    submission.figures, submission.figures_at = _recompute(submission), moment
    submission.status, submission.decided_at, submission.decided_by_id = SubmissionStatus.APPROVED, moment, actor.id
    submission.comment = None
    record_audit(actor, "report_submission.approve", submission, period=submission.period)
    db.session.flush()
    return submission


def _send_back(actor: User, submission: ReportSubmission, text: Any, *, field: str, expected: SubmissionStatus,
               verb: str, action: str) -> ReportSubmission:
    """Put a report back to its unit as returned, with the reviewer's `text` (a comment or a reason); logged."""
    text = clean_paragraphs(text, field, MAX_COMMENT, required=True)
    _check_reviewer(actor, submission, expected, verb)
    submission.status, submission.decided_at = SubmissionStatus.RETURNED, clock_now()
    submission.decided_by_id = actor.id
    submission.comment = text
    record_audit(actor, action, submission, period=submission.period, **{field: text})
    db.session.flush()
    return submission


def return_submission(actor: User, submission: ReportSubmission, comment: Any) -> ReportSubmission:
    """Send a submitted report back to its unit with a comment saying what to fix; logged."""
    return _send_back(actor, submission, comment, field="comment", expected=SubmissionStatus.SUBMITTED,
                      verb="trả lại", action="report_submission.return")


def reopen_submission(actor: User, submission: ReportSubmission, reason: Any) -> ReportSubmission:
    """Reopen an approved report (its unit may change the period's data and the report again); logged."""
    return _send_back(actor, submission, reason, field="reason", expected=SubmissionStatus.APPROVED,
                      verb="mở lại", action="report_submission.reopen")


def history(submission: ReportSubmission) -> list[AuditEntry]:
    """The audit entries of the report, oldest first, with their actors (one statement)."""
    return list(db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.object_type == "ReportSubmission", AuditEntry.object_id == submission.id)
        .order_by(AuditEntry.id)))


def submission_json(submission: ReportSubmission, *, with_figures: bool = True) -> dict[str, Any]:
    """The API's report submission."""
    unit = submission.unit
    body: dict[str, Any] = {
        "id": submission.id, "unit": {"code": unit.code, "name": unit.name, "level": unit.level.value,
                                      "scheme": unit.scheme},
        "period": submission.period, "status": submission.status.value, "due_on": submission.due_on.isoformat(),
        "late": submission.late, "locked": submission.status is SubmissionStatus.APPROVED,
        "narrative": {key: (submission.narrative or {}).get(key, "") for key in SECTION_KEYS},
        "comment": submission.comment,
        "submitted_at": submission.submitted_at.isoformat() if submission.submitted_at else None,
        "decided_at": submission.decided_at.isoformat() if submission.decided_at else None,
        "figures_at": submission.figures_at.isoformat() if submission.figures_at else None,
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size_bytes}
                         for a in submission.attachments] if with_figures else [],
    }
    if with_figures:
        body["figures"] = submission.figures
    return body
