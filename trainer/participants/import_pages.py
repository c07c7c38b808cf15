"""The steps of the import pages shared by their views: the report page, the form that follows a dry run,
the kept error file, and the one summary flashed after an import."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.flashes import flash_summary
from trainer.core.forms import id_value
from trainer.core.permissions import Need, get_or_404_for
from trainer.courses.models import Course
from trainer.courses.services import EnrolResult
from trainer.participants.excel.annotate import messages_by_row
from trainer.participants.excel.results import ImportResult
from trainer.participants.excel.uploads import stash_error_file, stash_upload
from trainer.participants.forms import ImportConfirmForm, ImportIdentityForm

CHANGES_SHOWN = 1000  # changed fields listed on the import page (the API lists them all)


def render_import(form: Any, result: ImportResult | None, course: Course | None, *, data: bytes | None = None,
                  filename: str | None = None, confirm: Any = None, identities: Any = None,
                  failed: bool = False) -> ResponseReturnValue:
    """The import page: the upload form, and the dry run's report with the next step it allows. With row
    errors, `data` (the upload) is kept for an hour so the page can offer it back with an error column."""
    failed = failed or bool(form.errors or (result and result.errors) or (identities and identities.errors))
    status = 422 if failed else 200
    error_file = None
    if result is not None and result.errors and data is not None:
        error_file = stash_error_file(data, current_user, sheet=result.sheet, header_rows=result.header_rows,
                                      messages=messages_by_row(result.errors))
    return render_template("participants/import.html", form=form, result=result, confirm=confirm,
                           identities=identities, course=course, filename=filename, error_file=error_file,
                           error_rows=len({e.row for e in result.errors}) if result else 0,
                           changes_shown=CHANGES_SHOWN), status


def next_step(result: ImportResult, data: bytes | None, token: str | None, course: Course | None,
              confirm_identity: bool = False) -> dict[str, Any]:
    """The form that follows a dry run: confirm a clean file, or confirm its identity conflicts."""
    if result.errors and not result.only_identity_conflicts:
        return {}
    token = token or stash_upload(data or b"", current_user)
    course_id = str(course.id) if course else ""
    if result.errors:
        return {"identities": ImportIdentityForm(formdata=None, token=token, course_id=course_id)}
    return {"confirm": ImportConfirmForm(formdata=None, token=token, course_id=course_id,
                                         confirm_identity="1" if confirm_identity else "")}


def target_course(course_id: str | None) -> Course | None:
    """The course to enrol an import into, if one is named (organizers of its unit only)."""
    if not course_id:
        return None
    try:
        return get_or_404_for(Course, id_value(course_id), Need.MANAGE)
    except ValueError:  # not an id (e.g. "²" or 20 digits): no such course
        abort(404)


def gone() -> ResponseReturnValue:
    """The kept upload is gone: back to the upload page."""
    flash(_("Tệp đã tải lên không còn trên máy chủ (đã nhập hoặc quá hạn); hãy tải tệp lên lại."), "warning")
    return redirect(url_for("participants.import_upload"))


def enrolment_details(enrolled: EnrolResult) -> list[str]:
    """The lines behind an enrolment's summary: who was already enrolled, who is outside the target groups."""
    return [*enrolled.warnings,
            *(f"{p.full_name}: {reason}." for p, reason in enrolled.skipped)]


def flash_import_summary(result: ImportResult, enrolled: EnrolResult | None) -> None:
    """One message for a finished import (and its enrolment into a course), the details folded under it."""
    n = format_decimal
    text = _("Đã nhập %(rows)s người: %(created)s mới, %(updated)s cập nhật, %(unchanged)s không đổi.",
             rows=n(result.rows), created=n(result.created), updated=n(result.updated),
             unchanged=n(result.unchanged))
    details: list[str] = []
    if result.confirm_identity and result.conflicts:
        text += " " + _("%(n)s số điện thoại chuyển sang người mới.", n=n(len(result.conflicts)))
    if enrolled is not None:
        text += " " + _("Đã ghi danh %(n)s người vào khóa học.", n=n(len(enrolled.enrolled)))
        if enrolled.skipped:
            text += " " + _("%(n)s người đã có trong khóa.", n=n(len(enrolled.skipped)))
        if enrolled.warnings:
            text += " " + _("%(n)s người không thuộc nhóm đối tượng của chương trình (vẫn được ghi danh).",
                            n=n(len(enrolled.warnings)))
        details = enrolment_details(enrolled)
    flash_summary(text, details, "success")
