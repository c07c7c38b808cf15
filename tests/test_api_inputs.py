"""What the fuzzer found (#13, item 8), one rule per test: bounded ids and pages, NUL bytes, lists for
strings, huge numbers, a public and true OpenAPI document."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import login
from tests.factories import Factories
from trainer.accounts.services import issue_api_token


@pytest.fixture
def world(f: Factories):
    tree = f.tree()
    admin = f.user("admin")
    course = f.course(tree["district"], f.curriculum("CT1"), start_date=date(2024, 10, 1), end_date=date(2024, 10, 3))
    return {"admin": admin, "course": course, "token": issue_api_token(admin), "tree": tree}


def _get(client, world, url):
    return client.get(url, headers={"Authorization": f"Bearer {world['token']}"})


@pytest.mark.parametrize("big", [2**31, 2**63, 10**20])
def test_ids_beyond_the_database_integer_are_404(client, world, big):
    for url in (f"/api/v1/courses/{big}", f"/api/v1/participants/{big}", f"/api/v1/courses/{big}/sessions",
                f"/api/v1/sessions/{big}/checkin-token"):
        response = _get(client, world, url)
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found", url
    patch = client.patch(f"/api/v1/courses/{big}", json={"title": "x"},
                         headers={"Authorization": f"Bearer {world['token']}"})
    assert patch.status_code == 404  # not werkzeug's 405 for the path's other methods
    login(client, world["admin"].email)
    assert client.get(f"/courses/{big}").status_code == 404
    assert client.get(f"/participants/{big}").status_code == 404


def test_the_largest_id_is_still_an_id(client, world):
    assert _get(client, world, f"/api/v1/courses/{2**31 - 1}").status_code == 404
    assert _get(client, world, f"/api/v1/courses/{world['course'].id}").status_code == 200


def test_a_twenty_digit_page_is_refused_not_a_500(client, world):
    response = _get(client, world, "/api/v1/participants?page=99999999999999999999")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_argument"
    assert _get(client, world, "/api/v1/courses?page=1000001").status_code == 400
    assert _get(client, world, "/api/v1/courses?page=1000000").json["items"] == []
    login(client, world["admin"].email)
    for url in ("/participants/?page=99999999999999999999", "/courses/?page=99999999999999999999",
                "/units/?page=99999999999999999999"):
        assert client.get(url).status_code == 400, url


def test_a_query_argument_given_twice_or_of_the_wrong_type_is_refused(client, world):
    assert _get(client, world, "/api/v1/participants?q=a&q=b").status_code == 400
    assert _get(client, world, "/api/v1/courses?year=20x4").status_code == 400
    assert _get(client, world, "/api/v1/courses?per_page=1_0").status_code == 400
    assert _get(client, world, "/api/v1/units?level=town").status_code == 422


def test_a_list_where_a_string_is_expected_is_a_422_naming_the_field(client, world):
    response = client.post("/api/v1/courses", headers={"Authorization": f"Bearer {world['token']}"}, json={
        "curriculum_code": ["CT1"], "unit_code": "216", "venue": {"a": 1}, "start_date": "2024-11-01",
        "end_date": "2024-11-02"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"curriculum_code": "Phải là chuỗi ký tự.",
                                                "venue": "Phải là chuỗi ký tự."}


@pytest.mark.parametrize("capacity", [2**63, 2**64 + 1, 10_001, 0, True, 1.5])
def test_a_capacity_out_of_range_is_refused(client, world, capacity):
    response = client.patch(f"/api/v1/courses/{world['course'].id}", json={"capacity": capacity},
                            headers={"Authorization": f"Bearer {world['token']}"})
    assert response.status_code == 422
    assert "capacity" in response.json["error"]["fields"]


def test_a_nul_byte_in_a_json_body_or_a_form_is_refused(client, world):
    response = client.post("/api/v1/courses", headers={"Authorization": f"Bearer {world['token']}"}, json={
        "curriculum_code": "CT1\x00", "unit_code": "216", "venue": "x", "start_date": "2024-11-01",
        "end_date": "2024-11-02"})
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_characters"
    assert "U+0000" in response.json["error"]["fields"]["curriculum_code"]
    response = client.post("/login", data={"email": "a\x00@example.vn", "password": "x"})
    assert response.status_code == 400


def test_far_dates_are_refused_before_they_overflow(client, world):
    url = f"/api/v1/courses/{world['course'].id}/sessions"
    for starts_at in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"):
        response = client.post(url, json={"starts_at": starts_at, "ends_at": starts_at},
                               headers={"Authorization": f"Bearer {world['token']}"})
        assert response.status_code == 422 and response.json["error"]["code"] == "invalid_datetime"


def test_the_openapi_document_is_public_and_describes_the_bounds(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    course_id = spec["paths"]["/api/v1/courses/{course_id}"]["get"]["parameters"][0]["schema"]
    assert course_id["maximum"] == 2**31 - 1
    capacity = spec["components"]["schemas"]["CourseCreate"]["properties"]["capacity"]
    assert capacity["maximum"] == 10_000
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert "400" in operation["responses"], f"{method} {path}"


def test_a_405_says_which_methods_are_allowed(client, world):
    response = client.put("/api/v1/curricula", headers={"Authorization": f"Bearer {world['token']}"})
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET"}


@pytest.mark.parametrize("course", ["²", "99999999999999999999", "-1"])
def test_an_import_into_a_course_that_cannot_exist_is_404(client, world, course):
    login(client, world["admin"].email)
    assert client.get(f"/participants/import?course={course}").status_code == 404
