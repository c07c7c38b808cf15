"""Every model in one place, for Alembic's autogenerate and `flask shell`."""

import trainer.attendance.hours  # noqa: F401 - the triggers that keep enrolments' attended hours
from trainer.accounts.models import ApiToken, LoginSession, Role, User
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, CheckinAttempt
from trainer.audit.models import AuditEntry
from trainer.certificates.models import Certificate
from trainer.core.throttle import ThrottleFailure
from trainer.courses.models import Course, CourseModule, CourseStatus, Enrolment, EnrolmentStatus
from trainer.curricula.models import Curriculum, CurriculumModule, TargetGroup
from trainer.cycle.models import Plan, PlanTarget, ReportAttachment, ReportSubmission
from trainer.finance.models import CourseBudgetLine, CourseDocument, Lecturer, ProvinceRate
from trainer.materials.models import Material
from trainer.participants.models import Gender, Participant
from trainer.reports.models import OfficerHeadcount
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit, UnitIssuer, UnitLevel, UnitSuccessor

__all__ = [
    "ApiToken", "AttendanceMethod", "AttendanceRecord", "AuditEntry", "Certificate", "CheckinAttempt",
    "Course", "CourseModule", "CourseSession", "CourseStatus", "Curriculum", "CurriculumModule",
    "Enrolment", "EnrolmentStatus", "Gender", "Material", "Participant", "Role", "TargetGroup", "Unit",
    "UnitIssuer", "UnitLevel", "UnitSuccessor", "User",
    "LoginSession", "OfficerHeadcount", "ThrottleFailure", "Plan", "PlanTarget", "ReportAttachment", "ReportSubmission",
    "CourseBudgetLine", "CourseDocument", "Lecturer", "ProvinceRate",
]
