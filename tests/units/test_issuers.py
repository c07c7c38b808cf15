"""Issuers by period: the defaults follow the date, stored periods override them and never overlap, and the pages
let organizers in scope keep them (CSRF on, Vietnamese messages)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from trainer.core.errors import ValidationError
from trainer.documents.issuers import default_issuer, place_name
from trainer.extensions import db
from trainer.units.issuers import issuer_in_force, list_issuers, save_issuer
from trainer.units.models import UnitIssuer

VALUES = {"agency_parent": "Ủy ban nhân dân huyện Tân Yên", "agency_name": "Phòng Văn hóa và Thông tin",
          "agency_abbr": "VHTT", "place_name": "Tân Yên", "signer_prefix": "KT. TRƯỞNG PHÒNG",
          "signer_title": "PHÓ TRƯỞNG PHÒNG", "signer_name": "Nguyễn Văn Bình", "recipients": ""}


@pytest.fixture
def t(f: Factories):
    """The small administrative tree."""
    return f.tree()


def _head(letterhead) -> tuple[str, str]:
    return letterhead.parent_agency, letterhead.agency


def test_province_default_changes_with_the_sector_merger_on_1_march_2025():
    before = default_issuer("Tỉnh Bắc Giang", "province", "2024", date(2025, 2, 28))
    after = default_issuer("Tỉnh Bắc Giang", "province", "2024", date(2025, 3, 1))
    assert _head(before) == ("Ủy ban nhân dân tỉnh Bắc Giang", "Sở Thông tin và Truyền thông")
    assert before.agency_abbr == "STTTT" and before.signer_title == "GIÁM ĐỐC" and before.place_name == "Bắc Giang"
    assert before.recipients == ("- Bộ Thông tin và Truyền thông (b/c);", "- UBND tỉnh (b/c);",
                                 "- Sở Lao động - Thương binh và Xã hội;", "- Lưu: VT, STTTT.")
    assert _head(after) == ("Ủy ban nhân dân tỉnh Bắc Giang", "Sở Văn hóa, Thể thao và Du lịch")
    assert after.recipients[0] == "- Bộ Văn hóa, Thể thao và Du lịch (b/c);"
    assert after.recipients[2] == "- Sở Nông nghiệp và Môi trường;"


def test_district_default_ends_on_1_july_2025():
    june = default_issuer("Huyện Tân Yên", "district", "2024", date(2025, 6, 30))
    assert _head(june) == ("Ủy ban nhân dân huyện Tân Yên", "Phòng Văn hóa và Thông tin")
    assert june.place_name == "Tân Yên" and june.signer_title == "TRƯỞNG PHÒNG"
    assert "- Phòng Lao động - Thương binh và Xã hội;" in default_issuer(
        "Huyện Tân Yên", "district", "2024", date(2024, 10, 3)).recipients
    assert default_issuer("Huyện Tân Yên", "district", "2024", date(2025, 7, 1)) is None
    assert default_issuer("Tỉnh Bắc Giang", "province", "2024", date(2025, 7, 1)) is None


def test_units_of_the_2025_list_issue_from_1_july_2025():
    commune = default_issuer("Xã Nhã Nam", "commune", "2025", date(2025, 7, 1))
    assert _head(commune) == ("Ủy ban nhân dân xã Nhã Nam", "Phòng Văn hóa - Xã hội")
    assert commune.place_name == "Nhã Nam"
    province = default_issuer("Tỉnh Bắc Ninh", "province", "2025", date(2026, 1, 5))
    assert _head(province) == ("Ủy ban nhân dân tỉnh Bắc Ninh", "Sở Văn hóa, Thể thao và Du lịch")
    assert default_issuer("Tỉnh Bắc Ninh", "province", "2025", date(2025, 6, 30)) is None


def test_a_2024_commune_signs_as_its_peoples_committee():
    town = default_issuer("Thị trấn Nhã Nam", "commune", "2024", date(2024, 10, 3))
    assert _head(town) == ("", "Ủy ban nhân dân thị trấn Nhã Nam")
    assert (town.signer_prefix, town.signer_title, town.place_name) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nhã Nam")


def test_one_place_name_rule():
    assert [place_name(n) for n in ("Huyện Tân Yên", "Quận 5", "Thành phố Hồ Chí Minh", "Xã Đắk Song")] == [
        "Tân Yên", "Quận 5", "Thành phố Hồ Chí Minh", "Đắk Song"]


def test_stored_periods_override_the_defaults_on_their_dates(t, f: Factories):
    admin = f.user("admin")
    save_issuer(t["district"], actor=admin, valid_from=date(2025, 3, 1), valid_to=date(2025, 6, 30),
                values={**VALUES, "agency_name": "Phòng Văn hóa, Khoa học và Thông tin", "agency_parent": ""})
    save_issuer(t["district"], actor=admin, valid_from=date(2025, 7, 1), valid_to=None,
                values={**VALUES, "agency_parent": "Ủy ban nhân dân tỉnh Bắc Ninh",
                        "agency_name": "Sở Văn hóa, Thể thao và Du lịch", "place_name": "Bắc Ninh",
                        "signer_prefix": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Lê Văn An",
                        "recipients": "- Bộ Văn hóa, Thể thao và Du lịch (b/c);\n- Lưu: VT."})
    db.session.expire(t["district"], ["issuers"])
    assert issuer_in_force(t["district"], date(2025, 2, 28)).agency == "Phòng Văn hóa và Thông tin"  # the default
    spring = issuer_in_force(t["district"], date(2025, 4, 2))
    # a blank parent in a period takes the default of that date
    assert _head(spring) == ("Ủy ban nhân dân huyện Tân Yên", "Phòng Văn hóa, Khoa học và Thông tin")
    assert spring.signer_name == "Nguyễn Văn Bình" and spring.recipients[-1] == "- Lưu: VT, VHTT."
    later = issuer_in_force(t["district"], date(2026, 1, 5))  # no default exists then: the period alone
    assert _head(later) == ("Ủy ban nhân dân tỉnh Bắc Ninh", "Sở Văn hóa, Thể thao và Du lịch")
    assert later.place_name == "Bắc Ninh" and later.recipients == ("- Bộ Văn hóa, Thể thao và Du lịch (b/c);",
                                                                    "- Lưu: VT.")


@pytest.mark.parametrize(("start", "end"), [
    (date(2025, 6, 30), None),  # starts inside the open-ended period
    (None, date(2025, 7, 1)),  # an unbounded start reaches into it
    (date(2026, 1, 1), date(2026, 1, 31)),  # inside it
])
def test_overlapping_periods_are_refused(t, f: Factories, start, end):
    admin = f.user("admin")
    save_issuer(t["district"], actor=admin, valid_from=date(2025, 7, 1), valid_to=None, values=VALUES)
    with pytest.raises(ValidationError) as err:
        save_issuer(t["district"], actor=admin, valid_from=start, valid_to=end, values=VALUES)
    assert err.value.code == "issuer_overlap"
    assert "Thời gian hiệu lực trùng với thiết lập “Phòng Văn hóa và Thông tin” (từ 01/07/2025 đến …)" in \
        err.value.message
    assert len(list_issuers(t["district"])) == 1


def test_adjacent_periods_and_bad_input(t, f: Factories):
    admin = f.user("admin")
    save_issuer(t["district"], actor=admin, valid_from=None, valid_to=date(2025, 6, 30), values=VALUES)
    save_issuer(t["district"], actor=admin, valid_from=date(2025, 7, 1), valid_to=None, values=VALUES)
    with pytest.raises(ValidationError) as err:
        save_issuer(t["province"], actor=admin, valid_from=date(2025, 7, 1), valid_to=date(2025, 6, 1),
                    values=VALUES)
    assert err.value.code == "invalid_period"
    with pytest.raises(ValidationError) as err:
        save_issuer(t["province"], actor=admin, valid_from=None, valid_to=None, values={**VALUES, "agency_name": ""})
    assert err.value.code == "required" and err.value.fields == {"agency_name": "Nhập cơ quan ban hành."}


def _form(client, url: str) -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_organizer_keeps_periods_on_the_pages(client, t, f: Factories):
    organizer = f.user("organizer", t["district"])
    login(client, organizer.email)
    unit_id = t["district"].id
    page = client.get(f"/units/{unit_id}/issuers").get_data(as_text=True)
    assert "Không có cơ quan ban hành" in page  # today, after the reform, a district issues nothing by default
    new = client.get(f"/units/{unit_id}/issuers/new").get_data(as_text=True)
    assert 'name="agency_name" required type="text" value=""' in new  # no default to start from after the reform
    token = _form(client, f"/units/{unit_id}/issuers/new")
    data = {**VALUES, "csrf_token": token, "valid_from": "2024-01-01", "valid_to": "2025-06-30"}
    assert client.post(f"/units/{unit_id}/issuers/new", data=data).status_code == 302
    clash = client.post(f"/units/{unit_id}/issuers/new", data={**data, "valid_from": "2025-06-01", "valid_to": ""})
    assert clash.status_code == 422
    assert "Thời gian hiệu lực trùng với thiết lập" in unescape(clash.get_data(as_text=True))
    no_csrf = client.post(f"/units/{unit_id}/issuers/new", data={**data, "csrf_token": "", "valid_from": "2026-01-01"})
    assert no_csrf.status_code == 400
    stored = db.session.query(UnitIssuer).filter_by(unit_id=unit_id).one()
    assert (stored.valid_from, stored.valid_to, stored.signer_name) == (date(2024, 1, 1), date(2025, 6, 30),
                                                                         "Nguyễn Văn Bình")
    listing = client.get(f"/units/{unit_id}/issuers").get_data(as_text=True)
    assert "01/01/2024" in listing and "30/06/2025" in listing
    edit = f"/units/{unit_id}/issuers/{stored.id}/edit"
    assert client.post(edit, data={**data, "csrf_token": _form(client, edit), "signer_name": "Lê Thị Thu Hà"}
                       ).status_code == 302
    db.session.expire_all()
    assert db.session.get(UnitIssuer, stored.id).signer_name == "Lê Thị Thu Hà"
    token = csrf_token_from(client.get(f"/units/{unit_id}/issuers").get_data(as_text=True))
    assert client.post(f"/units/{unit_id}/issuers/{stored.id}/delete", data={"csrf_token": token}).status_code == 302
    assert db.session.query(UnitIssuer).filter_by(unit_id=unit_id).count() == 0


def test_issuer_pages_check_scope(app, client, t, f: Factories):
    stored = UnitIssuer(unit=t["district"], **{k: v for k, v in VALUES.items()})
    db.session.add(stored)
    db.session.flush()
    reviewer = f.user("reviewer", t["district"])
    login(client, reviewer.email)
    assert client.get(f"/units/{t['district'].id}/issuers").status_code == 200  # may view
    assert client.get(f"/units/{t['district'].id}/issuers/new").status_code == 403
    other = f.user("organizer", t["district2"])
    client = app.test_client()
    login(client, other.email)
    assert client.get(f"/units/{t['district'].id}/issuers").status_code == 404
    assert client.get(f"/units/{t['district'].id}/issuers/{stored.id}/edit").status_code == 404
    # a period of another unit is not reachable through a unit the caller manages
    assert client.get(f"/units/{t['district2'].id}/issuers/{stored.id}/edit").status_code == 404
    html = client.get(f"/units/{t['district2'].id}/issuers").get_data(as_text=True)
    assert not re.search(rf"/issuers/{stored.id}/", html)
