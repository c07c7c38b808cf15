"""A course's own rules: when check-in opens, when arrival counts as late, the completion
threshold and whether certificates are issued (defaults: 30 min, 15 min, the curriculum's, yes).
Their form is `courses.forms.CourseRulesForm`, their page `courses.views.rules`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.errors import N_, Num, ValidationError
from trainer.courses.models import Course

LIMITS = {"checkin_opens_minutes": (0, 240), "late_after_minutes": (0, 240)}


def update_course_rules(course: Course, *, actor: User, checkin_opens_minutes: Any = None,
                        late_after_minutes: Any = None, completion_threshold: Any = "keep",
                        issues_certificates: Any = None) -> Course:
    """Change the rules given (None leaves one as it is; a None threshold means the curriculum's).

    Raises ValidationError('invalid_rule') naming the field.
    """
    for field, value in (("checkin_opens_minutes", checkin_opens_minutes),
                         ("late_after_minutes", late_after_minutes)):
        if value is None:
            continue
        low, high = LIMITS[field]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            message = N_("Phải là số phút từ %(low)s đến %(high)s.")
            raise ValidationError("invalid_rule", message, fields={field: message}, params={"low": low, "high": high})
        setattr(course, field, value)
    if completion_threshold != "keep":
        if completion_threshold is not None:
            try:
                threshold = Decimal(str(completion_threshold))
            except ArithmeticError:
                threshold = Decimal(-1)
            if not Decimal("0.1") <= threshold <= 1:
                message = N_("Tỷ lệ hoàn thành phải từ %(low)s đến 1 (ví dụ %(example)s là 80%% số giờ).")
                raise ValidationError("invalid_rule", message, fields={"completion_threshold": message},
                                      params={"low": Num(Decimal("0.1")), "example": Num(Decimal("0.8"))})
            completion_threshold = threshold
        course.completion_threshold = completion_threshold
    if issues_certificates is not None:
        course.issues_certificates = bool(issues_certificates)
    record_audit(actor, "course.rules", course, checkin_opens_minutes=course.checkin_opens_minutes,
                 late_after_minutes=course.late_after_minutes, issues_certificates=course.issues_certificates,
                 completion_threshold=str(course.completion_threshold) if course.completion_threshold else None)
    return course

