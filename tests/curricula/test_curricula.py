"""The four curricula: seeding from materials/, the API, the pages and an administrator's corrections."""

from __future__ import annotations

import shutil
import tomllib
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from trainer.accounts.services import issue_api_token
from trainer.core.errors import ValidationError
from trainer.curricula.models import Curriculum, CurriculumModule
from trainer.curricula.services import seed_curricula
from trainer.extensions import db

CURRICULA = Path(__file__).resolve().parents[2] / "materials" / "curricula"


def _files() -> dict[str, dict]:
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(CURRICULA.glob("*.toml"))}


def _rows() -> list[tuple]:
    return db.session.execute(select(Curriculum.code, Curriculum.title, CurriculumModule.code, CurriculumModule.title,
                                     CurriculumModule.hours).join(CurriculumModule).order_by(
        Curriculum.code, CurriculumModule.position)).all()


def test_shipped_files_hold_the_four_curricula_with_sources_and_flags():
    files = _files()
    assert sorted(files) == ["CT1", "CT2", "CT3", "CT4"]
    assert {code: sum(m["hours"] for m in data["modules"]) for code, data in files.items()} == {
        "CT1": 14, "CT2": 12, "CT3": 8, "CT4": 8}
    for data in files.values():
        assert data["source"] and data["decision"].startswith("Quyết định số 1288/QĐ-BTTTT")
        assert set(data["confirmed"]) >= {"title", "target_groups", "modules", "hours"}
        assert all("confirmed" in m for m in data["modules"])
        assert unicodedata.is_normalized("NFC", data["title"])
    assert files["CT2"]["target_groups"] == ["party_info_staff", "mass_org_staff"]


def test_seed_twice_leaves_the_same_rows(runner, app):
    app.config["MATERIALS_DIR"] = None
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "Curricula: 4 created" in first.output
    rows = _rows()
    counts = db.session.execute(select(func.count()).select_from(Curriculum)).scalar()
    second = runner.invoke(args=["seed"])
    assert "Curricula: 0 created, 0 updated, 4 unchanged" in second.output
    assert "10810 unchanged" in second.output and "3355 unchanged" in second.output
    assert _rows() == rows and counts == 4


def test_seed_keeps_ui_corrections_but_applies_an_edited_file(tmp_path, f: Factories):
    work = tmp_path / "curricula"
    shutil.copytree(CURRICULA, work)
    seed_curricula(work)
    ct3 = db.session.scalar(select(Curriculum).where(Curriculum.code == "CT3"))
    ct3.title = "Tên đã sửa trên giao diện"
    db.session.flush()
    assert seed_curricula(work).unchanged == ["CT1", "CT2", "CT3", "CT4"]
    assert ct3.title == "Tên đã sửa trên giao diện"

    text = (work / "CT3.toml").read_text(encoding="utf-8").replace("hours = 2\n", "hours = 3\n", 1)
    (work / "CT3.toml").write_text(text, encoding="utf-8")
    result = seed_curricula(work)
    assert result.updated == ["CT3"]
    assert ct3.modules[0].hours == Decimal(3) and ct3.total_hours == Decimal(9)


def test_seed_refuses_a_broken_file_and_writes_nothing(app, tmp_path):
    work = tmp_path / "curricula"
    shutil.copytree(CURRICULA, work)
    (work / "CT4.toml").write_text('code = "CT4"\ntitle = "x"\ntarget_groups = ["nobody"]\nmodules = []\n',
                                   encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        seed_curricula(work)
    assert err.value.code == "invalid_curriculum" and "CT4.toml" in err.value.message
    assert "nhóm đối tượng không hợp lệ" in err.value.message
    assert db.session.scalar(select(func.count(Curriculum.id))) == 0


def test_api_lists_curricula_per_contract(client, f: Factories):
    seed_curricula(CURRICULA)
    token = issue_api_token(f.user("reviewer", f.tree()["province"]))
    body = client.get("/api/v1/curricula", headers={"Authorization": f"Bearer {token}"}).json
    assert [c["code"] for c in body["items"]] == ["CT1", "CT2", "CT3", "CT4"] and body["total"] == 4
    ct1 = body["items"][0]
    assert ct1["title"] == _files()["CT1"]["title"] and ct1["total_hours"] == 14
    assert ct1["target_groups"] == ["commune_culture_officer"]
    assert ct1["modules"][3] == {"code": "CT1.4", "title": "Kỹ năng sản xuất chương trình cho Đài Truyền thanh cấp xã",
                                 "hours": 2, "confirmed": {"title": True, "hours": False}}


def test_pages_show_modules_hours_and_confirmation(client, f: Factories):
    seed_curricula(CURRICULA)
    login(client, f.user("organizer", f.tree()["district"]).email)
    index = client.get("/curricula/").get_data(as_text=True)
    assert index.count('class="list-group-item list-group-item-action curriculum"') == 4
    detail = client.get("/curricula/CT2").get_data(as_text=True)
    assert "Kỹ năng kiểm tra, đánh giá kết quả thông tin tuyên truyền" in detail
    assert "chưa xác nhận" in detail and "đã xác nhận" in detail and ">12<" in detail
    assert "Sửa chương trình" not in detail  # organizers do not correct curricula
    assert client.get("/curricula/CT9").status_code == 404


def test_admin_corrects_a_curriculum_and_bad_hours_keep_the_input(client, f: Factories):
    seed_curricula(CURRICULA)
    login(client, f.user("admin").email)
    page = client.get("/curricula/CT4/edit").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "title": "Chương trình CT4 đã hiệu đính",
            "completion_threshold": "0.75"}
    for i, (code, hours) in enumerate((("CT4.1", "2"), ("CT4.2", "3"), ("CT4.3", "abc"))):
        data |= {f"modules-{i}-code": code, f"modules-{i}-title": f"Chuyên đề {i + 1} đã sửa",
                 f"modules-{i}-hours": hours}
    bad = client.post("/curricula/CT4/edit", data=data)
    assert bad.status_code == 200 and "Chương trình CT4 đã hiệu đính" in bad.get_data(as_text=True)
    assert db.session.scalar(select(Curriculum.title).where(Curriculum.code == "CT4")) != data["title"]

    data["modules-2-hours"] = "4"
    ok = client.post("/curricula/CT4/edit", data=data)
    assert ok.status_code == 302
    ct4 = db.session.scalar(select(Curriculum).where(Curriculum.code == "CT4"))
    assert ct4.title == "Chương trình CT4 đã hiệu đính" and ct4.total_hours == Decimal(9)
    assert ct4.completion_threshold == Decimal("0.75")
    assert ct4.modules[0].confirmed == {"title": False, "hours": False}
