"""Each province's rates, with validity dates: entered by the finance office, the one in force chosen by date."""

from __future__ import annotations

from datetime import date

from tests.conftest import csrf_token_from, login
from trainer.finance.rates import check_rates, rates_in_force, set_rates

FEES = {"1": 2_000_000, "2": 1_500_000, "3": 1_000_000, "4": 600_000}


def _put(client, headers, code="24", **overrides):
    body = {"valid_from": "2019-01-01", "lecturer_fee_per_session": FEES, "trainee_support_per_day": 150_000,
            "source": "Nghị quyết số 05/2018/NQ-HĐND ngày 12/7/2018 của HĐND tỉnh", **overrides}
    return client.put(f"/api/v1/units/{code}/rates", headers=headers, json=body)


def test_reviewer_enters_rates_and_the_same_date_replaces(client, world, bearer):
    headers = bearer(world["reviewer"])
    first = _put(client, headers)
    assert first.status_code == 201, first.json
    assert first.json == {"unit_code": "24", "valid_from": "2019-01-01", "lecturer_fee_per_session": FEES,
                          "trainee_support_per_day": 150_000,
                          "source": "Nghị quyết số 05/2018/NQ-HĐND ngày 12/7/2018 của HĐND tỉnh"}
    again = _put(client, headers, trainee_support_per_day=200_000)
    assert (again.status_code, again.json["trainee_support_per_day"]) == (200, 200_000)
    listed = client.get("/api/v1/units/24/rates", headers=bearer(world["organizer"])).json
    assert listed["total"] == 1


def test_rates_refused_for_organizers_districts_and_bad_amounts(client, world, bearer):
    organizer = _put(client, bearer(world["organizer"]))
    assert (organizer.status_code, organizer.json["error"]["code"]) == (403, "forbidden")
    district = _put(client, bearer(world["reviewer"]), code="216")
    assert (district.status_code, district.json["error"]["code"]) == (422, "not_a_province")
    negative = _put(client, bearer(world["reviewer"]), trainee_support_per_day=-1)
    assert negative.status_code == 422
    tier_five = _put(client, bearer(world["reviewer"]), lecturer_fee_per_session={"5": 1})
    assert tier_five.status_code == 422
    outside = _put(client, bearer(world["reviewer"]), code="01")
    assert outside.status_code == 404


def test_the_rates_in_force_are_the_latest_from_that_day(world):
    province = world["province"]
    for day, support in ((date(2019, 1, 1), 100_000), (date(2024, 7, 1), 150_000)):
        set_rates(world["reviewer"], province, check_rates(day, FEES, support, "NQ"))
    assert rates_in_force(province, date(2018, 12, 31)) is None
    assert rates_in_force(province, date(2024, 6, 30)).trainee_support_per_day == 100_000
    assert rates_in_force(province, date(2024, 7, 1)).trainee_support_per_day == 150_000


def test_rates_page_shows_entries_and_takes_a_new_one(client, world):
    login(client, world["reviewer"].email)
    page = client.get("/rates").get_data(as_text=True)
    assert "Tỉnh Bắc Giang" in page and 'id="rates-form"' in page
    response = client.post("/rates", data={
        "csrf_token": csrf_token_from(page), "unit": "24", "valid_from": "2024-07-01", "fee_1": "2.000.000",
        "fee_2": "1.500.000", "fee_3": "1.000.000", "fee_4": "600.000", "trainee_support_per_day": "150.000",
        "source": "Nghị quyết số 12/2024/NQ-HĐND"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "2.000.000" in html and "Nghị quyết số 12/2024/NQ-HĐND" in html
    bad = client.post("/rates", data={"csrf_token": csrf_token_from(page), "unit": "24", "valid_from": "2024-07-01",
                                      "fee_1": "hai triệu", "fee_2": "1", "fee_3": "1", "fee_4": "1",
                                      "trainee_support_per_day": "1", "source": "NQ"})
    assert bad.status_code == 422


def test_organizer_sees_rates_but_has_no_form(client, world):
    login(client, world["organizer"].email)
    page = client.get("/rates").get_data(as_text=True)
    assert "Tỉnh Bắc Giang" in page and 'id="rates-form"' not in page
    csrf = csrf_token_from(client.get("/account/tokens").get_data(as_text=True))
    assert client.post("/rates", data={"csrf_token": csrf, "unit": "24"}).status_code == 403
