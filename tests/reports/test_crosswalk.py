"""Reports across the 1 July 2025 reform: a 2025-scheme report includes the courses and people of the 2024
units merged into it (unit_successors), a split commune's history goes to its one history successor, and
the 2024-scheme report is unchanged.

The hand-made crosswalk on the report dataset (tests/reports/conftest.py):
  2024 Tỉnh Bắc Giang (24), Huyện Tân Yên (216), Huyện Yên Thế (217)  -> 2025 Tỉnh Bắc Ninh (24)
  2024 Thị trấn Nhã Nam (07306)                                       -> 2025 Xã Nhã Nam (07306)
  2024 Xã Cao Xá (07309), split: history -> 2025 Xã Tân Yên (07315), part -> 2025 Xã Nhã Nam (07306)
  2024 Thị trấn Bố Hạ (07210)                                         -> 2025 Xã Bố Hạ (07210)
Hà Nội has no successor here: its course (KH) and person (PH) never reach Bắc Ninh.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Factories
from tests.reports.conftest import Dataset
from tests.sql import count_statements
from trainer.accounts.services import issue_api_token
from trainer.extensions import db
from trainer.reports.queries import Period, trained_officers_detail
from trainer.reports.queries.indicators import indicator_report
from trainer.units.crosswalk import CrosswalkRow, import_crosswalk
from trainer.units.models import UnitLevel

PAIRS = [  # (old level, old code, new level, new code, history, partly)
    ("province", "24", "province", "24", True, False),
    ("district", "216", "province", "24", True, False),
    ("district", "217", "province", "24", True, False),
    ("commune", "07306", "commune", "07306", True, False),
    ("commune", "07309", "commune", "07315", True, True),
    ("commune", "07309", "commune", "07306", False, True),
    ("commune", "07210", "commune", "07210", True, False),
]
# The figures that a person or course adds to; communes are counted in each report's own scheme.
SUMMED = ("courses", "sessions", "hours_delivered", "enrolled", "trainee_turns", "completed_turns",
          "trained_officers", "female", "ethnic_minority", "by_target_group", "by_curriculum", "registry")


@pytest.fixture
def reform(data: Dataset, f: Factories) -> dict[str, Any]:
    """The 2025 communes of the hand-made crosswalk; the 2024 report of Bắc Giang taken before loading it."""
    new_province = data.t["new_province"]
    units = {"nha_nam": data.t["new_commune"],
             "tan_yen": f.unit("07315", "Xã Tân Yên", UnitLevel.COMMUNE, new_province, scheme="2025"),
             "bo_ha": f.unit("07210", "Xã Bố Hạ", UnitLevel.COMMUNE, new_province, scheme="2025")}
    before = indicator_report(data.t["province"], year=2024)
    import_crosswalk([CrosswalkRow(oc, ol, nc, nl, h, p) for ol, oc, nl, nc, h, p in PAIRS])
    return {**units, "before": before}


def _row(report: dict[str, Any], code: str) -> dict[str, Any]:
    return next(row for row in report["rows"] if row["unit"]["code"] == code)


def test_bac_ninh_2025_reports_bac_giang_2024_history(data: Dataset, reform):
    old = reform["before"]
    new = indicator_report(data.t["new_province"], year=2024)
    assert new["unit"] == {"code": "24", "name": "Tỉnh Bắc Ninh", "level": "province", "scheme": "2025"}
    assert {key: new[key] for key in SUMMED} == {key: old[key] for key in SUMMED}
    assert (new["courses"], new["trained_officers"], new["enrolled"]) == (3, 4, 9)  # K1, K2, K5; Hà Nội not in
    # Rows are the 2025 communes; the courses of the 2024 district and province lie under Bắc Ninh itself.
    assert [row["unit"]["code"] for row in new["rows"]] == ["07210", "07306", "07315"]
    assert new["own"]["courses"] == 3 and all(row["courses"] == 0 for row in new["rows"])
    assert new["communes_total"] == 3 and new["communes_with_trained_officer"] == 3


def test_rows_follow_each_old_commune_to_its_history_successor(data: Dataset, reform):
    new = indicator_report(data.t["new_province"], year=2024)
    for old_commune, new_code in (("commune", "07306"), ("commune_b", "07315"), ("commune2", "07210")):
        old = indicator_report(data.t[old_commune], year=2024)
        row = _row(new, new_code)
        assert {key: row[key] for key in ("enrolled", "trainee_turns", "trained_officers", "by_target_group",
                                          "female", "registry")} == \
               {key: old[key] for key in ("enrolled", "trainee_turns", "trained_officers", "by_target_group",
                                          "female", "registry")}
    # Cao Xá was split: its people (P3 trained, P4 revoked) count once, in Xã Tân Yên, not in Xã Nhã Nam too.
    assert _row(new, "07315")["trained_officers"] == 1
    assert _row(new, "07306")["trained_officers"] == 2  # P1, P2 of the old Thị trấn Nhã Nam
    commune = indicator_report(reform["tan_yen"], year=2024)
    assert (commune["trained_officers"], commune["registry"]["registered"]) == (1, 2)


def test_the_2024_report_is_unchanged(data: Dataset, reform):
    assert indicator_report(data.t["province"], year=2024) == reform["before"]


def test_national_2025_report_and_the_api(client, data: Dataset, f: Factories, reform):
    national = indicator_report(None, year=2024, scheme="2025")
    assert [row["unit"]["code"] for row in national["rows"]] == ["24"]
    assert national["trained_officers"] == 4  # Hà Nội's PH has no successor in this crosswalk
    token = issue_api_token(f.user("admin"))
    body = client.get("/api/v1/reports/indicators?year=2024&unit=24&scheme=2025",
                      headers={"Authorization": f"Bearer {token}"}).json
    assert (body["unit"]["name"], body["courses"], body["trained_officers"]) == ("Tỉnh Bắc Ninh", 3, 4)


def test_a_2025_report_makes_as_many_statements_as_a_2024_one(data: Dataset, reform):
    db.session.flush()
    with count_statements() as old:
        indicator_report(data.t["province"], year=2024)
    with count_statements() as new:
        indicator_report(data.t["new_province"], year=2024)
    assert len(new) == len(old)


def test_the_list_of_trained_officers_follows_the_crosswalk(data: Dataset, reform):
    old = trained_officers_detail(data.t["province"], Period.of_year(2024))
    new = trained_officers_detail(data.t["new_province"], Period.of_year(2024))
    assert len(new) == 4 and {row.full_name for row in new} == {row.full_name for row in old}
    # The commune printed is the person's own (the 2024 one, as recorded), not the successor's.
    assert {row.commune for row in new} == {"Thị trấn Nhã Nam", "Xã Cao Xá", "Thị trấn Bố Hạ"}
    assert [row.full_name for row in trained_officers_detail(reform["tan_yen"], Period.of_year(2024))] == [
        "Lò Thị Mai"]
