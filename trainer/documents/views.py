"""Printable documents of a course: roster and badges (PDF), roster (.xlsx), the paper sign-in sheet (PDF)
and the attendance register (.xlsx). Each download is logged."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user

from trainer.audit.services import record_audit
from trainer.core import clock
from trainer.core.db import utcnow
from trainer.core.downloads import file_response
from trainer.core.permissions import Need, get_or_404_for
from trainer.core.templating import local_time
from trainer.courses.models import Course
from trainer.documents.badges import render_badges
from trainer.documents.queries import badges_data, count_enrolled, course_info, roster_data, sheet_data
from trainer.documents.roster import render_roster, render_roster_xlsx
from trainer.documents.sheets import render_register_xlsx, render_signin_sheet
from trainer.extensions import db

bp = Blueprint("documents", __name__, url_prefix="/courses")

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_ACTION = "course.roster_export"


def _roster_day(course: Course) -> date:
    """The roster's date: today, or the course's first day once it has begun: the roster belongs to the course and
    its issuer, so a reprint never dates a district office's list after the office was abolished."""
    return min(local_time(utcnow()).date(), course.start_date)


@bp.route("/<int:course_id>/documents")
def index(course_id: int):
    """The printable documents of a course, with what each contains."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    return render_template("documents/index.html", course=course, info=course_info(course),
                           enrolled=count_enrolled(course))


@bp.route("/<int:course_id>/roster.pdf")
def roster_pdf(course_id: int):
    """The roster (danh sách học viên) as a PDF in the administrative layout."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    data = roster_data(course, on=_roster_day(course))
    body = render_roster(data)
    record_audit(current_user, EXPORT_ACTION, course, document="roster", format="pdf", rows=len(data.rows))
    db.session.commit()
    return file_response(body, f"danh-sách-học-viên-{course.id}.pdf", PDF, inline=True)


@bp.route("/<int:course_id>/badges.pdf")
def badges_pdf(course_id: int):
    """Personal badges and invitations with QR codes, ten cards to an A4 sheet."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    data = badges_data(course)
    body = render_badges(data)
    record_audit(current_user, EXPORT_ACTION, course, document="badges", format="pdf", rows=len(data.cards))
    db.session.commit()
    return file_response(body, f"thẻ-học-viên-{course.id}.pdf", PDF, inline=True)


@bp.route("/<int:course_id>/roster.xlsx")
def roster_xlsx(course_id: int):
    """The roster as an Excel workbook, with phones and emails."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    data = roster_data(course, on=_roster_day(course))
    body = render_roster_xlsx(data)
    record_audit(current_user, EXPORT_ACTION, course, document="roster", format="xlsx", rows=len(data.rows))
    db.session.commit()
    return file_response(body, f"danh-sách-học-viên-{course.id}.xlsx", XLSX, inline=False)


@bp.route("/<int:course_id>/signin-sheet.pdf")
def signin_sheet(course_id: int):
    """The paper sign-in sheet of a course (danh sách điểm danh), for when phones are not an option."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    pdf = render_signin_sheet(sheet_data(course, on=clock.local_today()))
    record_audit(current_user, EXPORT_ACTION, course, document="signin_sheet", format="pdf")
    db.session.commit()
    return file_response(pdf, f"danh-sach-diem-danh-{course.id}.pdf", PDF)


@bp.route("/<int:course_id>/register.xlsx")
def register_xlsx(course_id: int):
    """The attendance register as a workbook."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    workbook = render_register_xlsx(sheet_data(course, on=clock.local_today()))
    record_audit(current_user, EXPORT_ACTION, course, document="register", format="xlsx")
    db.session.commit()
    return file_response(workbook, f"so-diem-danh-{course.id}.xlsx", XLSX)
