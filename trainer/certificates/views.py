"""Pages of certificates: a course's completion and issuing page, PDFs, revoke and reissue."""

from __future__ import annotations

import io
import zipfile

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.certificates.forms import CertificatesIssueForm, ReasonForm
from trainer.certificates.models import Certificate
from trainer.certificates.pdf import render_certificates
from trainer.certificates.public_url import is_local_url, qr_base_url
from trainer.certificates.services import (
    certificate_data,
    find_by_code,
    issue_certificates,
    list_completion,
    pdf_bytes,
    public_view,
    reissue_certificate,
    revoke_certificate,
)
from trainer.core.clock import local_today
from trainer.core.downloads import file_response
from trainer.core.errors import N_, DomainError, said
from trainer.core.forms import show_error
from trainer.core.permissions import Need, can, get_or_404_for, public
from trainer.courses.models import Course
from trainer.extensions import db

bp = Blueprint("certificates", __name__)
DATE_REFUSALS = ("issued_on_before_end", "issued_on_future", "course_not_ended")
public_bp = Blueprint("certificates_public", __name__)


@bp.route("/courses/<int:course_id>/certificates")
def course_certificates(course_id: int):
    """Who completes the course and why not, the certificates issued, and the actions on them."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    return _course_page(course, CertificatesIssueForm(issued_on=course.end_date))


def _course_page(course: Course, issue_form: CertificatesIssueForm) -> str:
    """The course's certificates page; it warns when the QR codes would point at the server itself."""
    base = qr_base_url()
    return render_template("certificates/course.html", course=course, rows=list_completion(course),
                           issue_form=issue_form, reason_form=ReasonForm(), qr_base=base, qr_local=is_local_url(base),
                           today=local_today())


def _issue_refused(course: Course, form: CertificatesIssueForm, exc: DomainError) -> tuple[str, int]:
    """The page again (422) saying why nothing was issued, with what was typed."""
    if exc.code in DATE_REFUSALS:
        show_error(form, exc)
    elif exc.code == "public_base_url_local":
        form.form_errors.append(_("Chưa cấp giấy chứng nhận nào: hãy nhập địa chỉ công khai của hệ thống, "
                                  "hoặc đánh dấu “Vẫn cấp với địa chỉ này”."))
    elif exc.code == "public_base_url_not_public":
        form.public_base_url.errors = [_("Địa chỉ này vẫn là của chính máy chủ; hãy nhập địa chỉ mà điện thoại "
                                         "truy cập được.")]
    else:
        form.public_base_url.errors = [_("Địa chỉ công khai phải có dạng https://ten-mien "
                                         "(ví dụ https://daotao.example.gov.vn).")]
    return _course_page(course, form), 422


@bp.route("/courses/<int:course_id>/certificates/issue", methods=["POST"])
def issue(course_id: int):
    """Issue certificates to every completer who has none (organizers). When the QR address is the
    server's own, the organizer gives the public one or confirms; nothing is issued otherwise."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = CertificatesIssueForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _course_page(course, form), 422
    typed = (form.public_base_url.data or "").strip() if is_local_url(qr_base_url()) else ""
    try:
        result = issue_certificates(course, actor=current_user, issued_on=form.issued_on.data,
                                    public_base_url=typed or None, local_url_ok=bool(form.confirm_local.data))
    except DomainError as exc:
        if exc.code in ("public_base_url_local", "public_base_url_not_public", "public_base_url_invalid",
                        *DATE_REFUSALS):
            return _issue_refused(course, form, exc)
        flash(exc.said(), "warning")
    else:
        db.session.commit()
        if result.issued:
            flash(_("Đã cấp %(n)s giấy chứng nhận.", n=len(result.issued)), "success")
        else:
            flash(said(result.message), "warning")
    return redirect(url_for("certificates.course_certificates", course_id=course.id))


def _certificate_for(code: str, need: Need) -> Certificate:
    try:
        certificate = find_by_code(code)
    except DomainError:
        abort(404)
    return get_or_404_for(Certificate, certificate.id, need)


@bp.route("/certificates/<code>.pdf")
def pdf(code: str):
    """The certificate's PDF as issued (organizers and reviewers in scope)."""
    certificate = _certificate_for(code, Need.VIEW)
    return file_response(pdf_bytes(certificate), f"giay-chung-nhan-{certificate.code}.pdf", "application/pdf")


def _with_reason(code: str, action, done: str, missing: str):
    """Run `action(certificate, reason=, actor=)` with the posted reason, flash the outcome, go back."""
    certificate = _certificate_for(code, Need.MANAGE)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            action(certificate, reason=form.reason.data or "", actor=current_user)
        except DomainError as exc:
            flash(exc.said(), "danger")
        else:
            db.session.commit()
            flash(_(done, serial=certificate.serial), "success")
    else:
        flash(_(missing), "danger")
    return redirect(url_for("certificates.course_certificates", course_id=certificate.course_id))


@bp.route("/certificates/<code>/revoke", methods=["POST"])
def revoke(code: str):
    """Revoke a certificate with a reason (organizers in scope)."""
    return _with_reason(code, revoke_certificate, N_("Đã thu hồi giấy chứng nhận số %(serial)s."),
                        N_("Nhập lý do thu hồi."))


@bp.route("/certificates/<code>/reissue", methods=["POST"])
def reissue(code: str):
    """Reissue a certificate from today's data, with a reason (organizers in scope)."""
    return _with_reason(code, reissue_certificate, N_("Đã cấp lại giấy chứng nhận số %(serial)s."),
                        N_("Nhập lý do cấp lại."))


def _valid_certificates(course: Course) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(
        Certificate.course_id == course.id, Certificate.revoked_at.is_(None)).order_by(Certificate.serial_number)))


@bp.route("/courses/<int:course_id>/certificates.pdf")
def bulk_pdf(course_id: int):
    """One multi-page PDF of the course's valid certificates, for printing."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    certificates = _valid_certificates(course)
    if not certificates:
        flash(_("Khóa học chưa có giấy chứng nhận nào để in."), "warning")
        return redirect(url_for("certificates.course_certificates", course_id=course.id))
    data = render_certificates([certificate_data(c) for c in certificates])
    return file_response(data, f"giay-chung-nhan-khoa-{course.id}.pdf", "application/pdf")


@bp.route("/courses/<int:course_id>/certificates.zip")
def bulk_zip(course_id: int):
    """A ZIP of the stored PDF of each valid certificate of the course."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    certificates = _valid_certificates(course)
    if not certificates:
        flash(_("Khóa học chưa có giấy chứng nhận nào để tải."), "warning")
        return redirect(url_for("certificates.course_certificates", course_id=course.id))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for certificate in certificates:
            archive.writestr(f"{certificate.serial.replace('/', '-')}-{certificate.code}.pdf", pdf_bytes(certificate))
    return file_response(buffer.getvalue(), f"giay-chung-nhan-khoa-{course.id}.zip", "application/zip")


@public_bp.route("/verify/<code>")
@public
def verify(code: str):
    """Anyone checks a certificate by its code (the QR on it opens this page)."""
    try:
        certificate = find_by_code(code)
    except DomainError as exc:
        return render_template("certificates/verify.html", error=exc.said(), code=code), exc.status
    return render_template("certificates/verify.html", cert=public_view(certificate),
                           can_view_pdf=can(current_user, Need.VIEW, certificate))
