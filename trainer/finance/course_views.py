"""A course's money pages: its payment lists (page, .xlsx, .pdf) and its whole dossier (.zip)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from trainer.audit.services import record_audit
from trainer.core.downloads import file_response
from trainer.core.errors import DomainError
from trainer.core.forms import show_error
from trainer.core.permissions import Need, can, get_or_404_for
from trainer.courses.models import Course
from trainer.documents.queries import course_info
from trainer.extensions import db
from trainer.finance.budget import LABELS as BUDGET_LABELS
from trainer.finance.budget import course_budget, entered_lines, save_budget_lines
from trainer.finance.budgetsheet import render_budget_xlsx
from trainer.finance.dossier import build_dossier, dossier_parts
from trainer.finance.forms import BudgetForm, PaperworkForm
from trainer.finance.lecturers import province_of
from trainer.finance.paperwork import FILES, LABELS, course_documents, render_letter, save_documents
from trainer.finance.paylists import TITLES, render_payment_pdf, render_payment_xlsx
from trainer.finance.payments import PaymentList, lecturer_payments, trainee_payments
from trainer.finance.words import vnd

bp = Blueprint("course_money", __name__, url_prefix="/courses")

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_ACTION = "course.payments_export"
BUILDERS = {"trainees": trainee_payments, "lecturers": lecturer_payments}
SLUGS = {kind: kind.replace("_", "-") for kind in FILES}
FILE_NAMES = {"trainees": "danh-sach-ky-nhan-hoc-vien", "lecturers": "danh-sach-thu-lao-giang-vien"}


@bp.route("/<int:course_id>/payments")
def payments(course_id: int) -> ResponseReturnValue:
    """Both payment lists of a course on one page, with their downloads."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    lists: dict[str, PaymentList] = {}
    error = None
    try:
        lists = {kind: build(course) for kind, build in BUILDERS.items()}
    except DomainError as exc:
        error = exc.said()
    return render_template("finance/payments.html", course=course, lists=lists, error=error, titles=TITLES,
                           vnd=vnd, province=province_of(course.unit))


def _download(course_id: int, kind: str, fmt: str) -> ResponseReturnValue:
    """One payment list as a file; without rates, back to the page with the reason."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    try:
        data = BUILDERS[kind](course)
    except DomainError as exc:
        if g.get("auth_via_token"):
            raise  # a script gets the 409 `no_rates`, not a page to go back to
        flash(exc.said(), "danger")
        return redirect(url_for("course_money.payments", course_id=course.id))
    body = render_payment_pdf(data) if fmt == "pdf" else render_payment_xlsx(data)
    record_audit(current_user, EXPORT_ACTION, course, document=kind, format=fmt, rows=len(data.rows))
    db.session.commit()
    return file_response(body, f"{FILE_NAMES[kind]}-{course.id}.{fmt}", PDF if fmt == "pdf" else XLSX,
                         inline=fmt == "pdf")


@bp.route("/<int:course_id>/payments/trainees.xlsx")
def trainees_xlsx(course_id: int) -> ResponseReturnValue:
    """The trainees' sign-for-receipt list (danh sách ký nhận) as a workbook."""
    return _download(course_id, "trainees", "xlsx")


@bp.route("/<int:course_id>/payments/trainees.pdf")
def trainees_pdf(course_id: int) -> ResponseReturnValue:
    """The trainees' sign-for-receipt list as a PDF to print and sign."""
    return _download(course_id, "trainees", "pdf")


@bp.route("/<int:course_id>/payments/lecturers.xlsx")
def lecturers_xlsx(course_id: int) -> ResponseReturnValue:
    """The lecturers' fee list as a workbook."""
    return _download(course_id, "lecturers", "xlsx")


@bp.route("/<int:course_id>/payments/lecturers.pdf")
def lecturers_pdf(course_id: int) -> ResponseReturnValue:
    """The lecturers' fee list as a PDF to print and sign."""
    return _download(course_id, "lecturers", "pdf")


@bp.route("/<int:course_id>/dossier.zip")
def dossier(course_id: int) -> ResponseReturnValue:
    """The class dossier: decisions and letters, roster, register, sign-in sheets, payment lists, certificates."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    parts = dossier_parts(course)
    record_audit(current_user, EXPORT_ACTION, course, document="dossier", format="zip", files=len(parts))
    db.session.commit()
    return file_response(build_dossier(parts), f"ho-so-lop-hoc-{course.id}.zip", "application/zip")


@bp.route("/<int:course_id>/paperwork", methods=["GET", "POST"])
def paperwork(course_id: int) -> ResponseReturnValue:
    """Number and date of the course's decisions and letters (organizers), and their downloads (everyone in
    scope)."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    may_edit = can(current_user, Need.MANAGE, course)
    rows = course_documents(course)
    form = PaperworkForm()
    if request.method == "GET":
        form.process(data={f"{kind}_{key}": getattr(row, key) for kind, row in rows.items()
                           for key in ("number", "signed_on", "basis")})
    elif not may_edit:
        abort(403)
    elif form.validate_on_submit():
        try:
            save_documents(current_user, course, form.values())
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu số và ngày của văn bản."), "success")
            return redirect(url_for("course_money.paperwork", course_id=course.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("finance/paperwork.html", course=course, form=form, may_edit=may_edit, labels=LABELS,
                           slugs=SLUGS), status


@bp.route("/<int:course_id>/paperwork/<any('open-decision', 'summons', 'completion-decision'):slug>.pdf")
def letter_pdf(course_id: int, slug: str) -> ResponseReturnValue:
    """One of the course's decisions or letters as a PDF in the Decree 30 layout."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    kind = slug.replace("-", "_")
    body = render_letter(course, kind)
    record_audit(current_user, EXPORT_ACTION, course, document=kind, format="pdf")
    db.session.commit()
    return file_response(body, f"{FILES[kind]}-{course.id}.pdf", PDF, inline=True)


@bp.route("/<int:course_id>/budget", methods=["GET", "POST"])
def budget(course_id: int) -> ResponseReturnValue:
    """Estimate and settlement side by side; organizers enter the venue, materials and other lines."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    may_edit = can(current_user, Need.MANAGE, course)
    form = BudgetForm()
    if request.method == "GET":
        form.process(data={f"{kind}_{key}": (vnd(getattr(row, key)) if key != "note" and getattr(row, key) is not None
                                             else getattr(row, key))
                           for kind, row in entered_lines(course).items() for key in ("estimate", "actual", "note")})
    elif not may_edit:
        abort(403)
    elif form.validate_on_submit():
        try:
            save_budget_lines(current_user, course, form.values())
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu dự toán, quyết toán."), "success")
            return redirect(url_for("course_money.budget", course_id=course.id))
    try:
        data, error = course_budget(course), None
    except DomainError as exc:
        data, error = None, exc.said()
    status = 422 if form.errors or form.form_errors else 200
    return render_template("finance/budget.html", course=course, form=form, may_edit=may_edit, budget=data,
                           error=error, labels=BUDGET_LABELS, vnd=vnd, province=province_of(course.unit)), status


@bp.route("/<int:course_id>/budget.xlsx")
def budget_xlsx(course_id: int) -> ResponseReturnValue:
    """Estimate and settlement as a workbook."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    try:
        data = course_budget(course)
    except DomainError as exc:
        flash(exc.said(), "danger")
        return redirect(url_for("course_money.budget", course_id=course.id))
    record_audit(current_user, EXPORT_ACTION, course, document="budget", format="xlsx")
    db.session.commit()
    return file_response(render_budget_xlsx(course_info(course), data), f"du-toan-quyet-toan-{course.id}.xlsx", XLSX)
