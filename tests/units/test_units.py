"""Units: the idempotent import, the unit API and page, and `flask units import`."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import login
from tests.factories import Factories
from trainer.accounts.services import issue_api_token
from trainer.core.errors import ValidationError
from trainer.extensions import db
from trainer.units.models import Unit
from trainer.units.services import get_unit, import_units
from trainer.units.sources import UnitRow

ROWS = [
    UnitRow("2024", "24", "Tỉnh Bắc Giang", "province", None, "tinh"),
    UnitRow("2024", "216", "Huyện Tân Yên", "district", "24", "huyen"),
    UnitRow("2024", "217", "Huyện Yên Thế", "district", "24", "huyen"),
    UnitRow("2024", "07306", "Thị trấn Nhã Nam", "commune", "216", "thi_tran"),
    UnitRow("2025", "24", "Tỉnh Bắc Ninh", "province", None, "tinh"),
    UnitRow("2025", "07306", "Xã Nhã Nam", "commune", "24", "xa"),
]


def _snapshot() -> list[tuple]:
    return db.session.execute(select(Unit.scheme, Unit.code, Unit.name, Unit.level, Unit.path, Unit.parent_id)
                              .order_by(Unit.id)).all()


def test_import_builds_paths_per_scheme_and_is_idempotent(app):
    result = import_units(ROWS)
    assert (result.created, result.updated) == (6, 0)
    assert get_unit("07306", scheme="2024").path == "2024/24/216/07306/"
    assert get_unit("07306", scheme="2025").name == "Xã Nhã Nam"
    assert get_unit("24").name == "Tỉnh Bắc Giang"  # TRAINER_UNIT_SCHEME defaults to 2024
    before = _snapshot()
    again = import_units(ROWS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6) and _snapshot() == before


def test_import_renames_and_moves_a_subtree(app):
    import_units(ROWS)
    moved = [r if r.code != "07306" or r.scheme != "2024" else
             UnitRow("2024", "07306", "Xã Nhã Nam", "commune", "217", "xa") for r in ROWS]
    result = import_units(moved)
    assert (result.created, result.updated) == (0, 1)
    unit = get_unit("07306", scheme="2024")
    assert unit.path == "2024/24/217/07306/" and unit.name == "Xã Nhã Nam" and unit.parent.code == "217"


def test_import_refuses_a_child_of_an_unknown_parent(app):
    try:
        import_units([UnitRow("2024", "07306", "Thị trấn Nhã Nam", "commune", "216", "thi_tran")])
    except ValidationError as exc:
        assert exc.code == "unknown_parent" and "216" in exc.message
    else:
        raise AssertionError("expected unknown_parent")


def test_units_api_filters_by_parent_level_scheme_and_accentless_name(client, f: Factories):
    import_units(ROWS)
    token = issue_api_token(f.user("reviewer", get_unit("24")))
    auth = {"Authorization": f"Bearer {token}"}
    children = client.get("/api/v1/units?parent=24", headers=auth).json
    assert [u["code"] for u in children["items"]] == ["216", "217"] and children["total"] == 2
    assert children["items"][0] == {"code": "216", "name": "Huyện Tân Yên", "level": "district", "kind": "huyen",
                                    "parent_code": "24", "scheme": "2024"}
    found = client.get("/api/v1/units?q=nha nam", headers=auth).json["items"]
    assert [(u["code"], u["name"]) for u in found] == [("07306", "Thị trấn Nhã Nam")]
    new = client.get("/api/v1/units?q=NHA NAM&scheme=2025", headers=auth).json["items"]
    assert [(u["name"], u["parent_code"]) for u in new] == [("Xã Nhã Nam", "24")]
    provinces = client.get("/api/v1/units?level=province&scheme=2025", headers=auth).json["items"]
    assert [u["name"] for u in provinces] == ["Tỉnh Bắc Ninh"]


def test_units_api_bad_input_gets_contract_errors(client, f: Factories):
    import_units(ROWS)
    token = issue_api_token(f.user("admin"))
    auth = {"Authorization": f"Bearer {token}"}
    unknown = client.get("/api/v1/units?parent=99", headers=auth)
    assert unknown.status_code == 422 and unknown.json["error"]["code"] == "unknown_unit"
    assert client.get("/api/v1/units?level=village", headers=auth).status_code == 422
    assert client.get("/api/v1/units?scheme=1999", headers=auth).status_code == 422
    too_many = client.get("/api/v1/units?per_page=201", headers=auth)
    assert too_many.status_code == 400 and too_many.json["error"]["code"] == "invalid_argument"
    assert client.get("/api/v1/units?page=abc", headers=auth).status_code == 400


def test_units_api_paginates(client, f: Factories):
    import_units(ROWS)
    token = issue_api_token(f.user("admin"))
    body = client.get("/api/v1/units?per_page=2&page=2", headers={"Authorization": f"Bearer {token}"}).json
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (4, 2, 2, 2)


def test_units_page_drills_down(client, f: Factories):
    import_units(ROWS)
    login(client, f.user("organizer", get_unit("216")).email)
    html = client.get("/units/?scheme=2024&parent=216").get_data(as_text=True)
    assert "Thị trấn Nhã Nam" in html and "Tỉnh Bắc Giang" in html  # the breadcrumb
    assert "Xã Nhã Nam" in client.get("/units/?scheme=2025&q=nha").get_data(as_text=True)


def test_cli_units_import_statistics_office_export(runner, app, tmp_path):
    import_units(ROWS)
    db.session.commit()
    export = tmp_path / "gso.csv"
    export.write_text("Tỉnh / Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n"
                      "Tỉnh Bắc Giang,24,Huyện Tân Yên,216,Thị trấn Nhã Nam,7306,Thị trấn\n"
                      "Tỉnh Bắc Giang,24,Huyện Tân Yên,216,Xã Cao Xá,7309,Xã\n", encoding="utf-8")
    dry = runner.invoke(args=["units", "import", str(export), "--dry-run"])
    assert dry.exit_code == 0 and "[dry run] 1 created" in dry.output
    assert db.session.scalar(select(func.count(Unit.id))) == 6
    real = runner.invoke(args=["units", "import", str(export), "--scheme", "2024"])
    assert real.exit_code == 0, real.output
    assert get_unit("07309").path == "2024/24/216/07309/"

    broken = tmp_path / "broken.csv"
    broken.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = runner.invoke(args=["units", "import", str(broken)])
    assert result.exit_code != 0 and "Error" in result.output
