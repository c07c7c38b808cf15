"""Annual plans: a unit's targets of classes and trainees per curriculum (and target group), drafted by its
organizer and approved by a reviewer above it; and the plan the indicator reports compare the actual with."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from trainer.audit.services import record_audit
from trainer.core.clock import now as clock_now
from trainer.core.errors import DomainError, ValidationError
from trainer.core.text import clean_text
from trainer.courses.models import Course, CourseStatus
from trainer.curricula.models import Curriculum, TargetGroup
from trainer.cycle.access import forbidden, may_draft_plan, may_review
from trainer.cycle.models import Plan, PlanStatus, PlanTarget
from trainer.extensions import db
from trainer.units.models import Unit

if TYPE_CHECKING:
    from trainer.accounts.models import User

FIRST_YEAR, LAST_YEAR = 2021, 2099
MAX_TARGET = 100_000
MAX_TARGETS = 60


def _invalid(field: str, message: str, code: str = "invalid_target") -> ValidationError:
    return ValidationError(code, message, fields={field: message})


def check_plan_year(value: Any) -> int:
    """A year from 2021 to 2099. Raises ValidationError('invalid_year')."""
    text_value = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if text_value.isdigit() and FIRST_YEAR <= int(text_value) <= LAST_YEAR:
        return int(text_value)
    raise _invalid("year", f"Năm kế hoạch phải từ {FIRST_YEAR} đến {LAST_YEAR}.", "invalid_year")


def _count(value: Any, field: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TARGET:
        raise _invalid(field, f"Phải là số nguyên từ 0 đến {MAX_TARGET:,}.".replace(",", "."))
    return value


def check_targets(targets: Any) -> list[dict[str, Any]]:
    """The targets of a plan: `[{curriculum_code, target_group?, classes, trainees}]`, each curriculum and group
    once. Raises ValidationError('invalid_target' | 'unknown_curriculum' | 'duplicate_target')."""
    if not isinstance(targets, list) or len(targets) > MAX_TARGETS:
        raise _invalid("targets", f"Chỉ tiêu phải là danh sách (tối đa {MAX_TARGETS} dòng).")
    known = set(db.session.scalars(select(Curriculum.code)))
    groups = {group.value for group in TargetGroup}
    cleaned, seen = [], set()
    for index, item in enumerate(targets):
        field = f"targets[{index}]"
        if not isinstance(item, dict):
            raise _invalid(field, "Mỗi dòng chỉ tiêu phải là một đối tượng.")
        code = str(item.get("curriculum_code") or "").strip()
        if code not in known:
            raise _invalid(f"{field}.curriculum_code", f"Không có chương trình mã “{code}”.", "unknown_curriculum")
        group = item.get("target_group") or None
        if group is not None and group not in groups:
            raise _invalid(f"{field}.target_group", f"Không có nhóm đối tượng “{group}”.")
        if (code, group) in seen:
            raise _invalid(field, f"Chỉ tiêu của {code} cho nhóm này đã có ở dòng trên.", "duplicate_target")
        seen.add((code, group))
        cleaned.append({"curriculum_code": code, "target_group": group,
                        "classes": _count(item.get("classes"), f"{field}.classes"),
                        "trainees": _count(item.get("trainees"), f"{field}.trainees")})
    return cleaned


def get_plan(unit: Unit, year: int) -> Plan | None:
    """The plan of `unit` for `year`, if any."""
    return db.session.scalar(select(Plan).where(Plan.unit_id == unit.id, Plan.year == year))


def save_plan(actor: User, unit: Unit, year: int, targets: list[dict[str, Any]]) -> tuple[Plan, bool]:
    """Create the plan of `unit` for `year` or replace the targets of its draft; logged. Returns (plan, created).

    Raises DomainError('forbidden', 403) unless the actor organizes the unit, DomainError('plan_approved', 409)
    once a reviewer approved it (it is then the agreed plan)."""
    if not may_draft_plan(actor, unit):
        raise forbidden("Chỉ cán bộ tổ chức lớp của đơn vị mới lập kế hoạch.")
    plan = get_plan(unit, year)
    created = plan is None
    if plan is None:
        plan = Plan(unit=unit, year=year, created_by_id=actor.id)
        db.session.add(plan)
    elif plan.status is PlanStatus.APPROVED:
        raise DomainError("plan_approved", f"Kế hoạch năm {year} của {unit.name} đã được duyệt, không sửa được.")
    plan.targets = [PlanTarget(**target) for target in targets]
    db.session.flush()
    record_audit(actor, "plan.create" if created else "plan.update", plan, year=year,
                 targets=[[t["curriculum_code"], t["target_group"], t["classes"], t["trainees"]] for t in targets])
    return plan, created


def approve_plan(actor: User, plan: Plan) -> Plan:
    """Approve `plan` (a reviewer above its unit, or an admin); logged.

    Raises DomainError('forbidden', 403), DomainError('plan_approved', 409), DomainError('plan_empty', 409)."""
    if not may_review(actor, plan.unit):
        raise forbidden("Chỉ cán bộ theo dõi, báo cáo của cấp trên mới duyệt kế hoạch.")
    if plan.status is PlanStatus.APPROVED:
        raise DomainError("plan_approved", "Kế hoạch này đã được duyệt.")
    if not plan.targets:
        raise DomainError("plan_empty", "Kế hoạch chưa có chỉ tiêu nào.")
    plan.status, plan.approved_by_id, plan.approved_at = PlanStatus.APPROVED, actor.id, clock_now()
    record_audit(actor, "plan.approve", plan, year=plan.year)
    db.session.flush()
    return plan


def reopen_plan(actor: User, plan: Plan, reason: Any) -> Plan:
    """Put an approved plan back to draft so its unit can change it (a reviewer above, with a reason); logged.

    Raises DomainError('forbidden', 403 | 'plan_not_approved', 409), ValidationError('reason_required')."""
    if not may_review(actor, plan.unit):
        raise forbidden("Chỉ cán bộ theo dõi, báo cáo của cấp trên mới mở lại kế hoạch.")
    reason = clean_text(reason, "reason", 500, label="lý do")
    if not reason:
        raise _invalid("reason", "Nhập lý do mở lại kế hoạch.", "reason_required")
    if plan.status is not PlanStatus.APPROVED:
        raise DomainError("plan_not_approved", "Kế hoạch chưa được duyệt, không cần mở lại.")
    plan.status, plan.approved_by_id, plan.approved_at = PlanStatus.DRAFT, None, None
    record_audit(actor, "plan.reopen", plan, year=plan.year, reason=reason)
    db.session.flush()
    return plan


def plan_json(plan: Plan) -> dict[str, Any]:
    """The API's plan: `{id, unit, year, status, targets, classes, trainees, approved_at}`."""
    targets = [{"curriculum_code": t.curriculum_code, "target_group": t.target_group, "classes": t.classes,
                "trainees": t.trainees} for t in plan.targets]
    return {"id": plan.id, "unit": {"code": plan.unit.code, "name": plan.unit.name, "level": plan.unit.level.value,
                                    "scheme": plan.unit.scheme},
            "year": plan.year, "status": plan.status.value, "targets": targets,
            "classes": sum(t["classes"] for t in targets), "trainees": sum(t["trainees"] for t in targets),
            "approved_at": plan.approved_at.isoformat() if plan.approved_at else None}


def plan_summary(unit: Unit | None, year: int | None, *, scheme: str) -> dict[str, Any] | None:
    """The `plan` member of an indicator report: classes and trainees planned for `year` by `unit` and every unit
    below it (None: the whole country of `scheme`), per curriculum too; None when no plan exists. One statement."""
    if year is None:
        return None
    prefix = unit.path if unit is not None else f"{scheme}/"
    rows = db.session.execute(
        select(PlanTarget.curriculum_code, func.sum(PlanTarget.classes), func.sum(PlanTarget.trainees))
        .join(Plan, Plan.id == PlanTarget.plan_id).join(Unit, Unit.id == Plan.unit_id)
        .where(Plan.year == year, Unit.path.startswith(prefix, autoescape=True))
        .group_by(PlanTarget.curriculum_code).order_by(PlanTarget.curriculum_code)).all()
    if not rows:
        return None
    by_curriculum = {code: {"classes": int(classes), "trainees": int(trainees)} for code, classes, trainees in rows}
    return {"classes": sum(v["classes"] for v in by_curriculum.values()),
            "trainees": sum(v["trainees"] for v in by_curriculum.values()), "by_curriculum": by_curriculum}


def actual_classes(unit: Unit, year: int) -> dict[str, int]:
    """Counted courses (not cancelled) started in `year` under `unit`, per curriculum code. One statement."""
    rows = db.session.execute(
        select(Curriculum.code, func.count(Course.id)).join(Course, Course.curriculum_id == Curriculum.id)
        .join(Unit, Unit.id == Course.unit_id)
        .where(Unit.path.startswith(unit.path, autoescape=True), Course.status != CourseStatus.CANCELLED,
               Course.start_date.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(Curriculum.code)).all()
    return {code: int(n) for code, n in rows}
