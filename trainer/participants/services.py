"""Use-cases of participants: create and update one person, import a workbook, log exports.

Names are stored NFC with a folded copy for search, phones as 0xxxxxxxxx, the ethnic group only
as the derived minority flag (domain/privacy.md), and the version of the data-protection notice
the person was shown (the field rules are in `participants.fields`). Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.clock import local_today
from trainer.core.db import utcnow
from trainer.core.errors import N_, DomainError, ValidationError
from trainer.core.permissions import Need, can
from trainer.core.text import fold
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.participants.excel.importer import run_import
from trainer.participants.excel.results import ImportResult
from trainer.participants.fields import (
    clean_email,
    clean_name,
    clean_position,
    duplicate_phone_message,
    generate_codes,
    minority_flag,
    normalise_phone,
    notice_version,
    parse_birth_date,
    parse_gender,
    parse_target_group,
)
from trainer.participants.models import Gender, Participant
from trainer.units.models import Unit
from trainer.units.services import default_scheme, get_unit

_UNSET: Any = object()


# --- scope ---------------------------------------------------------------------------------------


def actor_scheme(actor: User) -> str:
    """The unit scheme an actor works in: their unit's, or the configured one for admins."""
    return actor.unit.scheme if actor.unit is not None else default_scheme()


def find_unit(text: str | None, *, scheme: str, field_name: str = "unit_code") -> Unit:
    """The unit written as "07306 - Thị trấn Nhã Nam" or "07306" in `scheme`. Raises ValidationError('unknown_unit')."""
    code = str(text or "").split(" - ", 1)[0].strip()
    return get_unit(code, scheme=scheme, field=field_name)


def check_unit_manageable(unit: Unit, actor: User, *, field_name: str = "unit_code") -> None:
    """Raises DomainError('unit_not_manageable', 403) unless `actor` may manage people of `unit`."""
    if not can(actor, Need.MANAGE, unit):
        message = N_("Bạn không có quyền quản lý cán bộ của đơn vị %(code)s - %(name)s.")
        raise DomainError("unit_not_manageable", message, fields={field_name: message}, status=403,
                          params={"code": unit.code, "name": unit.name})


# --- duplicate phones ---------------------------------------------------------------------------


class DuplicatePhone(DomainError):
    """Another participant has this phone: the message points to them (409).

    `existing_id` is set only when the actor may view that person, so pages and the API can link to them.
    """

    def __init__(self, existing: Participant, actor: User) -> None:
        viewable = can(actor, Need.VIEW, existing)
        template, params = duplicate_phone_message(existing, actor)
        super().__init__("duplicate_phone", template, status=409, params=params)
        self.fields = {"phone": self.message}
        self.existing_id = existing.id if viewable else None


def _check_phone_free(phone: str, actor: User, exclude_id: int | None = None) -> None:
    """Raises DuplicatePhone when someone other than `exclude_id` has `phone`."""
    existing = db.session.scalar(select(Participant).where(Participant.phone == phone))
    if existing is not None and existing.id != exclude_id:
        raise DuplicatePhone(existing, actor)


# --- create and update one participant ----------------------------------------------------------


def create_participant(*, full_name: str, gender: Gender | str, phone: str, unit: Unit,
                       target_group: TargetGroup | str, actor: User, birth_date: date | str | None = None,
                       ethnicity: str | None = None, ethnic_minority: bool | None = None, position: str = "",
                       email: str | None = None, now: datetime | None = None) -> Participant:
    """Register a participant in a unit the actor manages; a personal code is generated.

    Raises ValidationError (field rules, 'ethnicity_required'), DomainError('unit_not_manageable', 403),
    DuplicatePhone('duplicate_phone', 409).
    """
    check_unit_manageable(unit, actor)
    name = clean_name(full_name)
    phone = normalise_phone(phone)
    minority = minority_flag(ethnicity, ethnic_minority)
    if minority is None:
        message = N_("Chưa chọn dân tộc.")
        raise ValidationError("ethnicity_required", message, fields={"ethnicity": message})
    values = {"gender": parse_gender(gender), "target_group": parse_target_group(target_group),
              "birth_date": parse_birth_date(birth_date, today=local_today(now)), "email": clean_email(email),
              "position": clean_position(position)}
    _check_phone_free(phone, actor)
    participant = Participant(code=generate_codes(1)[0], full_name=name, name_search=fold(name), phone=phone,
                              unit=unit, ethnic_minority=minority, notice_version=notice_version(), **values)
    db.session.add(participant)
    db.session.flush()
    record_audit(actor, "participant.create", participant)
    return participant


def update_participant(participant: Participant, *, actor: User, full_name: str = _UNSET,
                       gender: Gender | str = _UNSET, birth_date: date | str | None = _UNSET,
                       ethnicity: str | None = _UNSET, ethnic_minority: bool | None = _UNSET, phone: str = _UNSET,
                       email: str | None = _UNSET, unit: Unit = _UNSET, position: str = _UNSET,
                       target_group: TargetGroup | str = _UNSET, now: datetime | None = None) -> Participant:
    """Change the given fields of a participant (omitted ones stay); both old and new unit must be managed.

    An empty `ethnicity` keeps the stored flag. Raises like `create_participant`, and
    DomainError('participant_anonymised') for someone anonymised: their personal data is gone for good.
    """
    if participant.anonymised_at is not None:
        raise DomainError("participant_anonymised", N_("Người này đã được ẩn danh hóa theo yêu cầu; không thể ghi lại "
                                                    "thông tin cá nhân của họ."), status=409)
    check_unit_manageable(participant.unit, actor)
    values: dict[str, Any] = {}
    if full_name is not _UNSET:
        values["full_name"] = clean_name(full_name)
        values["name_search"] = fold(values["full_name"])
    if gender is not _UNSET:
        values["gender"] = parse_gender(gender)
    if birth_date is not _UNSET:
        values["birth_date"] = parse_birth_date(birth_date, today=local_today(now))
    flag = minority_flag(None if ethnicity is _UNSET else ethnicity,
                         None if ethnic_minority is _UNSET else ethnic_minority)
    if flag is not None:
        values["ethnic_minority"] = flag
    if phone is not _UNSET:
        values["phone"] = normalise_phone(phone)
        _check_phone_free(values["phone"], actor, exclude_id=participant.id)
    if email is not _UNSET:
        values["email"] = clean_email(email)
    if unit is not _UNSET:
        check_unit_manageable(unit, actor)
        values["unit_id"] = unit.id
    if position is not _UNSET:
        values["position"] = clean_position(position)
    if target_group is not _UNSET:
        values["target_group"] = parse_target_group(target_group)
    changed = sorted(k for k, v in values.items() if getattr(participant, k) != v and k != "name_search")
    if changed:
        old_unit_id = participant.unit_id
        for key, value in values.items():
            setattr(participant, key, value)
        if unit is not _UNSET:
            participant.unit = unit
        db.session.flush()
        moved = {"from_unit_id": old_unit_id} if old_unit_id != participant.unit_id else {}
        record_audit(actor, "participant.update", participant, fields=changed, **moved)
    return participant


# --- data-protection notice and exports ---------------------------------------------------------


@dataclass(frozen=True)
class PrivacyNotice:
    """The short notice shown on the form and the Excel template, with its version."""

    version: str
    title: str
    items: tuple[tuple[str, str], ...]


def privacy_notice() -> PrivacyNotice:
    """The current data-protection notice (Law 91/2025/QH15, Decree 356/2025/NĐ-CP), in Vietnamese (the
    workbook's); the form's page shows it translated, each text being a msgid."""
    return PrivacyNotice(version=notice_version(), title=N_("Thông báo về xử lý dữ liệu cá nhân"), items=(
        (N_("Mục đích"),
         N_("Quản lý việc tổ chức bồi dưỡng (đăng ký, điểm danh, cấp giấy chứng nhận) và báo cáo các chỉ "
            "tiêu của Dự án 6 (Tiểu dự án Giảm nghèo về thông tin).")),
        (N_("Dữ liệu lưu"),
         N_("Họ và tên, giới tính, ngày sinh, số điện thoại, email, đơn vị, chức vụ, nhóm đối tượng. "
            "Dân tộc chỉ dùng để xác định có thuộc dân tộc thiểu số hay không; hệ thống chỉ lưu thông "
            "tin này, không lưu tên dân tộc.")),
        (N_("Bên nhận"),
         N_("Cơ quan tổ chức lớp và các cơ quan quản lý cấp trên trong phạm vi theo dõi, báo cáo; không "
            "cung cấp cho bên khác trừ khi pháp luật quy định.")),
        (N_("Thời gian lưu"),
         N_("Trong thời gian thực hiện chương trình và thời hạn lưu trữ hồ sơ theo quy định; sau đó "
            "dữ liệu được xóa hoặc ẩn danh, chỉ giữ số liệu tổng hợp.")),
        (N_("Quyền của bạn"),
         N_("Được biết, xem, yêu cầu sửa, phản đối và yêu cầu xóa dữ liệu của mình (trong giới hạn "
            "lưu trữ hồ sơ theo luật) bằng cách liên hệ cơ quan tổ chức lớp.")),
    ))


def record_export(actor: User, *, kind: str, count: int, unit: Unit | None = None,
                  target_group: str | None = None, searched: bool = False) -> None:
    """Log an export of a person-level list: who, when (the entry's time) and with what filter.

    The search text is not kept (it may be a name or a phone number); only that there was one.
    """
    record_audit(actor, "participant.export", None, unit_id=unit.id if unit else actor.unit_id, kind=kind,
                 count=count, filters={"unit": unit.code if unit else None, "scheme": unit.scheme if unit else None,
                                       "target_group": target_group, "search": searched})


# --- Excel import (reading in participants.excel.reader, checks and writes in excel.importer) ----


def import_participants(fileobj: IO[bytes], *, actor: User, dry_run: bool, confirm_identity: bool = False,
                        scheme: str | None = None, now: datetime | None = None) -> ImportResult:
    """Create or update (matched by phone) the participants of an .xlsx workbook made from the template.

    Every row is checked first; with any row error nothing is written. A row whose phone belongs to
    someone with another name (compared without case, diacritics or spacing) is an `identity_conflict`
    unless `confirm_identity`: then it creates a new person, and the earlier holder keeps their history
    without the phone. Units and existing phones are looked up in bulk and rows are written with bulk
    statements, whose number does not grow with the rows. Raises DomainError for a bad file (see
    excel.reader) and 'forbidden' (403) for users who manage nothing.
    """
    if not can(actor, Need.MANAGE):
        raise DomainError("forbidden", N_("Bạn không có quyền nhập danh sách cán bộ."), status=403)
    return run_import(fileobj, actor=actor, dry_run=dry_run, confirm_identity=confirm_identity,
                      scheme=scheme or actor_scheme(actor), now=now or utcnow())
