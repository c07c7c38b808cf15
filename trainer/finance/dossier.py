"""The class dossier (hồ sơ lớp học): one ZIP with every paper of a finished course, for settlement and
inspection. Each part is built by its own module; a part that cannot be made yet (no rates entered) is
replaced by a note saying why, so the rest still arrives."""

from __future__ import annotations

import io
import zipfile

from trainer.core.errors import DomainError
from trainer.courses.models import Course
from trainer.documents.queries import course_info, roster_data, sheet_data
from trainer.documents.roster import render_roster, render_roster_xlsx
from trainer.documents.sheets import render_register_xlsx, render_signin_sheet
from trainer.finance.budget import course_budget
from trainer.finance.budgetsheet import render_budget_xlsx
from trainer.finance.certregister import certificate_register, render_certificate_register_xlsx
from trainer.finance.paperwork import FILES, render_letter
from trainer.finance.paylists import render_payment_pdf, render_payment_xlsx
from trainer.finance.payments import lecturer_payments, trainee_payments


def dossier_parts(course: Course) -> dict[str, bytes]:
    """{file name in the ZIP: content} of the course's dossier, in reading order."""
    # The roster and the sign-in sheet are the papers of the course as it was held: dated on its first day, so
    # that they carry the issuer and place name of that day (an agency abolished since issues nothing today).
    today = course.start_date
    parts: dict[str, bytes] = {}
    for kind, name in FILES.items():
        parts[f"{name}.pdf"] = render_letter(course, kind)
    roster = roster_data(course, on=today)
    parts["03-danh-sach-hoc-vien.pdf"] = render_roster(roster)
    parts["03-danh-sach-hoc-vien.xlsx"] = render_roster_xlsx(roster)
    sheets = sheet_data(course, on=today)
    parts["04-danh-sach-diem-danh.pdf"] = render_signin_sheet(sheets)
    parts["05-so-diem-danh.xlsx"] = render_register_xlsx(sheets)
    notes = []
    for number, kind, build in (("06", "ky-nhan-ho-tro-hoc-vien", trainee_payments),
                                ("07", "chi-thu-lao-giang-vien", lecturer_payments)):
        try:
            data = build(course)
        except DomainError as exc:
            notes.append(exc.message)
            continue
        parts[f"{number}-danh-sach-{kind}.pdf"] = render_payment_pdf(data)
        parts[f"{number}-danh-sach-{kind}.xlsx"] = render_payment_xlsx(data)
    try:
        parts["10-du-toan-quyet-toan.xlsx"] = render_budget_xlsx(course_info(course), course_budget(course))
    except DomainError as exc:
        notes.append(exc.message)
    parts["08-so-cap-giay-chung-nhan.xlsx"] = render_certificate_register_xlsx(certificate_register(course))
    if notes:
        parts["00-GHI-CHU.txt"] = ("Chưa đủ để lập:\n" + "\n".join(f"- {n}" for n in dict.fromkeys(notes))
                                   + "\n").encode("utf-8")
    return dict(sorted(parts.items()))


def build_dossier(parts: dict[str, bytes]) -> bytes:
    """The parts in one ZIP (UTF-8 names, deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()
