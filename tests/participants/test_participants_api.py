"""The participants API per /work/shared/API.md: create, list, read, patch, import."""

from __future__ import annotations

import io
import unicodedata

from sqlalchemy import func, select

from tests.participants.helpers import row, workbook_bytes
from trainer.extensions import db
from trainer.participants.models import Participant

BODY = {"full_name": "Nguyễn Thị Hằng", "gender": "female", "birth_date": "1985-03-15", "ethnicity": "Tày",
        "phone": "+84 91 234 5600", "unit_code": "07306", "target_group": "commune_culture_officer"}


def test_create_returns_201_with_the_contract_fields(app, client, world, auth):
    body = {**BODY, "full_name": unicodedata.normalize("NFD", BODY["full_name"]), "position": "Công chức"}
    response = client.post("/api/v1/participants", json=body, headers=auth(world["org_district"]))
    assert response.status_code == 201
    data = response.json
    assert {k: data[k] for k in ("full_name", "phone", "ethnic_minority", "gender", "birth_date", "target_group",
                                 "position", "email")} == {
        "full_name": "Nguyễn Thị Hằng", "phone": "0912345600", "ethnic_minority": True, "gender": "female",
        "birth_date": "1985-03-15", "target_group": "commune_culture_officer", "position": "Công chức",
        "email": None}
    assert data["unit"] == {"code": "07306", "name": "Thị trấn Nhã Nam", "scheme": "2024"}
    assert isinstance(data["id"], int) and len(data["code"]) == 8 and "ethnicity" not in data


def test_create_accepts_the_flag_instead_of_a_group_and_another_scheme(app, client, world, auth):
    body = {**BODY, "ethnicity": None, "ethnic_minority": False, "unit_code": "07306", "scheme": "2025"}
    response = client.post("/api/v1/participants", json=body, headers=auth(world["admin"]))
    assert response.status_code == 201 and response.json["unit"]["name"] == "Xã Nhã Nam"
    assert response.json["ethnic_minority"] is False


def test_create_duplicate_phone_is_409_with_a_pointer(app, client, world, auth):
    response = client.post("/api/v1/participants", json={**BODY, "phone": "0987.000.001"},
                           headers=auth(world["org_district"]))
    error = response.json["error"]
    assert response.status_code == 409 and error["code"] == "duplicate_phone"
    assert world["person"].code in error["message"] and error["existing_id"] == world["person"].id
    assert error["fields"]["phone"] == error["message"]


def test_create_refuses_missing_fields_and_wrong_types(app, client, world, auth):
    response = client.post("/api/v1/participants", json={"full_name": 5, "ethnic_minority": "yes", "x": 1},
                           headers=auth(world["org_district"]))
    fields = response.json["error"]["fields"]
    assert response.status_code == 422
    assert {"full_name", "ethnic_minority", "x", "gender", "phone", "unit_code", "target_group"} <= set(fields)


def test_create_with_unknown_ethnicity_or_unit_is_422(app, client, world, auth):
    headers = auth(world["org_district"])
    response = client.post("/api/v1/participants", json={**BODY, "ethnicity": "Klingon"}, headers=headers)
    assert response.status_code == 422 and response.json["error"]["code"] == "unknown_ethnicity"
    response = client.post("/api/v1/participants", json={**BODY, "unit_code": "99999"}, headers=headers)
    assert response.status_code == 422 and response.json["error"]["code"] == "unknown_unit"


def test_create_outside_ones_scope_is_403(app, client, world, auth):
    response = client.post("/api/v1/participants", json=BODY, headers=auth(world["org_hanoi"]))
    assert response.status_code == 403 and response.json["error"]["code"] == "unit_not_manageable"
    response = client.post("/api/v1/participants", json=BODY, headers=auth(world["reviewer"]))
    assert response.status_code == 403


def test_list_searches_without_diacritics_and_filters(app, client, world, auth, f):
    f.participant(world["commune_b"], full_name="Nguyễn Thị Hằng", phone="0911000001")
    headers = auth(world["reviewer"])
    body = client.get("/api/v1/participants?q=nguyen%20thi%20hang", headers=headers).json
    assert body["total"] == 1 and body["items"][0]["full_name"] == "Nguyễn Thị Hằng"
    assert body["page"] == 1 and body["per_page"] == 50
    by_unit = client.get("/api/v1/participants?unit=07306", headers=headers).json
    assert [p["full_name"] for p in by_unit["items"]] == ["Trần Văn Bình"]
    assert client.get("/api/v1/participants?target_group=press_staff", headers=headers).json["total"] == 0
    assert client.get("/api/v1/participants?target_group=nope", headers=headers).status_code == 422
    assert client.get("/api/v1/participants?unit=99999", headers=headers).status_code == 422
    assert client.get("/api/v1/participants?per_page=201", headers=headers).status_code == 400


def test_list_is_scoped(app, client, world, auth):
    assert client.get("/api/v1/participants", headers=auth(world["org_hanoi"])).json["total"] == 0


def test_get_is_404_outside_the_scope(app, client, world, auth):
    url = f"/api/v1/participants/{world['person'].id}"
    assert client.get(url, headers=auth(world["reviewer"])).json["code"] == world["person"].code
    response = client.get(url, headers=auth(world["org_hanoi"]))
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_patch_changes_given_fields(app, client, world, auth):
    url = f"/api/v1/participants/{world['person'].id}"
    response = client.patch(url, json={"position": "Phó Chủ tịch", "unit_code": "07309", "ethnicity": "Nùng",
                                       "id": 999, "code": "IGNORED"}, headers=auth(world["org_district"]))
    assert response.status_code == 200
    data = response.json
    assert data["position"] == "Phó Chủ tịch" and data["unit"]["code"] == "07309" and data["ethnic_minority"] is True
    assert data["phone"] == "0987000001" and data["id"] == world["person"].id and data["code"] != "IGNORED"


def test_patch_refuses_emptying_a_required_field_and_unknown_fields(app, client, world, auth):
    url = f"/api/v1/participants/{world['person'].id}"
    headers = auth(world["org_district"])
    assert client.patch(url, json={"full_name": ""}, headers=headers).status_code == 422
    assert client.patch(url, json={"nickname": "Bình"}, headers=headers).status_code == 422


def test_patch_duplicate_phone_is_409(app, client, world, auth, f):
    other = f.participant(world["commune"], phone="0911000002")
    response = client.patch(f"/api/v1/participants/{other.id}", json={"phone": "0987000001"},
                            headers=auth(world["org_district"]))
    assert response.status_code == 409 and response.json["error"]["existing_id"] == world["person"].id


def test_patch_is_403_for_a_reviewer_and_404_outside(app, client, world, auth):
    url = f"/api/v1/participants/{world['person'].id}"
    assert client.patch(url, json={"position": "x"}, headers=auth(world["reviewer"])).status_code == 403
    assert client.patch(url, json={"position": "x"}, headers=auth(world["org_hanoi"])).status_code == 404


def _import(client, headers, data: bytes, query: str = ""):
    return client.post(f"/api/v1/participants/import{query}", data={"file": (io.BytesIO(data), "ds.xlsx")},
                       headers=headers, content_type="multipart/form-data")


def test_import_dry_run_then_real_then_again(app, client, world, auth):
    headers = auth(world["org_district"])
    data = workbook_bytes([row(phone="0912000001"), row(phone="0912000002")])
    dry = _import(client, headers, data, "?dry_run=1")
    assert dry.status_code == 200
    assert dry.json == {"dry_run": True, "confirm_identity": False, "rows": 2, "created": 2, "updated": 0,
                        "unchanged": 0, "changes": [], "errors": []}
    assert db.session.scalar(select(func.count(Participant.id))) == 1
    real = _import(client, headers, data)
    assert real.status_code == 200 and real.json["created"] == 2 and len(real.json["participant_ids"]) == 2
    again = _import(client, headers, data)
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, 2)
    assert again.json["participant_ids"] == real.json["participant_ids"]
    assert db.session.scalar(select(func.count(Participant.id))) == 3


def test_import_with_errors_is_422_and_writes_nothing(app, client, world, auth):
    response = _import(client, auth(world["org_district"]), workbook_bytes([row(), row(gender="?")]))
    assert response.status_code == 422
    assert response.json["errors"] == [{"row": 3, "column": "Giới tính", "code": "invalid_gender",
                                        "message": "Giới tính phải là Nam hoặc Nữ."}]
    assert response.json["error"]["code"] == "import_invalid" and response.json["created"] == 0
    assert db.session.scalar(select(func.count(Participant.id))) == 1


def test_import_of_a_bad_file_or_no_file_is_a_json_error(app, client, world, auth):
    headers = auth(world["org_district"])
    bad = _import(client, headers, b"not a workbook")
    assert bad.status_code == 422 and bad.json["error"]["code"] == "not_xlsx"
    missing = client.post("/api/v1/participants/import", headers=headers)
    assert missing.status_code == 422 and missing.json["error"]["code"] == "file_required"


def test_import_is_403_for_reviewers(app, client, world, auth):
    assert _import(client, auth(world["reviewer"]), workbook_bytes([row()])).status_code == 403


def test_session_cookie_writes_need_the_csrf_token(app, client, world):
    from tests.conftest import login

    login(client, world["org_district"].email)
    assert client.post("/api/v1/participants", json=BODY).status_code == 400
