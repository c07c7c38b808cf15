"""Pages of training materials: upload, errors kept on the page, download headers, permissions."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest
from werkzeug.test import TestResponse

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from tests.materials.conftest import EXE
from trainer.extensions import db
from trainer.materials.models import Material
from trainer.materials.services import add_material, materials_dir


@pytest.fixture
def scene(f: Factories) -> dict[str, Any]:
    """A course of Huyện Tân Yên and an organizer of that district."""
    t = f.tree()
    course = f.course(t["district"], f.curriculum("CT1"), title="Lớp CT1 Tân Yên")
    return {"t": t, "course": course, "organizer": f.user("organizer", t["district"])}


def _post_upload(client, url: str, filename: str, content: bytes, *, title: str = "",
                 token: str | None = None) -> TestResponse:
    """Submit the upload form at `url` (with the page's CSRF token unless `token` is given)."""
    token = token if token is not None else csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "title": title, "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _stored(scene: dict[str, Any], samples: dict, name: str = "pdf") -> Material:
    """A committed material of the scene's course."""
    filename, content, _ = samples[name]
    material = add_material(io.BytesIO(content), filename, actor=scene["organizer"], course=scene["course"])
    db.session.commit()
    return material


def test_organizer_uploads_and_sees_the_size(client, scene, samples):
    login(client, scene["organizer"].email)
    url = f"/materials/course/{scene['course'].id}"
    content = b"%PDF-1.7\n" + b"0" * (350 * 1024)
    response = _post_upload(client, url, "Bài giảng chuyên đề 1.pdf", content, title="Bài giảng 1")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    html = client.get(url).get_data(as_text=True)
    assert "Đã tải lên “Bài giảng 1” (350 KB)." in html
    assert "Bài giảng 1" in html and "350 KB" in html and "PDF" in html


def test_a_refused_upload_keeps_the_title_and_says_why(client, scene):
    login(client, scene["organizer"].email)
    url = f"/materials/course/{scene['course'].id}"
    response = _post_upload(client, url, "Bài giảng.pdf", EXE, title="Tài liệu của tôi")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nội dung tệp không phải là PDF" in html and 'value="Tài liệu của tôi"' in html
    assert db.session.query(Material).count() == 0


def test_upload_without_a_file_asks_for_one(client, scene):
    login(client, scene["organizer"].email)
    url = f"/materials/course/{scene['course'].id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "title": "x"}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Chọn tệp cần tải lên." in response.get_data(as_text=True)


def test_upload_without_the_csrf_token_stores_nothing(client, scene, samples):
    login(client, scene["organizer"].email)
    response = _post_upload(client, f"/materials/course/{scene['course'].id}", *samples["pdf"][:2], token="forged")
    assert response.status_code == 422
    assert db.session.query(Material).count() == 0


def test_a_file_over_the_materials_limit_gets_a_clear_message(app, client, scene):
    app.config["MATERIALS_MAX_BYTES"] = 2048
    login(client, scene["organizer"].email)
    response = _post_upload(client, f"/materials/course/{scene['course'].id}", "Lớn.pdf", b"%PDF-1.7\n" + b"0" * 4000)
    assert response.status_code == 413
    assert "Tệp quá lớn: dung lượng tối đa là 2 KB." in response.get_data(as_text=True)
    assert db.session.query(Material).count() == 0


def test_a_body_over_max_content_length_gets_the_page_not_a_bare_413(app, client, scene):
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    login(client, scene["organizer"].email)
    url = f"/materials/course/{scene['course'].id}"
    response = _post_upload(client, url, "Rất lớn.pdf", b"%PDF-1.7\n" + b"0" * (300 * 1024))
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Tệp quá lớn: dung lượng tối đa là 100 KB." in html and 'id="upload"' in html


def test_download_sends_the_original_name_type_and_nosniff(client, scene, samples):
    material = _stored(scene, samples, "pptx")
    login(client, scene["organizer"].email)
    response = client.get(f"/materials/{material.id}/download")
    assert response.status_code == 200 and response.data == samples["pptx"][1]
    assert response.mimetype == samples["pptx"][2]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Trinh chieu.pptx"' in disposition
    assert f"filename*=UTF-8''{quote('Trình chiếu.pptx', safe='')}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]


def test_reviewer_downloads_but_cannot_upload_or_delete(client, f: Factories, scene, samples):
    material = _stored(scene, samples)
    login(client, f.user("reviewer", scene["t"]["province"]).email)
    url = f"/materials/course/{scene['course'].id}"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="upload"' not in html and "Xóa" not in html
    assert client.get(f"/materials/{material.id}/download").status_code == 200
    assert _post_upload(client, url, *samples["pdf"][:2], token=csrf_token_from(
        client.get("/account/tokens").get_data(as_text=True))).status_code == 403
    token = csrf_token_from(client.get("/account/tokens").get_data(as_text=True))
    assert client.post(f"/materials/{material.id}/delete", data={"csrf_token": token}).status_code == 403
    assert (materials_dir() / material.stored_name).is_file()


def test_organizer_of_another_province_sees_nothing(client, f: Factories, scene, samples):
    material = _stored(scene, samples)
    login(client, f.user("organizer", scene["t"]["hanoi"]).email)
    assert client.get(f"/materials/course/{scene['course'].id}").status_code == 404
    assert client.get(f"/materials/{material.id}/download").status_code == 404


def test_organizer_deletes_a_material_and_its_file(client, scene, samples):
    material = _stored(scene, samples)
    material_id, path = material.id, materials_dir() / material.stored_name
    login(client, scene["organizer"].email)
    url = f"/materials/course/{scene['course'].id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(f"/materials/{material_id}/delete", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert "Đã xóa tài liệu" in client.get(url).get_data(as_text=True)
    db.session.expunge_all()
    assert not path.exists() and db.session.get(Material, material_id) is None


def test_a_missing_file_is_a_vietnamese_404(client, scene, samples):
    material = _stored(scene, samples)
    (materials_dir() / material.stored_name).unlink()
    login(client, scene["organizer"].email)
    response = client.get(f"/materials/{material.id}/download")
    assert response.status_code == 404 and "không còn trên máy chủ" in response.get_data(as_text=True)


def test_module_materials_are_uploaded_by_admins_and_shown_to_every_course(client, f: Factories, scene, samples):
    from decimal import Decimal

    from trainer.courses.models import CourseModule

    module = scene["course"].curriculum.modules[0]
    db.session.add(CourseModule(course=scene["course"], code=module.code, title=module.title, hours=Decimal(2)))
    admin = f.user("admin")
    url = f"/materials/module/{module.id}"
    login(client, scene["organizer"].email)
    assert 'id="upload"' not in client.get(url).get_data(as_text=True)
    token = csrf_token_from(client.get("/account/tokens").get_data(as_text=True))
    assert _post_upload(client, url, *samples["mp3"][:2], token=token).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    login(client, admin.email)
    assert _post_upload(client, url, *samples["mp3"][:2], title="Bản tin mẫu").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/account/tokens").get_data(as_text=True))})
    login(client, scene["organizer"].email)
    course_page = client.get(f"/materials/course/{scene['course'].id}").get_data(as_text=True)
    assert "Bản tin mẫu" in course_page and "MP3" in course_page
    index = client.get("/materials/").get_data(as_text=True)
    assert f'/materials/module/{module.id}"' in index


def test_downloads_resume_and_revalidate(client, scene, samples):
    material = _stored(scene, samples)
    content = samples["pdf"][1]
    login(client, scene["organizer"].email)
    url = f"/materials/{material.id}/download"
    partial = client.get(url, headers={"Range": "bytes=5-"})
    assert partial.status_code == 206 and partial.data == content[5:]
    unchanged = client.get(url, headers={"If-None-Match": f'"{material.sha256}"'})
    assert unchanged.status_code == 304
