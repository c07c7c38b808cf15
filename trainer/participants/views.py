"""Pages of participants: the registry of officers to train, its Excel template, import and export."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import Field

from trainer.core.api import choice_arg, int_arg
from trainer.core.db import utcnow
from trainer.core.downloads import file_response
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, get_or_404_for, require
from trainer.core.templating import local_time
from trainer.courses.services import enrol_participants
from trainer.curricula.models import TARGET_GROUP_LABELS, TargetGroup
from trainer.extensions import db
from trainer.participants.excel.annotate import annotate_workbook
from trainer.participants.excel.export import export_participants
from trainer.participants.excel.reader import read_bytes
from trainer.participants.excel.template import build_template
from trainer.participants.excel.uploads import (
    discard_upload,
    kept_for_someone_else,
    stashed_upload,
    sweep_error_files,
    take_error_file,
)
from trainer.participants.fields import GENDER_LABELS
from trainer.participants.forms import (
    ImportConfirmForm,
    ImportIdentityForm,
    ParticipantAnonymiseForm,
    ParticipantCreateForm,
    ParticipantEditForm,
    ParticipantImportForm,
)
from trainer.participants.import_pages import flash_import_summary, gone, next_step, render_import, target_course
from trainer.participants.models import Participant
from trainer.participants.privacy import anonymise_participant, export_personal_data
from trainer.participants.queries import list_enrolments, list_participants, list_unit_choices, summarise
from trainer.participants.services import (
    DuplicatePhone,
    actor_scheme,
    create_participant,
    find_unit,
    import_participants,
    privacy_notice,
    record_export,
    update_participant,
)
from trainer.units.models import Unit

bp = Blueprint("participants", __name__, url_prefix="/participants")
PER_PAGE = 50
DATALIST_LIMIT = 2000  # above this, the unit field searches the units API as one types
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit_options(need: Need) -> list[Any] | None:
    """The units offered in the unit field's datalist, or None when there are too many to send."""
    rows = list_unit_choices(current_user, need, scheme=actor_scheme(current_user), limit=DATALIST_LIMIT + 1)
    return rows if len(rows) <= DATALIST_LIMIT else None


def _list_filters() -> tuple[dict[str, Any], str | None]:
    """The list's filters from the query string, and a message when the unit is unknown."""
    target_group = choice_arg("target_group", [g.value for g in TargetGroup])
    filters: dict[str, Any] = {"q": (request.args.get("q") or "").strip(), "target_group": target_group,
                               "unit": None, "unit_text": (request.args.get("unit") or "").strip()}
    if filters["unit_text"]:
        try:
            filters["unit"] = find_unit(filters["unit_text"], scheme=actor_scheme(current_user), field_name="unit")
        except DomainError as exc:
            return filters, exc.said()
    return filters, None


def _show_errors(form: Any, exc: DomainError) -> None:
    """Put a service error under the fields it names (the whole form's top otherwise, as a flash)."""
    placed = False
    for name, message in (exc.fields or {}).items():
        target: Field | None = getattr(form, name, None)
        if isinstance(target, Field):
            target.errors = [*target.errors, message]
            placed = True
    if not placed:
        flash(exc.said(), "danger")


@bp.route("/")
def index() -> ResponseReturnValue:
    """The participants the user may view: search, filters, counts and pages."""
    filters, unit_error = _list_filters()
    stmt = list_participants(current_user, q=filters["q"], unit=filters["unit"],
                             target_group=filters["target_group"])
    counts = summarise(stmt)
    page = int_arg("page", 1)
    rows = db.session.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template("participants/index.html", rows=rows, counts=counts, filters=filters, page=page,
                           per_page=PER_PAGE, unit_error=unit_error, unit_options=_unit_options(Need.VIEW),
                           scheme=actor_scheme(current_user), group_labels=TARGET_GROUP_LABELS,
                           gender_labels=GENDER_LABELS)


@bp.route("/export.xlsx")
def export() -> ResponseReturnValue:
    """The current filtered list (the whole registry without filters) as .xlsx; logged in the audit log."""
    filters, unit_error = _list_filters()
    if unit_error:
        flash(unit_error, "danger")
        return redirect(url_for("participants.index"))
    stmt = list_participants(current_user, q=filters["q"], unit=filters["unit"],
                             target_group=filters["target_group"])
    unit: Unit | None = filters["unit"]
    described = "; ".join(part for part in (
        f"đơn vị {unit.code} - {unit.name}" if unit else "",
        f"nhóm {TARGET_GROUP_LABELS[TargetGroup(filters['target_group'])]}" if filters["target_group"] else "",
        f"tìm “{filters['q']}”" if filters["q"] else "") if part)
    now = utcnow()
    data, count = export_participants(db.session.scalars(stmt), title="Danh sách cán bộ tham gia bồi dưỡng",
                                      filters=described, exported_at=local_time(now),
                                      exported_by=current_user.email)
    record_export(current_user, kind="list" if described else "registry", count=count, unit=unit,
                  target_group=filters["target_group"], searched=bool(filters["q"]))
    db.session.commit()
    name = f"danh-sach-can-bo-{local_time(now):%Y%m%d-%H%M}.xlsx"
    return file_response(data, name, XLSX)


@bp.route("/<int:participant_id>")
def detail(participant_id: int) -> ResponseReturnValue:
    """One participant and the courses they are enrolled in."""
    participant = get_or_404_for(Participant, participant_id, Need.VIEW)
    return render_template("participants/detail.html", participant=participant,
                           enrolments=list_enrolments(participant), group_labels=TARGET_GROUP_LABELS,
                           gender_labels=GENDER_LABELS,
                           course_link="courses.detail" in current_app.view_functions)  # once courses has pages


@bp.route("/<int:participant_id>/personal-data.json")
def personal_data(participant_id: int) -> ResponseReturnValue:
    """Everything stored about the person, as a JSON file for them (admins, organizers in scope); audited."""
    participant = get_or_404_for(Participant, participant_id, Need.MANAGE)
    data = export_personal_data(participant, actor=current_user, channel="page")
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return file_response(body, f"du-lieu-ca-nhan-{participant.code}.json", "application/json")


@bp.route("/<int:participant_id>/anonymise", methods=["GET", "POST"])
def anonymise(participant_id: int) -> ResponseReturnValue:
    """Confirm with a reason, then erase the person's name, phone, e-mail, birth date and position for good."""
    participant = get_or_404_for(Participant, participant_id, Need.MANAGE)
    form = ParticipantAnonymiseForm()
    if participant.anonymised_at is None and form.validate_on_submit():
        try:
            anonymise_participant(participant, reason=form.reason.data, actor=current_user)
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã ẩn danh hóa người này; các số liệu tổng hợp không đổi."), "success")
            return redirect(url_for("participants.detail", participant_id=participant.id))
    status = 422 if form.errors else (409 if request.method == "POST" else 200)
    return render_template("participants/anonymise.html", participant=participant, form=form), status


def _form_values(form: Any) -> dict[str, Any]:
    """The service's keyword arguments from the shared fields of the participant forms."""
    return {"full_name": form.full_name.data, "gender": form.gender.data, "birth_date": form.birth_date.data or None,
            "phone": form.phone.data, "email": form.email.data or None, "position": form.position.data or "",
            "target_group": form.target_group.data}


def _render_form(form: Any, participant: Participant | None,
                 existing_id: int | None = None) -> tuple[str, int]:
    """The register/edit page (422 when it shows errors), with the notice and the unit choices."""
    status = 422 if form.errors or existing_id else 200
    return render_template("participants/form.html", form=form, participant=participant,
                           notice=privacy_notice(), unit_options=_unit_options(Need.MANAGE),
                           scheme=actor_scheme(current_user), existing_id=existing_id), status


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Register a participant in a unit the user manages."""
    require(Need.MANAGE)
    form = ParticipantCreateForm()
    if request.method == "GET" and request.args.get("phone"):  # from a refused check-in's number
        form.phone.data = request.args["phone"][:30]
    existing_id = None
    if form.validate_on_submit():
        try:
            unit = find_unit(form.unit_code.data, scheme=actor_scheme(current_user))
            participant = create_participant(**_form_values(form), unit=unit, ethnicity=form.ethnicity.data,
                                             actor=current_user)
        except DuplicatePhone as exc:
            existing_id = exc.existing_id
            _show_errors(form, exc)
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã thêm %(name)s, mã cá nhân %(code)s.", name=participant.full_name, code=participant.code),
                  "success")
            return redirect(url_for("participants.detail", participant_id=participant.id))
    return _render_form(form, None, existing_id)


@bp.route("/<int:participant_id>/edit", methods=["GET", "POST"])
def edit(participant_id: int) -> ResponseReturnValue:
    """Correct a participant (organizers of their unit)."""
    participant = get_or_404_for(Participant, participant_id, Need.MANAGE)
    form = ParticipantEditForm(current_flag=participant.ethnic_minority, data={
        "full_name": participant.full_name, "gender": participant.gender.value, "phone": participant.phone,
        "birth_date": participant.birth_date.isoformat() if participant.birth_date else "",
        "email": participant.email, "position": participant.position, "target_group": participant.target_group.value,
        "unit_code": f"{participant.unit.code} - {participant.unit.name}"})
    existing_id = None
    if form.validate_on_submit():
        try:
            unit = find_unit(form.unit_code.data, scheme=participant.unit.scheme)
            update_participant(participant, **_form_values(form), unit=unit, ethnicity=form.ethnicity.data or None,
                               actor=current_user)
        except DuplicatePhone as exc:
            existing_id = exc.existing_id
            _show_errors(form, exc)
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu thông tin của %(name)s.", name=participant.full_name), "success")
            return redirect(url_for("participants.detail", participant_id=participant.id))
    return _render_form(form, participant, existing_id)


@bp.route("/template.xlsx")
def template() -> ResponseReturnValue:
    """The Excel template, with dropdowns of the units the user manages."""
    require(Need.MANAGE)
    scheme = actor_scheme(current_user)
    units = list_unit_choices(current_user, Need.MANAGE, scheme=scheme)
    scope = current_user.unit.name if current_user.unit else _("mọi đơn vị (danh mục %(s)s)", s=scheme)
    data = build_template(units=[(code, name) for code, name in units], notice=privacy_notice(),
                          unit_scope=_("chọn trong danh sách các đơn vị thuộc %(scope)s", scope=scope))
    return file_response(data, "mau-danh-sach-can-bo.xlsx", XLSX)


@bp.route("/import", methods=["GET", "POST"])
def import_upload() -> ResponseReturnValue:
    """Upload a filled-in template: a dry run reports every problem and every change; a clean file waits for
    confirmation, a file whose only problems are identity conflicts for those to be confirmed."""
    require(Need.MANAGE)
    sweep_error_files()  # uploads kept for an error file go when their hour is up, downloaded or not
    course = target_course(request.args.get("course"))
    form = ParticipantImportForm()
    result, forms = None, {}
    if form.validate_on_submit():
        try:
            data = read_bytes(form.file.data.stream)
            result = import_participants(io.BytesIO(data), actor=current_user, dry_run=True)
        except DomainError as exc:
            form.file.errors = [*form.file.errors, exc.said()]
        else:
            forms = next_step(result, data, None, course)
    return render_import(form, result, course, data=data if result else None,
                         filename=form.file.data.filename if result else None, **forms)


@bp.route("/import/identities", methods=["POST"])
def import_identities() -> ResponseReturnValue:
    """Check the kept file again with its identity conflicts confirmed: the dry run then lists the new people
    and the phones taken from their earlier holders, and offers the final confirmation."""
    require(Need.MANAGE)
    form = ImportIdentityForm()
    path = stashed_upload(form.token.data or "", current_user)
    if path is None:
        return gone()
    course = target_course(form.course_id.data)
    confirmed = form.validate_on_submit()
    data = path.read_bytes()
    try:
        result = import_participants(io.BytesIO(data), actor=current_user, dry_run=True, confirm_identity=confirmed)
    except DomainError as exc:
        flash(exc.said(), "danger")
        return redirect(url_for("participants.import_upload"))
    forms = next_step(result, None, form.token.data, course, confirm_identity=confirmed)
    if "identities" in forms:  # not ticked: the same question again, with the reason
        forms["identities"] = form
    return render_import(ParticipantImportForm(formdata=None), result, course, data=data, **forms)


@bp.route("/import/confirm", methods=["POST"])
def import_confirm() -> ResponseReturnValue:
    """Import the file that passed its dry run; nothing is written if a row has become wrong meanwhile."""
    require(Need.MANAGE)
    form = ImportConfirmForm()
    path = stashed_upload(form.token.data or "", current_user) if form.validate_on_submit() else None
    if path is None:
        return gone()
    course = target_course(form.course_id.data)
    enrolled = None
    data = path.read_bytes()
    try:
        result = import_participants(io.BytesIO(data), actor=current_user, dry_run=False,
                                     confirm_identity=form.confirm_identity.data == "1")
        if course is not None and not result.errors:
            enrolled = enrol_participants(course, result.participants, actor=current_user)
    except DomainError as exc:
        db.session.rollback()  # nothing half-written: neither the people nor their enrolments
        result = None
        flash(exc.said(), "danger")
    if result is None or result.errors:
        discard_upload(form.token.data, current_user)
        return render_import(ParticipantImportForm(formdata=None), result, course, data=data, failed=True)
    db.session.commit()
    discard_upload(form.token.data, current_user)
    flash_import_summary(result, enrolled)
    if course is not None:
        return redirect(url_for("courses.detail", course_id=course.id))
    return redirect(url_for("participants.index"))


@bp.route("/import/error-file/<token>.xlsx")
def import_error_file(token: str) -> ResponseReturnValue:
    """The uploaded workbook with an error column, once, within the hour after its dry run, for its uploader."""
    require(Need.MANAGE)
    if kept_for_someone_else(token, current_user):
        abort(404)  # the link of another user's upload: its existence stays hidden
    kept = take_error_file(token, current_user)
    if kept is None:
        flash(_("Tệp có cột lỗi chỉ tải được một lần trong vòng 1 giờ sau khi kiểm tra; hãy tải tệp lên lại để "
                "nhận tệp mới."), "warning")
        return redirect(url_for("participants.import_upload"))
    data, notes = kept
    try:
        body = annotate_workbook(data, sheet_title=notes["sheet"], header_rows=notes["header_rows"],
                                 messages=notes["messages"])
    except DomainError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("participants.import_upload"))
    return file_response(body, "danh-sach-co-cot-loi.xlsx", XLSX)
