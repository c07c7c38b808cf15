"""GET /api/v1/reports/indicators: the contract's shape, the period arguments, scope."""

from __future__ import annotations

import pytest

from tests.factories import Factories
from tests.reports.conftest import Dataset
from trainer.accounts.services import issue_api_token

CONTRACT_KEYS = {"unit", "year", "courses", "sessions", "enrolled", "trainee_turns", "completed_turns",
                 "trained_officers", "by_target_group",
                 "by_curriculum", "female", "ethnic_minority", "communes_total", "communes_with_trained_officer",
                 "rows"}


def _get(client, user, query: str):
    return client.get(f"/api/v1/reports/indicators{query}",
                      headers={"Authorization": f"Bearer {issue_api_token(user)}"})


def test_indicators_follow_the_contract(client, data: Dataset, f: Factories):
    body = _get(client, f.user("reviewer", data.t["province"]), "?year=2024&unit=24").json
    assert set(body) >= CONTRACT_KEYS
    assert body["unit"] == {"code": "24", "name": "Tỉnh Bắc Giang", "level": "province", "scheme": "2024"}
    assert (body["year"], body["courses"], body["sessions"], body["trainee_turns"], body["trained_officers"]) == (
        2024, 3, 5, 7, 4)
    assert (body["enrolled"], body["completed_turns"]) == (9, 6)
    assert body["period"] == {"from": "2024-01-01", "to": "2024-12-31", "half": None, "label": "năm 2024"}
    assert [row["unit"] for row in body["rows"]] == [{"code": "216", "name": "Huyện Tân Yên", "level": "district"},
                                                     {"code": "217", "name": "Huyện Yên Thế", "level": "district"}]
    assert {"courses", "enrolled", "trainee_turns", "completed_turns", "trained_officers"} <= set(body["rows"][0])
    assert body["registry"] == {"trained": 4, "registered": 8, "coverage": 0.5, "by_target_group": {
        "commune_culture_officer": 4, "party_info_staff": 1, "mass_org_staff": 1, "info_manager": 1,
        "press_staff": 0, "other": 1}}


def test_half_and_range_arguments(client, data: Dataset, f: Factories):
    reviewer = f.user("reviewer", data.t["province"])
    half = _get(client, reviewer, "?year=2024&half=2&unit=24").json
    assert (half["period"]["label"], half["courses"], half["trained_officers"]) == ("6 tháng cuối năm 2024", 2, 3)
    ranged = _get(client, reviewer, "?from=2024-03-10&to=2024-03-10&unit=216").json
    assert (ranged["year"], ranged["courses"], ranged["trainee_turns"], ranged["trained_officers"]) == (None, 1, 4, 2)
    assert ranged["period"]["label"] == "từ ngày 10/03/2024 đến ngày 10/03/2024"


def test_year_is_optional(client, data: Dataset, f: Factories):
    body = _get(client, f.user("reviewer", data.t["province"]), "?unit=24").json
    assert (body["year"], body["courses"], body["trained_officers"]) == (None, 4, 5)


def test_without_unit_a_reviewer_gets_their_own_and_an_admin_the_country(client, data: Dataset, f: Factories):
    assert _get(client, f.user("reviewer", data.t["district"]), "?year=2024").json["unit"]["code"] == "216"
    country = _get(client, f.user("admin"), "?year=2024").json
    assert (country["unit"]["level"], [r["unit"]["code"] for r in country["rows"]]) == ("national", ["01", "24"])


@pytest.mark.parametrize(("query", "code", "field"), [
    ("?year=abc", "invalid_year", "year"),
    ("?year=2024&half=0", "invalid_half", "half"),
    ("?half=2", "half_needs_year", "half"),
    ("?from=2024-13-01", "invalid_date", "from"),
    ("?year=2024&to=2024-05-01", "conflicting_period", "to"),
    ("?from=2024-05-02&to=2024-05-01", "invalid_range", "to"),
    ("?scheme=2023", "invalid_argument", "scheme"),
])
def test_bad_arguments_are_422_with_fields(client, data: Dataset, f: Factories, query, code, field):
    response = _get(client, f.user("reviewer", data.t["province"]), query + "&unit=24")
    assert response.status_code == 422
    error = response.json["error"]
    assert (error["code"], list(error["fields"])) == (code, [field]) and error["message"]


@pytest.mark.parametrize("code", ["217", "24", "01", "07210", "nope"])
def test_district_reviewer_never_sees_outside_their_district(client, data: Dataset, f: Factories, code):
    response = _get(client, f.user("reviewer", data.t["district"]), f"?year=2024&unit={code}")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "unit_not_found"


def test_district_figures_hold_nothing_of_the_rest_of_the_province(client, data: Dataset, f: Factories):
    body = _get(client, f.user("reviewer", data.t["district"]), "?year=2024").json
    # Yên Thế's course K5 and officer P5, and the province's own course K2, stay out of Tân Yên's report
    assert (body["courses"], body["trainee_turns"], body["trained_officers"]) == (1, 6, 3)
    assert [row["unit"]["code"] for row in body["rows"]] == ["07306", "07309"]
    assert body["communes_total"] == 2 and body["registry"]["registered"] == 5


def test_unauthenticated_is_401(client, data: Dataset):
    assert client.get("/api/v1/reports/indicators?unit=24").status_code == 401
