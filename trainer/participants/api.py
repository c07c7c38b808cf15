"""JSON API of participants: register, search, read, correct, import an .xlsx list."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer.core.api import choice_arg, json_body, paginated
from trainer.core.downloads import file_response
from trainer.core.errors import DomainError, ValidationError
from trainer.core.permissions import Need, get_or_404_for, require
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.participants.excel.annotate import annotate_workbook, messages_by_row
from trainer.participants.excel.reader import read_bytes
from trainer.participants.models import Participant
from trainer.participants.privacy import anonymise_participant, export_personal_data
from trainer.participants.queries import list_participants
from trainer.participants.services import DuplicatePhone, create_participant, import_participants, update_participant
from trainer.units.models import SCHEMES
from trainer.units.services import get_unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
bp = Blueprint("participants_api", __name__, url_prefix="/api/v1")

TEXT_FIELDS = ("full_name", "gender", "birth_date", "ethnicity", "phone", "email", "unit_code", "scheme", "position",
               "target_group")
REQUIRED = ("full_name", "gender", "phone", "unit_code", "target_group")
READ_ONLY = ("id", "code", "unit", "notice_version")  # echoed back from a GET: ignored, not refused
TRUE_VALUES = ("1", "true", "yes")


def participant_json(participant: Participant) -> dict[str, Any]:
    """A participant as the API shows it (its unit must be loaded)."""
    unit = participant.unit
    return {"id": participant.id, "code": participant.code, "full_name": participant.full_name,
            "phone": participant.phone, "ethnic_minority": participant.ethnic_minority,
            "gender": participant.gender.value,
            "birth_date": participant.birth_date.isoformat() if participant.birth_date else None,
            "unit": {"code": unit.code, "name": unit.name, "scheme": unit.scheme},
            "target_group": participant.target_group.value, "position": participant.position,
            "email": participant.email, "notice_version": participant.notice_version}


def _check_shapes(data: dict[str, Any], *, creating: bool) -> None:
    """422 with every field that is missing (on create), of the wrong type or unknown."""
    fields: dict[str, str] = {}
    for name, value in data.items():
        if name in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                fields[name] = "Phải là chuỗi ký tự."
        elif name == "ethnic_minority":
            if value is not None and not isinstance(value, bool):
                fields[name] = "Phải là true hoặc false."
        elif name not in READ_ONLY:
            fields[name] = "Trường không được hỗ trợ."
    if creating:
        fields.update({name: "Bắt buộc." for name in REQUIRED if not data.get(name)})
        if not data.get("ethnicity") and data.get("ethnic_minority") is None:
            fields["ethnicity"] = "Bắt buộc: tên dân tộc (hoặc ethnic_minority: true/false)."
    if data.get("scheme") and data["scheme"] not in SCHEMES:
        fields["scheme"] = f"Chọn một trong: {', '.join(SCHEMES)}."
    if fields:
        raise ValidationError("validation_error", "Dữ liệu không hợp lệ: " + ", ".join(sorted(fields)) + ".",
                              fields=fields)


def _duplicate(exc: DuplicatePhone) -> tuple[dict[str, Any], int]:
    """The 409 body, with a link to the existing person when the caller may see them."""
    error: dict[str, Any] = {"code": exc.code, "message": exc.message, "fields": exc.fields}
    if exc.existing_id is not None:
        error["existing_id"] = exc.existing_id
    return {"error": error}, exc.status


@bp.post("/participants")
def create_participant_api() -> ResponseReturnValue:
    """Register a participant in a unit the caller manages: 201, 409 on a duplicate phone."""
    require(Need.MANAGE)
    data = json_body()
    _check_shapes(data, creating=True)
    unit = get_unit(data["unit_code"], scheme=data.get("scheme"))
    try:
        participant = create_participant(
            full_name=data["full_name"], gender=data["gender"], phone=data["phone"], unit=unit,
            target_group=data["target_group"], birth_date=data.get("birth_date"), ethnicity=data.get("ethnicity"),
            ethnic_minority=data.get("ethnic_minority"), position=data.get("position") or "",
            email=data.get("email"), actor=current_user)
    except DuplicatePhone as exc:
        return _duplicate(exc)
    db.session.commit()
    return participant_json(participant), 201


@bp.get("/participants")
def list_participants_api() -> ResponseReturnValue:
    """Participants in the caller's scope: `q` (name without regard to diacritics, phone or code), `unit`
    (a unit code: its subtree), `target_group`."""
    target_group = choice_arg("target_group", [g.value for g in TargetGroup])
    scheme = choice_arg("scheme", SCHEMES)
    unit = get_unit(request.args["unit"], scheme=scheme, field="unit") if request.args.get("unit") else None
    stmt = list_participants(current_user, q=request.args.get("q"), unit=unit, target_group=target_group)
    return paginated(stmt, participant_json)


@bp.get("/participants/<int:participant_id>")
def get_participant_api(participant_id: int) -> ResponseReturnValue:
    """One participant (404 outside the caller's scope)."""
    return participant_json(get_or_404_for(Participant, participant_id, Need.VIEW))


@bp.patch("/participants/<int:participant_id>")
def update_participant_api(participant_id: int) -> ResponseReturnValue:
    """Change some fields of a participant (404 outside the scope, 403 for reviewers)."""
    participant = get_or_404_for(Participant, participant_id, Need.MANAGE)
    data = json_body()
    _check_shapes(data, creating=False)
    changes = {k: v for k, v in data.items() if k not in READ_ONLY and k not in ("unit_code", "scheme")}
    if data.get("unit_code"):
        changes["unit"] = get_unit(data["unit_code"], scheme=data.get("scheme"))
    for required in REQUIRED:
        if required in changes and not changes[required]:
            raise ValidationError("validation_error", f"{required} không được để trống.",
                                  fields={required: "Không được để trống."})
    try:
        update_participant(participant, actor=current_user, **changes)
    except DuplicatePhone as exc:
        return _duplicate(exc)
    db.session.commit()
    return participant_json(participant)


@bp.get("/participants/<int:participant_id>/personal-data")
def personal_data_api(participant_id: int) -> ResponseReturnValue:
    """Everything stored about one person (admins, organizers in scope; 403 for reviewers); audited."""
    participant = get_or_404_for(Participant, participant_id, Need.MANAGE)
    data = export_personal_data(participant, actor=current_user, channel="api")
    db.session.commit()
    return data


@bp.post("/participants/<int:participant_id>/anonymise")
def anonymise_participant_api(participant_id: int) -> ResponseReturnValue:
    """Erase a person's name, phone, e-mail, birth date and position for good, with a reason; audited.

    409 `already_anonymised` the second time (nothing changes)."""
    participant = get_or_404_for(Participant, participant_id, Need.MANAGE)
    result = anonymise_participant(participant, reason=json_body().get("reason"), actor=current_user)
    db.session.commit()
    return {**participant_json(participant), "anonymised_at": participant.anonymised_at.isoformat(),
            "erased": {"certificates": result.certificates, "checkin_attempts": result.checkin_attempts,
                       "texts": result.texts}}


@bp.post("/participants/import")
def import_participants_api() -> ResponseReturnValue:
    """Import an .xlsx made from the template (multipart `file`); `?dry_run=1` only checks;
    `?confirm_identity=1` turns identity conflicts into new people; `?error_file=1` answers a file with row
    errors with that workbook and an error column (.xlsx, 422) instead of JSON.

    200 with `{created, updated, unchanged, rows, changes, errors: []}` for a clean file; 422 with
    the same body plus `error` when any row is wrong, and then nothing is written.
    """
    require(Need.MANAGE)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        message = "Gửi tệp .xlsx trong trường “file” (multipart/form-data)."
        raise ValidationError("file_required", message, fields={"file": message})
    dry_run = (request.args.get("dry_run") or "").lower() in TRUE_VALUES
    confirm_identity = (request.args.get("confirm_identity") or "").lower() in TRUE_VALUES
    data = read_bytes(upload.stream)
    result = import_participants(io.BytesIO(data), actor=current_user, dry_run=dry_run,
                                 confirm_identity=confirm_identity)
    if result.errors and (request.args.get("error_file") or "").lower() in TRUE_VALUES:
        try:  # built in this response, so the upload is never kept on the server
            annotated = annotate_workbook(data, sheet_title=result.sheet, header_rows=result.header_rows,
                                          messages=messages_by_row(result.errors))
        except DomainError:
            pass  # too big to load whole: the JSON answer below still lists every error
        else:
            response = file_response(annotated, "danh-sach-co-cot-loi.xlsx", XLSX)
            response.status_code = 422
            return response
    body: dict[str, Any] = {"dry_run": dry_run, "confirm_identity": confirm_identity, "rows": result.rows,
                            "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                            "changes": [c.as_dict() for c in result.changes],
                            "errors": [e.as_dict() for e in result.errors]}
    if result.errors:
        conflicts = sum(e.code == "identity_conflict" for e in result.errors)
        message = f"Tệp có {len(result.errors)} lỗi; chưa ghi dòng nào."
        if conflicts:
            message += (f" {conflicts} dòng có số điện thoại của một người khác tên (identity_conflict): nếu đó là "
                        "người khác, gửi lại với confirm_identity=1.")
        body["error"] = {"code": "import_invalid", "message": message}
        return body, 422
    if not dry_run:
        db.session.commit()
        body["participant_ids"] = [p.id for p in result.participants]
    return body
