"""Rules of training materials: accepted types by content, size, storage, permissions, listing, audit."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import render_template_string
from sqlalchemy import select

from tests.factories import Factories
from tests.materials.conftest import EXE, ole, zip_bytes
from trainer.audit.models import AuditEntry
from trainer.core.errors import DomainError
from trainer.courses.models import CourseModule
from trainer.curricula.models import CurriculumModule
from trainer.extensions import db
from trainer.materials.models import Material
from trainer.materials.services import (
    add_material,
    delete_material,
    format_size,
    list_course_materials,
    materials_dir,
    max_upload_bytes,
)


@pytest.fixture
def scene(f: Factories) -> dict[str, Any]:
    """A course of Huyện Tân Yên planned from CT1, and an organizer of its province."""
    t = f.tree()
    curriculum = f.curriculum("CT1", hours=(4, 4, 4))
    course = f.course(t["district"], curriculum)
    # Only the organizer is made for every test: hashing each user's password takes a while.
    return {"t": t, "curriculum": curriculum, "course": course, "organizer": f.user("organizer", t["province"])}


def _add(scene: dict[str, Any], filename: str, content: bytes, **kwargs: Any) -> Material:
    """Add a material (by default to the scene's course, by its organizer)."""
    target = kwargs.pop("target", {"course": scene["course"]})
    actor = kwargs.pop("actor", scene["organizer"])
    return add_material(io.BytesIO(content), filename, actor=actor, **target, **kwargs)


def _refused(scene: dict[str, Any], filename: str, content: bytes, **kwargs: Any) -> str:
    """The error code with which adding this file is refused."""
    with pytest.raises(DomainError) as err:
        _add(scene, filename, content, **kwargs)
    return err.value.code


@pytest.mark.parametrize("name", ["pdf", "docx", "pptx", "odt", "odp", "doc", "ppt", "mp3", "mp3_raw", "m4a",
                                  "aac", "ogg", "wav"])
def test_accepted_types_are_stored_with_the_type_read_from_their_content(scene, samples, name):
    filename, content, content_type = samples[name]
    material = _add(scene, filename, content)
    assert material.content_type == content_type and material.filename == filename
    assert material.size_bytes == len(content)


def test_a_pdf_that_is_really_a_program_is_refused(scene):
    assert _refused(scene, "Bài giảng.pdf", EXE) == "file_type_mismatch"


def test_a_pdf_that_is_really_a_zip_is_refused(scene):
    assert _refused(scene, "Bài giảng.pdf", zip_bytes({"payload.exe": EXE})) == "file_type_mismatch"


def test_a_docx_that_is_a_plain_zip_is_refused(scene):
    assert _refused(scene, "Đề cương.docx", zip_bytes({"setup.exe": EXE})) == "file_type_mismatch"


def test_a_spreadsheet_named_doc_is_refused(scene):
    assert _refused(scene, "Bảng.doc", ole("Workbook")) == "file_type_mismatch"


def test_a_pdf_renamed_mp3_is_refused(scene, samples):
    assert _refused(scene, "Bản tin.mp3", samples["pdf"][1]) == "file_type_mismatch"


@pytest.mark.parametrize("filename", ["setup.exe", "ghi chú.txt", "trang.html", "không đuôi"])
def test_other_extensions_are_not_allowed(scene, filename):
    assert _refused(scene, filename, b"%PDF-1.7\n") == "file_type_not_allowed"


def test_an_empty_file_is_refused(scene):
    assert _refused(scene, "Trống.pdf", b"") == "file_empty"


def test_a_missing_file_name_is_refused(scene):
    assert _refused(scene, "", b"%PDF-1.7\n") == "file_required"


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(app, scene):
    app.config["MATERIALS_MAX_BYTES"] = 1000
    with pytest.raises(DomainError) as err:
        _add(scene, "Lớn.pdf", b"%PDF-1.7\n" + b"0" * 1000)
    assert err.value.code == "file_too_large" and err.value.status == 413
    assert "1000 B" in err.value.message
    assert list(materials_dir().iterdir()) == []
    assert _add(scene, "Vừa.pdf", b"%PDF-1.7\n" + b"0" * 991).size_bytes == 1000


def test_the_limit_is_20_mb_by_default_and_never_above_max_content_length(app):
    assert max_upload_bytes() == 20 * 1024 * 1024
    app.config["MATERIALS_MAX_BYTES"] = 50 * 1024 * 1024
    app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    assert max_upload_bytes() == 10 * 1024 * 1024


def test_files_are_kept_in_the_instance_folder_under_a_random_name(app, scene, samples):
    filename, content, _ = samples["pdf"]
    material = _add(scene, filename, content)
    db.session.commit()
    stored = Path(app.instance_path) / "materials" / material.stored_name
    assert stored.read_bytes() == content
    assert re.fullmatch(r"[0-9a-f]{40}", material.stored_name)
    assert not stored.resolve().is_relative_to(Path(app.static_folder).resolve())
    import hashlib

    assert material.sha256 == hashlib.sha256(content).hexdigest()


def test_the_directory_can_be_configured(app, scene, samples, tmp_path):
    app.config["MATERIALS_DIR"] = str(tmp_path / "elsewhere")
    material = _add(scene, *samples["pdf"][:2])
    assert (tmp_path / "elsewhere" / material.stored_name).is_file()


def test_path_parts_of_the_file_name_are_dropped(scene, samples):
    content = samples["pdf"][1]
    assert _add(scene, "../../etc/Bài 1.pdf", content).filename == "Bài 1.pdf"
    assert _add(scene, "C:\\Users\\An\\Bài 2.pdf", content).filename == "Bài 2.pdf"


def test_the_title_defaults_to_the_file_name_and_is_nfc(scene, samples):
    content = samples["pdf"][1]
    assert _add(scene, "Bài giảng số 1.pdf", content).title == "Bài giảng số 1"
    decomposed = "Tài lie\u0302\u0323u"  # "Tài liệu" typed as NFD
    assert _add(scene, "x.pdf", content, title=decomposed).title == "Tài liệu"


def test_reviewers_and_organizers_out_of_scope_cannot_add(f: Factories, scene, samples):
    for actor in (f.user("reviewer", scene["t"]["province"]), f.user("organizer", scene["t"]["hanoi"])):
        assert _refused(scene, *samples["pdf"][:2], actor=actor) == "forbidden"


def test_only_admins_add_to_a_curriculum_module(f: Factories, scene, samples):
    module = scene["curriculum"].modules[0]
    assert _refused(scene, *samples["pdf"][:2], target={"module": module}) == "forbidden"
    material = _add(scene, *samples["pdf"][:2], target={"module": module}, actor=f.user("admin"))
    assert material.curriculum_module_id == module.id and material.course_id is None


def test_an_upload_that_is_rolled_back_leaves_no_file(scene, samples):
    material = _add(scene, *samples["pdf"][:2])
    path = materials_dir() / material.stored_name
    assert path.is_file()
    db.session.rollback()
    assert not path.exists()


def test_delete_removes_the_file_once_committed(scene, samples):
    material = _add(scene, *samples["pdf"][:2])
    db.session.commit()
    path = materials_dir() / material.stored_name
    delete_material(material, actor=scene["organizer"])
    assert path.is_file()  # not before the deletion is committed
    db.session.commit()
    assert not path.exists() and db.session.get(Material, material.id) is None


def test_a_rolled_back_delete_keeps_the_file(scene, samples):
    material = _add(scene, *samples["pdf"][:2])
    db.session.commit()
    delete_material(material, actor=scene["organizer"])
    db.session.rollback()
    assert (materials_dir() / material.stored_name).is_file()


def test_reviewers_cannot_delete(f: Factories, scene, samples):
    material = _add(scene, *samples["pdf"][:2])
    with pytest.raises(DomainError) as err:
        delete_material(material, actor=f.user("reviewer", scene["t"]["province"]))
    assert err.value.code == "forbidden" and err.value.status == 403


def test_uploads_and_deletions_are_audited_without_names(scene, samples):
    material = _add(scene, "Nguyễn Văn An - bài tập.pdf", samples["pdf"][1])
    delete_material(material, actor=scene["organizer"])
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries if e.action.startswith("material.")] == ["material.upload", "material.delete"]
    for entry in entries:
        if entry.action.startswith("material."):
            assert entry.unit_id == scene["course"].unit_id and entry.details["course_id"] == scene["course"].id
            assert "Nguyễn" not in str(entry.details)


def test_course_materials_include_those_of_its_planned_modules(f: Factories, scene, samples):
    course, curriculum = scene["course"], scene["curriculum"]
    planned, unplanned = curriculum.modules[0], curriculum.modules[1]
    db.session.add(CourseModule(course=course, code=planned.code, title=planned.title, hours=Decimal(4)))
    other_curriculum = f.curriculum("CT2")
    namesake = CurriculumModule(curriculum=other_curriculum, code=planned.code, title="Trùng mã", hours=Decimal(1))
    db.session.add(namesake)
    db.session.flush()
    other_course = f.course(scene["t"]["district"], curriculum)
    admin = f.user("admin")
    own = _add(scene, "Lịch học.pdf", samples["pdf"][1])
    shared = _add(scene, "Chuyên đề 1.pdf", samples["pdf"][1], target={"module": planned}, actor=admin)
    _add(scene, "Chuyên đề 2.pdf", samples["pdf"][1], target={"module": unplanned}, actor=admin)
    _add(scene, "Trùng mã.pdf", samples["pdf"][1], target={"module": namesake}, actor=admin)
    _add(scene, "Lớp khác.pdf", samples["pdf"][1], target={"course": other_course})
    assert [m.id for m in list_course_materials(course)] == [own.id, shared.id]


@pytest.mark.parametrize(("size", "text"), [(512, "512 B"), (350 * 1024, "350 KB"), (1024, "1 KB"),
                                            (int(2.4 * 1024 * 1024), "2,4 MB"), (20 * 1024 * 1024, "20 MB"),
                                            (1024 * 1024 - 100, "1 MB")])
def test_sizes_read_like_a_phone_bill(size, text):
    assert format_size(size) == text


def test_the_trainee_list_links_each_material_with_its_size(app, scene, samples):
    materials = [_add(scene, "Bài giảng.pdf", b"%PDF-1.7\n" + b"0" * (350 * 1024)),
                 _add(scene, *samples["mp3"][:2])]
    with app.test_request_context():
        html = render_template_string('{% include "materials/_trainee_list.html" %}', materials=materials,
                                      download_url=lambda m: f"/c/x/materials/{m.id}")
    assert f'<a href="/c/x/materials/{materials[0].id}" download>Bài giảng</a> <small>(PDF, 350 KB)</small>' in html
    assert "(MP3, " in html and "<script" not in html
