"""Use-cases of the official headcounts (`officers_in_post`): reviewers and admins enter, per unit and year,
how many officers the unit has to train; the reports divide the trained by it (`coverage_percent`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from trainer.audit.services import record_audit
from trainer.core.errors import N_, DomainError, Num, ValidationError
from trainer.core.permissions import Need, can, is_admin
from trainer.extensions import db
from trainer.reports.models import OfficerHeadcount
from trainer.units.models import Unit
from trainer.units.services import default_scheme

if TYPE_CHECKING:
    from trainer.accounts.models import User

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_OFFICERS = 1_000_000
SET_ACTION = "report.headcount_set"


@dataclass(frozen=True)
class HeadcountLine:
    """A unit of the entry page with the headcount entered for it (None: none entered)."""

    unit: Unit
    officers_in_post: int | None


def may_enter_headcounts(actor: Any, unit: Unit | None = None) -> bool:
    """Reviewers (in their unit's subtree) and admins enter headcounts; organizers do not."""
    if is_admin(actor):
        return True
    return str(getattr(actor, "role", "")) == "reviewer" and can(actor, Need.VIEW, unit)


def _invalid(field: str, code: str, message: str, **params: Any) -> ValidationError:
    error = ValidationError(code, message, params=params)
    error.fields = {field: error.message}
    return error


def check_year(value: Any) -> int:
    """A year from 2000 to 2100 (an int, or digits from a form). Raises ValidationError('invalid_year')."""
    text_value = str(value).strip() if not isinstance(value, bool) else ""
    if isinstance(value, int | str) and text_value.isdigit() and FIRST_YEAR <= int(text_value) <= LAST_YEAR:
        return int(text_value)
    raise _invalid("year", "invalid_year", N_("Năm phải là số từ %(first)s đến %(last)s."), first=FIRST_YEAR,
                   last=LAST_YEAR)


def check_officers(value: Any, field: str = "officers_in_post") -> int | None:
    """A whole number of officers from 0 to 1,000,000, or None (nothing entered: clears the entry).

    Raises ValidationError('invalid_headcount')."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text_value = value.strip().replace(".", "").replace(" ", "") if isinstance(value, str) else value
    if isinstance(text_value, str) and text_value.isdigit():
        text_value = int(text_value)
    if isinstance(text_value, bool) or not isinstance(text_value, int) or not 0 <= text_value <= MAX_OFFICERS:
        raise _invalid(field, "invalid_headcount", N_("Số cán bộ phải là số nguyên từ 0 đến %(max)s."),
                       max=Num(MAX_OFFICERS))
    return text_value


def headcount_unit(actor: User, code: Any, *, scheme: str | None = None) -> Unit:
    """The unit of `code` the actor may enter a headcount for.

    Raises DomainError('forbidden', 403) for an organizer, DomainError('unit_not_found', 404) for a code
    unknown or outside the actor's scope."""
    if not may_enter_headcounts(actor):
        raise DomainError("forbidden", N_("Chỉ cán bộ theo dõi, báo cáo hoặc quản trị mới nhập số cán bộ cần bồi "
                                          "dưỡng."), status=403)
    scheme = scheme or default_scheme()
    code = str(code or "").strip()
    unit = db.session.scalar(select(Unit).where(Unit.scheme == scheme, Unit.code == code)) if code else None
    if unit is None or not may_enter_headcounts(actor, unit):
        error = DomainError("unit_not_found", N_("Không tìm thấy đơn vị mã “%(code)s” (danh mục %(scheme)s) trong phạm "
                                                 "vi bạn được xem."), params={"code": code, "scheme": scheme},
                            status=404)
        error.fields = {"unit_code": error.message}
        raise error
    return unit


def set_headcount(actor: User, unit: Unit, year: int, officers_in_post: int | None) -> bool:
    """Enter (or, with None, clear) the headcount of `unit` in `year`; logged. True when it changed.

    The caller commits."""
    entry = db.session.scalar(select(OfficerHeadcount).where(OfficerHeadcount.unit_id == unit.id,
                                                             OfficerHeadcount.year == year))
    before = entry.officers_in_post if entry is not None else None
    if before == officers_in_post:
        return False
    if officers_in_post is None:
        db.session.delete(entry)
    elif entry is None:
        db.session.add(OfficerHeadcount(unit_id=unit.id, year=year, officers_in_post=officers_in_post,
                                        updated_by_id=actor.id))
    else:
        entry.officers_in_post, entry.updated_by_id = officers_in_post, actor.id
    record_audit(actor, SET_ACTION, unit, unit_id=unit.id, year=year, before=before, after=officers_in_post)
    db.session.flush()
    return True


def headcount_json(unit: Unit, year: int, officers_in_post: int | None) -> dict[str, Any]:
    """The API's answer: `{unit: {code, name, level}, year, officers_in_post}`."""
    return {"unit": {"code": unit.code, "name": unit.name, "level": unit.level.value}, "year": year,
            "officers_in_post": officers_in_post}


def headcount_lines(unit: Unit | None, year: int, *, scheme: str) -> list[HeadcountLine]:
    """The unit (unless the whole country) and its children, by code, with what was entered for `year`:
    two statements."""
    stmt = select(Unit).order_by(Unit.code)
    if unit is None:
        units = list(db.session.scalars(stmt.where(Unit.scheme == scheme, Unit.parent_id.is_(None))))
    else:
        units = [unit, *db.session.scalars(stmt.where(Unit.parent_id == unit.id))]
    entered = dict(db.session.execute(
        select(OfficerHeadcount.unit_id, OfficerHeadcount.officers_in_post)
        .where(OfficerHeadcount.year == year, OfficerHeadcount.unit_id.in_([u.id for u in units]))).all())
    return [HeadcountLine(u, entered.get(u.id)) for u in units]
