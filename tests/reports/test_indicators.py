"""Every figure of the indicator report, checked against values computed by hand from the dataset of
tests/reports/conftest.py (read its docstring first: each comment below derives from that table)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.reports.conftest import Dataset
from trainer.reports.queries import indicator_report

GROUPS = ("commune_culture_officer", "party_info_staff", "mass_org_staff", "info_manager", "press_staff", "other")


def groups(**counts: int) -> dict[str, int]:
    """All six target groups, zeros included."""
    return {group: counts.get(group, 0) for group in GROUPS}


def figures(report: dict[str, Any]) -> dict[str, Any]:
    """The figures of a report or row, without its unit, period, rows and own part."""
    return {k: v for k, v in report.items() if k not in ("unit", "year", "period", "rows", "own")}


def test_province_year_every_figure(data: Dataset):
    report = indicator_report(data.t["province"], year=2024)
    assert report["unit"] == {"code": "24", "name": "Tỉnh Bắc Giang", "level": "province", "scheme": "2024"}
    assert report["year"] == 2024
    assert report["period"] == {"from": "2024-01-01", "to": "2024-12-31", "half": None}
    assert figures(report) == {
        "courses": 3,  # K1 (Tân Yên), K2 (the province), K5 (Yên Thế); K3 cancelled, K4 in 2023, KH in Hà Nội
        "sessions": 5,  # K1 3 + K2 2 + K5 0
        "hours_delivered": 18,  # K1 10 + K2 8 + K5 0
        "enrolled": 9,  # K1: P1 P2 P3 P4 (P7 withdrawn) + K2: P1 P3 P5 P8 + K5: P6
        "trainee_turns": 7,  # the enrolled who came: not P8 (a no-show of K2), not P6 (K5 has no session)
        "completed_turns": 6,  # K1: P1 P2 P4 (its certificate revoked, the rule still met) + K2: P1 P3 P5
        "trained_officers": 4,  # P1 (K1, K2), P2 (K1 at 80 %), P3 (K2 at 50 %), P5 (K2); P4 revoked, P3 failed K1
        "by_target_group": groups(commune_culture_officer=2, party_info_staff=1, mass_org_staff=1),  # P1 P5 / P2 / P3
        "by_curriculum": {"CT1": 2, "CT2": 3},  # CT1 (K1): P1 P2; CT2 (K2): P1 P3 P5; P1 once in each
        "female": 3,  # P1 P3 P5
        "ethnic_minority": 2,  # P2 P3
        "communes_total": 3,  # Nhã Nam, Cao Xá, Bố Hạ (not Phúc Xá, not the 2025 Xã Nhã Nam)
        "communes_with_trained_officer": 3,  # Nhã Nam (P1 P2), Cao Xá (P3), Bố Hạ (P5)
        "officers_in_post": None, "coverage_percent": None,  # no headcount entered (tests/reports/test_headcounts.py)
        "registry": {"trained": 4, "registered": 8, "coverage": 0.5,  # P1..P8 are registered under Bắc Giang
                     "by_target_group": groups(commune_culture_officer=4, party_info_staff=1, mass_org_staff=1,
                                               info_manager=1, other=1)},  # P1 P4 P5 P7 / P2 / P3 / P8 / P6
    }


def test_province_rows_one_per_district(data: Dataset):
    report = indicator_report(data.t["province"], year=2024)
    assert [row["unit"] for row in report["rows"]] == [
        {"code": "216", "name": "Huyện Tân Yên", "level": "district"},
        {"code": "217", "name": "Huyện Yên Thế", "level": "district"}]
    tan_yen, yen_the = (figures(row) for row in report["rows"])
    assert tan_yen == {
        "courses": 1, "sessions": 3, "hours_delivered": 10,  # K1
        "enrolled": 6,  # K1: P1 P2 P3 P4 + K2: P1 P3 (the province's course trains Tân Yên's officers)
        "trainee_turns": 6,  # all came
        "completed_turns": 5,  # K1: P1 P2 P4 + K2: P1 P3 (P3 failed K1)
        "trained_officers": 3,  # P1 P2 P3
        "by_target_group": groups(commune_culture_officer=1, party_info_staff=1, mass_org_staff=1),
        "by_curriculum": {"CT1": 2, "CT2": 2},  # CT1: P1 P2; CT2: P1 P3
        "female": 2, "ethnic_minority": 2,  # P1 P3 / P2 P3
        "communes_total": 2, "communes_with_trained_officer": 2,  # Nhã Nam, Cao Xá
        "officers_in_post": None, "coverage_percent": None,
        "registry": {"trained": 3, "registered": 5, "coverage": 0.6,  # P1 P2 P3 P4 P7
                     "by_target_group": groups(commune_culture_officer=3, party_info_staff=1, mass_org_staff=1)},
    }
    assert yen_the == {
        "courses": 1, "sessions": 0, "hours_delivered": 0,  # K5 (no session); K3 is cancelled
        "enrolled": 3,  # K2: P5 P8 + K5: P6 (K3 cancelled, K4 in 2023)
        "trainee_turns": 1,  # P5 (P8 never came; K5 has no session)
        "completed_turns": 1,  # P5
        "trained_officers": 1,  # P5 through the province's K2
        "by_target_group": groups(commune_culture_officer=1),
        "by_curriculum": {"CT1": 0, "CT2": 1},
        "female": 1, "ethnic_minority": 0,
        "communes_total": 1, "communes_with_trained_officer": 1,  # Bố Hạ
        "officers_in_post": None, "coverage_percent": None,
        "registry": {"trained": 1, "registered": 3, "coverage": 0.3333,  # P5 P6 P8
                     "by_target_group": groups(commune_culture_officer=1, info_manager=1, other=1)},
    }
    own = report["own"]  # the province's own course K2: activity only, its trainees live in the districts
    assert (own["courses"], own["sessions"], own["hours_delivered"], own["trainee_turns"]) == (1, 2, 8, 0)


def test_all_years_add_the_2023_course(data: Dataset):
    report = indicator_report(data.t["province"])
    assert report["year"] is None and report["period"] == {"from": None, "to": None, "half": None}
    # 2024 plus K4 (Yên Thế, 2023-11-01, one 4 h session, P6 completed it)
    assert (report["courses"], report["sessions"], report["hours_delivered"]) == (4, 6, 22)
    assert (report["enrolled"], report["trainee_turns"], report["completed_turns"]) == (10, 8, 7)  # + K4: P6
    assert report["trained_officers"] == 5
    assert report["by_curriculum"] == {"CT1": 2, "CT2": 4}  # CT2: P1 P3 P5 P6
    assert report["by_target_group"]["other"] == 1  # P6
    assert (report["female"], report["ethnic_minority"], report["communes_with_trained_officer"]) == (3, 3, 3)


def test_first_half_year(data: Dataset):
    report = indicator_report(data.t["province"], year=2024, half=1)
    assert report["period"] == {"from": "2024-01-01", "to": "2024-06-30", "half": 1}
    # K1 only (K3 of 20 May is cancelled): P1 P2 completed, P3 did not, P4's certificate is revoked
    assert (report["courses"], report["sessions"], report["hours_delivered"], report["trainee_turns"]) == (1, 3, 10, 4)
    assert (report["enrolled"], report["completed_turns"]) == (4, 3)  # P1 P2 P4 completed K1
    assert (report["trained_officers"], report["female"], report["ethnic_minority"]) == (2, 1, 1)
    assert report["by_curriculum"] == {"CT1": 2, "CT2": 0}
    assert report["communes_with_trained_officer"] == 1  # Nhã Nam
    assert [row["trained_officers"] for row in report["rows"]] == [2, 0]


def test_second_half_year(data: Dataset):
    report = indicator_report(data.t["province"], year=2024, half=2)
    assert report["period"] == {"from": "2024-07-01", "to": "2024-12-31", "half": 2}
    # K2 (2 sessions, 8 h) and K5 (none): enrolments K2 P1 P3 P5 P8 + K5 P6, of whom P1 P3 P5 came and completed
    assert (report["courses"], report["sessions"], report["hours_delivered"], report["trainee_turns"]) == (2, 2, 8, 3)
    assert (report["enrolled"], report["completed_turns"]) == (5, 3)
    assert (report["trained_officers"], report["female"], report["ethnic_minority"]) == (3, 3, 1)
    assert report["by_curriculum"] == {"CT1": 0, "CT2": 3}
    assert report["communes_with_trained_officer"] == 3


def test_date_range_includes_both_ends(data: Dataset):
    both = indicator_report(data.t["province"], date_from=date(2024, 3, 10), date_to=date(2024, 9, 15))
    assert (both["courses"], both["trained_officers"], both["year"]) == (2, 4, None)  # K1 and K2 on their first days
    inside = indicator_report(data.t["province"], date_from=date(2024, 3, 11), date_to=date(2024, 9, 14))
    assert (inside["courses"], inside["trainee_turns"], inside["trained_officers"]) == (0, 0, 0)
    open_ended = indicator_report(data.t["province"], date_from=date(2024, 9, 1))
    assert (open_ended["courses"], open_ended["trained_officers"]) == (2, 3)  # K2, K5


def test_district_drills_down_to_communes(data: Dataset):
    report = indicator_report(data.t["district"], year=2024)
    assert [row["unit"]["name"] for row in report["rows"]] == ["Thị trấn Nhã Nam", "Xã Cao Xá"]
    # Tân Yên organized K1 only; its officers also took the province's K2
    assert (report["courses"], report["trainee_turns"], report["trained_officers"]) == (1, 6, 3)
    nha_nam, cao_xa = report["rows"]
    assert (nha_nam["trainee_turns"], nha_nam["trained_officers"], nha_nam["by_curriculum"]) == (
        3, 2, {"CT1": 2, "CT2": 1})  # P1 (K1, K2), P2 (K1)
    assert (cao_xa["trainee_turns"], cao_xa["trained_officers"], cao_xa["by_curriculum"]) == (
        3, 1, {"CT1": 0, "CT2": 1})  # P3 (K1 failed, K2), P4 (K1, revoked)
    assert (nha_nam["courses"], report["own"]["courses"]) == (0, 1)  # K1 belongs to the district itself


def test_commune_has_no_rows(data: Dataset):
    report = indicator_report(data.t["commune"], year=2024)
    assert report["rows"] == []
    assert figures(report) == figures(report["own"])  # a commune has no children: all is its own
    assert (report["trainee_turns"], report["trained_officers"], report["communes_total"]) == (3, 2, 1)
    assert report["registry"] == {"trained": 2, "registered": 3, "coverage": 0.6667,  # P1 P2 P7
                                  "by_target_group": groups(commune_culture_officer=2, party_info_staff=1)}


def test_whole_country_rows_are_provinces(data: Dataset):
    report = indicator_report(None, year=2024, scheme="2024")
    assert report["unit"] == {"code": None, "name": "Toàn quốc", "level": "national", "scheme": "2024"}
    assert [row["unit"]["code"] for row in report["rows"]] == ["01", "24"]
    # Bắc Giang's figures plus Hà Nội's KH (1 session, 4 h) and PH who completed it
    assert (report["courses"], report["hours_delivered"], report["trainee_turns"]) == (4, 22, 8)
    assert (report["trained_officers"], report["communes_total"], report["registry"]["registered"]) == (5, 4, 9)


def test_other_scheme_sees_nothing_of_2024(data: Dataset):
    report = indicator_report(data.t["new_province"], year=2024)
    assert (report["courses"], report["trainee_turns"], report["trained_officers"]) == (0, 0, 0)
    assert report["communes_total"] == 1 and report["rows"][0]["unit"]["name"] == "Xã Nhã Nam"


def test_cancelling_a_course_removes_it_everywhere(data: Dataset):
    from trainer.courses.models import CourseStatus

    data.courses["K2"].status = CourseStatus.CANCELLED
    report = indicator_report(data.t["province"], year=2024)
    # without K2: courses K1 K5, enrolled K1 4 + K5 1, turns K1 4 (K5 has no session), trained P1 P2
    # (P3 and P5 only completed K2)
    assert (report["courses"], report["enrolled"], report["trainee_turns"], report["trained_officers"]) == (2, 5, 4, 2)
    assert report["by_curriculum"] == {"CT1": 2, "CT2": 0}


def test_revoking_the_only_certificate_of_a_course_uncounts_it_but_not_the_other_course(data: Dataset):
    from tests.reports.conftest import certify

    certify(data.courses["K2"], data.people["P1"], revoked=True)
    report = indicator_report(data.t["province"], year=2024)
    assert report["trained_officers"] == 4  # P1 still counts through K1 (valid certificate)
    assert report["by_curriculum"] == {"CT1": 2, "CT2": 2}  # but no longer under CT2
