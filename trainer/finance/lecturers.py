"""Use-cases of the lecturers' registry: one registry per province, shared by every unit in it; lecturers
assigned to sessions; the clashes in a lecturer's calendar.

Who may do what (a registry spans a province, so the rule is the province's, not the unit subtree's): anyone
whose unit lies in the province views its registry; its organizers add and change lecturers; admins do all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, false, insert, select, true
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.errors import N_, DomainError, ValidationError
from trainer.core.permissions import is_admin
from trainer.core.text import clean_text, fold, like_pattern
from trainer.courses.models import Course, CourseStatus
from trainer.extensions import db
from trainer.finance.models import TIERS, Lecturer, session_lecturers
from trainer.participants.fields import normalise_phone
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit, UnitLevel
from trainer.units.services import default_scheme

# The fee tiers of Circular 36/2018/TT-BTC, art. 5 (the amounts are each province's own).
TIER_LABELS = {
    1: N_("Hạng 1: Ủy viên Trung ương Đảng, Bộ trưởng, Bí thư Tỉnh ủy và tương đương; giáo sư; chuyên gia cao cấp"),
    2: N_("Hạng 2: Thứ trưởng, Chủ tịch HĐND, UBND cấp tỉnh và tương đương; phó giáo sư; tiến sĩ khoa học"),
    3: N_("Hạng 3: cấp Cục, Vụ, Sở và tương đương; tiến sĩ; giảng viên chính"),
    4: N_("Hạng 4: giảng viên, báo cáo viên còn lại"),
}


def province_of(unit: Unit) -> Unit:
    """The province a unit lies in (itself for a province): one query at most."""
    if unit.level is UnitLevel.PROVINCE:
        return unit
    prefix = "/".join(unit.path.split("/")[:2]) + "/"
    return db.session.scalar(select(Unit).where(Unit.path == prefix))


def _province_id(user: Any) -> int | None:
    """The id of the province of a (non-admin) user's unit."""
    unit = getattr(user, "unit", None)
    return province_of(unit).id if unit is not None else None


def lecturer_filter(user: User) -> ColumnElement[bool]:
    """WHERE clause: the lecturers `user` may view (their province's registry; all for an admin)."""
    if is_admin(user):
        return true()
    province_id = _province_id(user)
    return Lecturer.unit_id == province_id if province_id is not None else false()


def may_view_lecturer(user: Any, lecturer: Lecturer) -> bool:
    """May `user` see this lecturer?"""
    return is_admin(user) or (getattr(user, "is_authenticated", False) and _province_id(user) == lecturer.unit_id)


def may_manage_registry(user: Any, province: Unit | None = None) -> bool:
    """Organizers of a province (at any level in it) and admins keep its registry."""
    if is_admin(user):
        return True
    if str(getattr(user, "role", "")) != "organizer" or getattr(user, "unit", None) is None:
        return False
    return province is None or _province_id(user) == province.id


def get_lecturer_for(user: User, lecturer_id: int, *, manage: bool = False) -> Lecturer:
    """The lecturer if `user` may view (and, with `manage`, change) them.

    Raises DomainError('not_found', 404) when hidden, DomainError('forbidden', 403) when only viewable."""
    lecturer = db.session.get(Lecturer, lecturer_id)
    if lecturer is None or not may_view_lecturer(user, lecturer):
        raise DomainError("not_found", "Không tìm thấy giảng viên.", status=404)
    if manage and not may_manage_registry(user, lecturer.unit):
        raise DomainError("forbidden", "Chỉ cán bộ tổ chức lớp của tỉnh mới sửa danh sách giảng viên.", status=403)
    return lecturer


def registry_province(user: User, unit_code: str | None = None, *, scheme: str | None = None) -> Unit:
    """The province whose registry `user` adds to: their own, or (admins) the province of `unit_code`.

    Raises DomainError('forbidden', 403) for reviewers, DomainError('unit_not_found', 404) for a code that
    names no province the user keeps, ValidationError('unit_required') for an admin without a code."""
    if not may_manage_registry(user):
        raise DomainError("forbidden", "Chỉ cán bộ tổ chức lớp hoặc quản trị mới thêm giảng viên.", status=403)
    code = (unit_code or "").strip()
    if not code:
        if user.unit is None:
            raise ValidationError("unit_required", "Chọn tỉnh của danh sách giảng viên.",
                                  fields={"unit_code": "Chọn tỉnh của danh sách giảng viên."})
        return province_of(user.unit)
    stmt = select(Unit).where(Unit.code == code, Unit.level == UnitLevel.PROVINCE)
    if scheme:
        stmt = stmt.where(Unit.scheme == scheme)
    else:  # the caller's scheme, else the configured one (TRAINER_UNIT_SCHEME)
        stmt = stmt.where(Unit.scheme == (user.unit.scheme if user.unit is not None else default_scheme()))
    unit = db.session.scalars(stmt.order_by(Unit.scheme)).first()
    if unit is None or not may_manage_registry(user, unit):
        message = f"Không tìm thấy tỉnh mã “{code}” trong phạm vi bạn quản lý."
        raise DomainError("unit_not_found", message, fields={"unit_code": message}, status=404)
    return unit


def _check_tier(value: Any) -> int:
    """A fee tier 1-4 (an int, or digits from a form). Raises ValidationError('invalid_tier')."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or value not in TIERS:
        message = "Hạng giảng viên phải là 1, 2, 3 hoặc 4 (theo Thông tư 36/2018/TT-BTC)."
        raise ValidationError("invalid_tier", message, fields={"tier": message})
    return value


def _values(full_name: Any, agency: Any, tier: Any, phone: Any, email: Any) -> dict[str, Any]:
    """The checked fields of a lecturer."""
    name = clean_text(full_name, "full_name", 150, label="họ và tên", required=True)
    phone_text = clean_text(phone, "phone", 30, label="số điện thoại")
    return {"full_name": name, "name_search": fold(name),
            "agency": clean_text(agency, "agency", 300, label="cơ quan công tác"), "tier": _check_tier(tier),
            "phone": normalise_phone(phone_text) if phone_text else "",
            "email": clean_text(email, "email", 254, label="email").lower()}


def _check_unique(province: Unit, values: dict[str, Any], exclude_id: int | None = None) -> None:
    """Raise lecturer_exists when the province has a lecturer of the same name and agency."""
    stmt = select(Lecturer).where(Lecturer.unit_id == province.id, Lecturer.name_search == values["name_search"])
    if exclude_id is not None:
        stmt = stmt.where(Lecturer.id != exclude_id)
    for other in db.session.scalars(stmt):
        if fold(other.agency) == fold(values["agency"]):
            message = "Danh sách đã có giảng viên cùng họ tên và cơ quan công tác."
            raise DomainError("lecturer_exists", message, fields={"full_name": message}, status=409)


def create_lecturer(actor: User, province: Unit, *, full_name: Any, agency: Any = "", tier: Any = 4,
                    phone: Any = "", email: Any = "") -> Lecturer:
    """Add a lecturer to `province`'s registry. Raises ValidationError (fields), DomainError('lecturer_exists')."""
    values = _values(full_name, agency, tier, phone, email)
    _check_unique(province, values)
    lecturer = Lecturer(unit_id=province.id, **values)
    db.session.add(lecturer)
    db.session.flush()
    record_audit(actor, "lecturer.create", lecturer, unit_id=province.id)
    return lecturer


def update_lecturer(actor: User, lecturer: Lecturer, *, full_name: Any, agency: Any = "", tier: Any = 4,
                    phone: Any = "", email: Any = "") -> Lecturer:
    """Change a lecturer (every field given). Raises as create_lecturer."""
    values = _values(full_name, agency, tier, phone, email)
    _check_unique(lecturer.unit, values, exclude_id=lecturer.id)
    changed = sorted(key for key, value in values.items() if getattr(lecturer, key) != value)
    for key, value in values.items():
        setattr(lecturer, key, value)
    db.session.flush()
    record_audit(actor, "lecturer.update", lecturer, unit_id=lecturer.unit_id, fields=changed)
    return lecturer


def list_lecturers(user: User, q: str | None = None, province: Unit | None = None) -> Select:
    """The lecturers `user` may view, by name; `q` matches names without diacritics or case."""
    stmt = select(Lecturer).where(lecturer_filter(user)).order_by(Lecturer.name_search, Lecturer.id)
    if q and q.strip():
        stmt = stmt.where(Lecturer.name_search.like(like_pattern(q), escape="\\"))
    if province is not None:
        stmt = stmt.where(Lecturer.unit_id == province.id)
    return stmt


def lecturer_choices(course: Course) -> dict[int, str]:
    """{id: "name (agency)"} of the registry of the course's province, for a session's form."""
    province = province_of(course.unit)
    rows = db.session.execute(select(Lecturer.id, Lecturer.full_name, Lecturer.agency)
                              .where(Lecturer.unit_id == province.id).order_by(Lecturer.name_search, Lecturer.id))
    return {lid: f"{name} ({agency})" if agency else name for lid, name, agency in rows}


# --- sessions ------------------------------------------------------------------------------------


def check_lecturer_ids(course: Course, lecturer_ids: Iterable[Any]) -> list[int]:
    """The ids as a sorted list, each a lecturer of the registry of the course's province.

    Raises ValidationError('unknown_lecturer')."""
    ids = set()
    for value in lecturer_ids:
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
            ids.add(-1)
        else:
            ids.add(int(str(value).strip()))
    if not ids:
        return []
    province = province_of(course.unit)
    known = set(db.session.scalars(select(Lecturer.id).where(Lecturer.id.in_([i for i in ids if i >= 0]),
                                                             Lecturer.unit_id == province.id)))
    if ids - known:
        message = "Có giảng viên không thuộc danh sách giảng viên của tỉnh tổ chức khóa học."
        raise ValidationError("unknown_lecturer", message, fields={"lecturer_ids": message})
    return sorted(ids)


def assign_lecturers(course_session: CourseSession, lecturer_ids: Iterable[Any]) -> list[int]:
    """Make exactly these registry lecturers teach the session (checked as check_lecturer_ids)."""
    ids = check_lecturer_ids(course_session.course, lecturer_ids)
    db.session.execute(delete(session_lecturers).where(session_lecturers.c.course_session_id == course_session.id))
    if ids:
        db.session.execute(insert(session_lecturers), [{"course_session_id": course_session.id, "lecturer_id": i}
                                                       for i in ids])
    db.session.expire(course_session, ["lecturers"])
    return ids


def assign_to_new_sessions(sessions: Iterable[CourseSession], lecturer_ids: list[int]) -> None:
    """Give sessions just created (no lecturers yet) these already checked lecturers: one statement."""
    rows = [{"course_session_id": s.id, "lecturer_id": i} for s in sessions for i in lecturer_ids]
    if rows:
        db.session.execute(insert(session_lecturers), rows)


def load_lecturers(sessions: list[CourseSession], session_ids: Select) -> None:
    """Fill the `lecturers` of these sessions (whose ids `session_ids` selects) in one statement, whatever their
    number (a selectinload would send one statement per 500 sessions)."""
    if not sessions:
        return
    found: dict[int, list[Lecturer]] = {}
    rows = db.session.execute(select(session_lecturers.c.course_session_id, Lecturer)
                              .join(Lecturer, Lecturer.id == session_lecturers.c.lecturer_id)
                              .where(session_lecturers.c.course_session_id.in_(session_ids.scalar_subquery()))
                              .order_by(Lecturer.full_name))
    for session_id, lecturer in rows:
        found.setdefault(session_id, []).append(lecturer)
    for course_session in sessions:
        set_committed_value(course_session, "lecturers", found.get(course_session.id, []))


@dataclass(frozen=True)
class Clash:
    """Two sessions of one lecturer at overlapping times (touching ends do not overlap)."""

    lecturer: Lecturer
    first: CourseSession
    second: CourseSession


def session_clashes(course_session: CourseSession) -> list[Clash]:
    """The other sessions (of courses not cancelled) overlapping this one that share a lecturer with it: one
    statement."""
    mine, theirs = session_lecturers.alias("mine"), session_lecturers.alias("theirs")
    other = aliased(CourseSession)
    stmt = (select(Lecturer, other)
            .select_from(mine)
            .join(theirs, (theirs.c.lecturer_id == mine.c.lecturer_id)
                  & (theirs.c.course_session_id != mine.c.course_session_id))
            .join(other, other.id == theirs.c.course_session_id)
            .join(Course, Course.id == other.course_id)
            .join(Lecturer, Lecturer.id == mine.c.lecturer_id)
            .where(mine.c.course_session_id == course_session.id, Course.status != CourseStatus.CANCELLED,
                   other.starts_at < course_session.ends_at, other.ends_at > course_session.starts_at)
            .options(joinedload(other.course))
            .order_by(other.starts_at, Lecturer.name_search))
    return [Clash(lecturer, course_session, s) for lecturer, s in db.session.execute(stmt)]


def lecturer_calendar(lecturer: Lecturer) -> tuple[list[CourseSession], dict[int, list[CourseSession]]]:
    """The lecturer's sessions (courses not cancelled) in time order with their courses, and for each session id
    the lecturer's other sessions that overlap it: one statement."""
    stmt = (select(CourseSession).join(session_lecturers, session_lecturers.c.course_session_id == CourseSession.id)
            .join(CourseSession.course)
            .where(session_lecturers.c.lecturer_id == lecturer.id, Course.status != CourseStatus.CANCELLED)
            .options(joinedload(CourseSession.course))
            .order_by(CourseSession.starts_at, CourseSession.id))
    sessions = list(db.session.scalars(stmt))
    clashes: dict[int, list[CourseSession]] = {}
    for i, first in enumerate(sessions):  # sorted by start: a sweep stops at the first later start
        for second in sessions[i + 1:]:
            if second.starts_at >= first.ends_at:
                break
            clashes.setdefault(first.id, []).append(second)
            clashes.setdefault(second.id, []).append(first)
    return sessions, clashes


def lecturer_json(lecturer: Lecturer) -> dict[str, Any]:
    """A lecturer as the API shows them."""
    return {"id": lecturer.id, "full_name": lecturer.full_name, "agency": lecturer.agency, "tier": lecturer.tier,
            "phone": lecturer.phone, "email": lecturer.email, "unit_code": lecturer.unit.code}
