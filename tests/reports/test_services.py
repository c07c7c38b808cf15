"""Reading the period and the unit of a report, its wording, the officers list and the logged export."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import Factories
from tests.reports.conftest import Dataset
from trainer.audit.models import AuditEntry
from trainer.core.errors import DomainError, ValidationError
from trainer.extensions import db
from trainer.reports.queries import OfficerRow, Period, trained_officers_detail
from trainer.reports.services import (
    EXPORT_ACTION,
    export_report,
    get_report_unit,
    period_label,
    resolve_period,
    summary_title,
)


def test_period_of_a_year_and_its_halves():
    assert resolve_period(year="2024") == Period(date(2024, 1, 1), date(2024, 12, 31), 2024)
    assert resolve_period(year=2025, half="1") == Period(date(2025, 1, 1), date(2025, 6, 30), 2025, 1)
    assert resolve_period(year="2025", half=2) == Period(date(2025, 7, 1), date(2025, 12, 31), 2025, 2)


def test_period_of_a_range_or_all_years():
    assert resolve_period(date_from="2024-03-01", date_to="2024-05-31") == Period(date(2024, 3, 1), date(2024, 5, 31))
    assert resolve_period(date_to="2024-05-31") == Period(None, date(2024, 5, 31))
    assert resolve_period() == Period() == resolve_period(year="", half="", date_from="", date_to="")


@pytest.mark.parametrize(("args", "code", "field"), [
    ({"year": "20x4"}, "invalid_year", "year"),
    ({"year": "1850"}, "invalid_year", "year"),
    ({"year": "2024", "half": "3"}, "invalid_half", "half"),
    ({"half": "1"}, "half_needs_year", "half"),
    ({"date_from": "2024-02-30"}, "invalid_date", "from"),
    ({"date_to": "31/05/2024"}, "invalid_date", "to"),
    ({"year": "2024", "date_from": "2024-03-01"}, "conflicting_period", "from"),
    ({"date_from": "2024-06-01", "date_to": "2024-05-31"}, "invalid_range", "to"),
])
def test_bad_period_is_refused_with_its_code_and_field(args, code, field):
    with pytest.raises(ValidationError) as err:
        resolve_period(**args)
    assert (err.value.code, err.value.status, list(err.value.fields)) == (code, 422, [field])
    assert err.value.message.strip() and not err.value.message.isascii()  # Vietnamese, with diacritics


def test_labels_and_summary_title():
    assert summary_title(Period.of_year(2024)) == (
        "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở năm 2024")
    assert summary_title(Period.of_year(2025, 1)) == (
        "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở 6 tháng đầu năm 2025")
    assert period_label(Period.of_year(2025, 2)) == "6 tháng cuối năm 2025"
    assert period_label(Period(date(2024, 3, 1), date(2024, 5, 31))) == "từ ngày 01/03/2024 đến ngày 31/05/2024"
    assert period_label(Period(date(2024, 3, 1))) == "từ ngày 01/03/2024"
    assert period_label(Period()) == ""
    assert summary_title(Period()) == "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở"


def test_report_unit_defaults_to_own_unit_or_the_whole_country(data: Dataset, f: Factories):
    reviewer = f.user("reviewer", data.t["district"])
    assert get_report_unit(reviewer, None) is data.t["district"]
    assert get_report_unit(reviewer, "07309") is data.t["commune_b"]
    assert get_report_unit(f.user("admin"), "") is None
    assert get_report_unit(f.user("admin"), "24", scheme="2025") is data.t["new_province"]


@pytest.mark.parametrize(("code", "scheme"), [("217", None), ("24", None), ("01", None), ("99999", None),
                                              ("24", "2025")])
def test_unit_outside_scope_or_unknown_is_not_found(data: Dataset, f: Factories, code, scheme):
    with pytest.raises(DomainError) as err:
        get_report_unit(f.user("organizer", data.t["district"]), code, scheme=scheme)
    assert (err.value.code, err.value.status) == ("unit_not_found", 404)


def test_user_without_unit_is_forbidden(f: Factories):
    with pytest.raises(DomainError) as err:
        get_report_unit(f.user("reviewer"), None)
    assert (err.value.code, err.value.status) == ("forbidden", 403)


def test_trained_officers_detail_lists_who_counts(data: Dataset):
    rows = trained_officers_detail(data.t["province"], Period.of_year(2024))
    # by commune path (Tân Yên's Nhã Nam 07306, Cao Xá 07309, then Yên Thế's Bố Hạ 07210), then name
    assert rows == [
        OfficerRow("Nguyễn Thị Hằng", "female", 1990, "Thị trấn Nhã Nam", "commune_culture_officer", ("CT1", "CT2")),
        OfficerRow("Đặng Văn Ước", "male", 1985, "Thị trấn Nhã Nam", "party_info_staff", ("CT1",)),
        OfficerRow("Lò Thị Mai", "female", None, "Xã Cao Xá", "mass_org_staff", ("CT2",)),
        OfficerRow("Phạm Thị Lan", "female", 1995, "Thị trấn Bố Hạ", "commune_culture_officer", ("CT2",)),
    ]
    assert not hasattr(rows[0], "ethnic_minority")  # sensitive: a count in the report, never per person


def test_xlsx_export_is_logged_without_personal_data(data: Dataset, f: Factories):
    reviewer = f.user("reviewer", data.t["province"])
    export = export_report(data.t["province"], Period.of_year(2024, 1), fmt="xlsx", actor=reviewer,
                           on=date(2024, 7, 5))
    assert export.filename == "bao-cao-chi-tieu-24-2024-h1.xlsx"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == EXPORT_ACTION))
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.unit_id) == (
        reviewer.id, "Unit", data.t["province"].id, data.t["province"].id)
    assert entry.details == {"format": "xlsx", "document": "trained_officers", "rows": 2, "scheme": "2024",
                             "date_from": "2024-01-01", "date_to": "2024-06-30"}


def test_pdf_and_json_exports_hold_no_list_and_are_not_logged(data: Dataset, f: Factories):
    for fmt in ("pdf", "json"):
        export_report(data.t["province"], Period(), fmt=fmt, actor=f.user("admin"), on=date(2025, 1, 5))
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == EXPORT_ACTION)) is None


def test_unknown_export_format_is_refused(data: Dataset):
    with pytest.raises(ValidationError) as err:
        export_report(data.t["province"], Period(), fmt="csv", actor=None, on=date(2025, 1, 5))
    assert err.value.code == "invalid_format"
