"""Pages of training materials: lists and uploads per course and per curriculum module, downloads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from trainer.core.errors import DomainError
from trainer.core.permissions import Need, get_or_404_for, require
from trainer.courses.models import Course
from trainer.curricula.models import CurriculumModule
from trainer.extensions import csrf, db
from trainer.materials.forms import MaterialDeleteForm, MaterialUploadForm
from trainer.materials.models import Material
from trainer.materials.queries import module_materials_stmt, modules_with_counts, recent_course_materials
from trainer.materials.responses import material_response
from trainer.materials.services import (
    ACCEPTED_EXTENSIONS,
    add_material,
    delete_material,
    format_size,
    list_course_materials,
    max_upload_bytes,
    too_large_error,
    type_label,
)

bp = Blueprint("materials", __name__, url_prefix="/materials")
# Room for the multipart envelope and the title field around the file itself.
MULTIPART_MARGIN = 64 * 1024

# Filters for every template, so that other pages (the trainee check-in page) can include
# materials/_trainee_list.html.
bp.add_app_template_filter(format_size, "filesize")
bp.add_app_template_filter(type_label, "material_type")


def _material_for(material_id: int, need: Need) -> Material:
    """A material the current user may view or manage: course materials by the course's scope,
    curriculum-module materials by role (viewing: all staff; managing: admins)."""
    material = db.get_or_404(Material, material_id)
    if material.course_id is not None:
        return get_or_404_for(Material, material_id, need)
    require(Need.ADMINISTER if need is Need.MANAGE else Need.VIEW)
    return material


def _upload(**target: Any) -> tuple[MaterialUploadForm, Response | None, int]:
    """Read and store the submitted upload for `target` (course= or module=).

    Returns the form, a redirect after success, and the status of the page otherwise.
    """
    limit = max_upload_bytes()
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    # Refuse a body clearly above the materials limit before reading it.
    request.max_content_length = min(limit + MULTIPART_MARGIN, request_limit or limit + MULTIPART_MARGIN)
    try:
        form = MaterialUploadForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:  # the body is not read: nothing of the form is left to show
        form = MaterialUploadForm(formdata=None)
        form.file.errors = [too_large_error(limit).said()]
        return form, None, 413
    if not submitted:
        return form, None, 422 if form.errors else 200
    upload = form.file.data
    try:
        material = add_material(upload.stream, upload.filename or "", actor=current_user,
                                title=form.title.data or "", **target)
    except DomainError as exc:
        form.file.errors = [*form.file.errors, exc.said()]
        return form, None, exc.status
    db.session.commit()
    flash(_("Đã tải lên “%(title)s” (%(size)s).", title=material.title, size=format_size(material.size_bytes)),
          "success")
    return form, redirect(request.path), 302


def _page_context() -> dict[str, Any]:
    """What every materials page with an upload form shows besides its own data."""
    return {"accept": ",".join(ACCEPTED_EXTENSIONS), "max_size": format_size(max_upload_bytes()),
            "delete_form": MaterialDeleteForm(formdata=None)}  # never reads the (maybe oversized) body


@bp.route("/")
def index() -> ResponseReturnValue:
    """Curriculum modules with their number of materials, and the latest course materials in scope."""
    modules = db.session.execute(modules_with_counts()).all()
    recent = db.session.scalars(recent_course_materials(current_user)).all()
    return render_template("materials/index.html", modules=modules, recent=recent)


# The global CSRF check would read an oversized body before this view could answer with its own
# message; the upload form checks its CSRF token itself (FlaskForm), so nothing goes unchecked.
@bp.route("/course/<int:course_id>", methods=["GET", "POST"])
@csrf.exempt
def course_materials(course_id: int) -> ResponseReturnValue:
    """A course's materials and those of its planned modules; organizers of its unit upload here."""
    course = get_or_404_for(Course, course_id, Need.MANAGE if request.method == "POST" else Need.VIEW)
    form, done, status = _upload(course=course)
    if done is not None:
        return done
    materials = list_course_materials(course)
    own = [m for m in materials if m.course_id == course.id]
    inherited = [m for m in materials if m.course_id != course.id]
    return render_template("materials/course.html", course=course, form=form, own=own, inherited=inherited,
                           **_page_context()), status


@bp.route("/module/<int:module_id>", methods=["GET", "POST"])
@csrf.exempt  # see course_materials
def module_materials(module_id: int) -> ResponseReturnValue:
    """A curriculum module's materials, shared by every course planned with it; admins upload here."""
    require(Need.ADMINISTER if request.method == "POST" else Need.VIEW)
    module = db.get_or_404(CurriculumModule, module_id)
    form, done, status = _upload(module=module)
    if done is not None:
        return done
    materials = db.session.scalars(module_materials_stmt(module)).all()
    return render_template("materials/module.html", module=module, form=form, materials=materials,
                           **_page_context()), status


@bp.route("/<int:material_id>/download")
def download(material_id: int) -> ResponseReturnValue:
    """The file under its original name, never rendered by the browser as anything else; resumable
    (Range) since a 3G connection may drop halfway."""
    return material_response(_material_for(material_id, Need.VIEW))


@bp.route("/<int:material_id>/delete", methods=["POST"])
def delete(material_id: int) -> ResponseReturnValue:
    """Delete a material (organizers of the course's unit; admins for curriculum modules)."""
    material = _material_for(material_id, Need.MANAGE)
    if material.course_id is not None:
        back = url_for("materials.course_materials", course_id=material.course_id)
    elif material.curriculum_module_id is not None:
        back = url_for("materials.module_materials", module_id=material.curriculum_module_id)
    else:  # its module was deleted
        back = url_for("materials.index")
    if MaterialDeleteForm().validate_on_submit():
        title = material.title
        delete_material(material, actor=current_user)
        db.session.commit()
        flash(_("Đã xóa tài liệu “%(title)s”.", title=title), "success")
    return redirect(back)
