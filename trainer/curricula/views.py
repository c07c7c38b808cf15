"""Pages of curricula: list, detail with modules and hours, correction by an administrator."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.core.errors import DomainError
from trainer.core.permissions import Need, require
from trainer.curricula.forms import CurriculumEditForm
from trainer.curricula.models import TARGET_GROUP_LABELS, Curriculum
from trainer.curricula.queries import list_curricula
from trainer.curricula.services import update_curriculum
from trainer.extensions import db

bp = Blueprint("curricula", __name__, url_prefix="/curricula")


def _get_curriculum(code: str) -> Curriculum:
    curriculum = db.session.scalar(select(Curriculum).where(Curriculum.code == code)
                                   .options(selectinload(Curriculum.modules)))
    if curriculum is None:
        abort(404)
    return curriculum


@bp.route("/")
def index():
    """The four Decision 1288 curricula."""
    return render_template("curricula/index.html", curricula=db.session.scalars(list_curricula()).all(),
                           group_labels=TARGET_GROUP_LABELS)


@bp.route("/<code>")
def detail(code: str):
    """One curriculum with its modules, hours, sources and what is confirmed."""
    return render_template("curricula/detail.html", curriculum=_get_curriculum(code),
                           group_labels=TARGET_GROUP_LABELS)


@bp.route("/<code>/edit", methods=["GET", "POST"])
def edit(code: str):
    """Correct a curriculum (admins); planned courses keep their own modules."""
    require(Need.ADMINISTER)
    curriculum = _get_curriculum(code)
    form = CurriculumEditForm(obj=curriculum)
    if not form.is_submitted():
        form.title_confirmed.data = bool((curriculum.confirmed or {}).get("title"))
    if form.validate_on_submit():
        confirmed = {m.code: m.confirmed for m in curriculum.modules}
        modules = [{"code": entry.code.data, "title": entry.title.data, "hours": entry.hours.data,
                    "confirmed": confirmed.get(entry.code.data, {})} for entry in form.modules]
        try:
            update_curriculum(curriculum, title=form.title.data or "",
                              completion_threshold=form.completion_threshold.data, modules=modules,
                              actor=current_user, title_confirmed=bool(form.title_confirmed.data))
        except DomainError as exc:
            flash(exc.said(), "danger")
        else:
            db.session.commit()
            flash(_("Đã lưu chương trình %(code)s.", code=curriculum.code), "success")
            return redirect(url_for("curricula.detail", code=curriculum.code))
    return render_template("curricula/edit.html", curriculum=curriculum, form=form)
