"""Participant rules: phones, ethnic groups, names, dates, codes, scope, duplicates, audit."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.core.errors import DomainError, ValidationError
from trainer.core.text import fold
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.participants import fields
from trainer.participants.ethnicity import ETHNIC_GROUPS, ethnicity_key, is_ethnic_minority, resolve_ethnicity
from trainer.participants.fields import CODE_ALPHABET, generate_codes, normalise_phone, parse_birth_date
from trainer.participants.models import Gender, Participant
from trainer.participants.services import DuplicatePhone, create_participant, update_participant

NOW = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)


def _create(world, **overrides):
    values = {"full_name": "Nguyễn Thị Hằng", "gender": "female", "phone": "0912 345 600", "unit": world["commune"],
              "target_group": "commune_culture_officer", "ethnicity": "Tày", "actor": world["org_district"],
              "now": NOW}
    values.update(overrides)
    return create_participant(**values)


# --- phones -------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["0912345600", "+84 91 234 5600", "84912345600", "091.234.5600", "091-234-5600",
                                 "(+84) 912 345 600", "+84 (0) 912 345 600", "0084912345600", " 0912 345 600 "])
def test_normalise_phone_accepts_common_formats(raw):
    assert normalise_phone(raw) == "0912345600"


def test_normalise_phone_accepts_11_digit_landlines():
    assert normalise_phone("+84 204 3856 789") == "02043856789"


@pytest.mark.parametrize("raw", ["", "091234560", "09123456001", "0112345678", "12345", "abc0912345600",
                                 "0212345678", "+1 202 555 0100"])
def test_normalise_phone_refuses_what_is_not_a_vietnamese_number(raw):
    with pytest.raises(ValidationError) as err:
        normalise_phone(raw)
    assert err.value.code == "invalid_phone" and "phone" in err.value.fields


# --- ethnic groups ------------------------------------------------------------------------------


def test_there_are_54_groups_kinh_first_and_every_key_distinct():
    assert len(ETHNIC_GROUPS) == 54 and ETHNIC_GROUPS[0] == "Kinh"
    assert len({ethnicity_key(name) for name in ETHNIC_GROUPS}) == 54
    assert all(unicodedata.is_normalized("NFC", name) for name in ETHNIC_GROUPS)


@pytest.mark.parametrize("raw", ["hmong", "H'Mông", "Mông", "MÔNG", "h mong", "HMông (Mèo)",
                                 unicodedata.normalize("NFD", "Mông")])
def test_ethnicity_is_matched_ignoring_case_diacritics_spaces_and_hyphens(raw):
    assert resolve_ethnicity(raw) == "Mông"


def test_ethnicity_spellings_of_other_groups():
    assert resolve_ethnicity("ede") == resolve_ethnicity("Ê Đê") == "Ê-đê"
    assert resolve_ethnicity("khmer") == "Khơ-me" and resolve_ethnicity("Kinh (Việt)") == "Kinh"
    assert resolve_ethnicity("dân tộc Tày") == "Tày"


def test_everyone_but_kinh_is_an_ethnic_minority():
    assert not is_ethnic_minority("kinh")
    assert all(is_ethnic_minority(name) for name in ETHNIC_GROUPS[1:])


def test_unknown_ethnicity_is_refused():
    with pytest.raises(ValidationError) as err:
        resolve_ethnicity("Klingon")
    assert err.value.code == "unknown_ethnicity"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["15/03/1985", "15-03-1985", "15.03.1985", "1985-03-15", "15/3/1985"])
def test_birth_date_text_is_parsed_day_first(raw):
    assert parse_birth_date(raw, today=date(2025, 1, 1)) == date(1985, 3, 15)


@pytest.mark.parametrize("raw", ["1985-15-03", "31/02/1990", "03/15/1985", "15 tháng 3", "2030-01-01",
                                 "01/01/1850"])
def test_impossible_badly_written_or_future_birth_dates_are_refused(raw):
    with pytest.raises(ValidationError) as err:
        parse_birth_date(raw, today=date(2025, 1, 1))
    assert err.value.code == "invalid_birth_date"


# --- create ---------------------------------------------------------------------------------------


def test_create_normalises_and_derives_everything(app, world):
    nfd_name = unicodedata.normalize("NFD", "  Nguyễn   Thị Hằng ")
    person = _create(world, full_name=nfd_name, birth_date="1985-03-15", email="Hang@Example.VN")
    assert person.full_name == "Nguyễn Thị Hằng" and unicodedata.is_normalized("NFC", person.full_name)
    assert person.name_search == "nguyen thi hang"
    assert person.phone == "0912345600" and person.ethnic_minority is True
    assert person.gender is Gender.FEMALE and person.target_group is TargetGroup.COMMUNE_CULTURE_OFFICER
    assert person.birth_date == date(1985, 3, 15) and person.email == "hang@example.vn"
    assert person.notice_version == app.config["PRIVACY_NOTICE_VERSION"]


def test_only_the_minority_flag_is_stored_never_the_group(app, world):
    person = _create(world, ethnicity="Mông")
    stored = db.session.execute(select(Participant.__table__)).mappings().all()
    assert person.ethnic_minority is True
    assert not any("Mông" in str(value) or str(value) == "mong" for r in stored for value in r.values())
    assert "ethnicity" not in Participant.__table__.columns


def test_ethnic_minority_flag_may_be_given_instead_of_a_group(app, world):
    assert _create(world, ethnicity=None, ethnic_minority=False).ethnic_minority is False


def test_create_needs_an_ethnicity_or_the_flag(app, world):
    with pytest.raises(ValidationError) as err:
        _create(world, ethnicity=None)
    assert err.value.code == "ethnicity_required"


def test_personal_code_is_8_unambiguous_characters(app, world):
    code = _create(world).code
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)


def test_code_generation_retries_on_collision(app, world, monkeypatch):
    _create(world)
    taken = db.session.scalar(select(Participant.code))
    draws = iter(taken + "23456789")  # the first code drawn collides with the stored one
    monkeypatch.setattr(fields.secrets, "choice", lambda alphabet: next(draws))
    assert generate_codes(1) == ["23456789"]


def test_unit_must_be_one_the_actor_manages(app, world):
    with pytest.raises(DomainError) as err:
        _create(world, unit=world["hanoi_commune"])
    assert err.value.code == "unit_not_manageable" and err.value.status == 403
    with pytest.raises(DomainError):
        _create(world, actor=world["reviewer"])


def test_duplicate_phone_points_to_the_existing_person(app, world):
    first = _create(world)
    with pytest.raises(DuplicatePhone) as err:
        _create(world, phone="+84 912 345 600", full_name="Người Khác")
    assert err.value.code == "duplicate_phone" and err.value.status == 409
    assert first.code in err.value.message and "Thị trấn Nhã Nam" in err.value.message
    assert "Nguyễn Thị Hằng" in err.value.message and err.value.existing_id == first.id
    assert err.value.fields == {"phone": err.value.message}


def test_duplicate_phone_outside_the_scope_names_nobody(app, world):
    with pytest.raises(DuplicatePhone) as err:
        _create(world, phone=world["person"].phone, unit=world["hanoi_commune"], actor=world["org_hanoi"])
    for secret in (world["person"].code, "Thị trấn Nhã Nam", "Tân Yên", "Trần Văn Bình"):
        assert secret not in err.value.message  # not even whether the person is in this district
    assert "ngoài phạm vi" in err.value.message and err.value.existing_id is None


def test_create_and_update_are_audited_without_personal_data(app, world):
    person = _create(world)
    update_participant(person, position="Phó chủ tịch", unit=world["commune_b"], actor=world["org_district"])
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.object_id) for e in entries] == [("participant.create", person.id),
                                                         ("participant.update", person.id)]
    assert entries[1].details == {"fields": ["position", "unit_id"], "from_unit_id": world["commune"].id}
    assert entries[1].unit_id == world["commune_b"].id
    text = str([e.details for e in entries])
    assert "Hằng" not in text and "0912345600" not in text


# --- update ---------------------------------------------------------------------------------------


def test_update_changes_only_the_given_fields(app, world):
    person = world["person"]
    update_participant(person, full_name=unicodedata.normalize("NFD", "Trần Văn Bính"), actor=world["org_district"])
    assert person.full_name == "Trần Văn Bính" and person.name_search == fold("Trần Văn Bính")
    assert person.phone == "0987000001" and person.ethnic_minority is False


def test_update_with_empty_ethnicity_keeps_the_flag(app, world):
    person = world["person"]
    person.ethnic_minority = True
    update_participant(person, ethnicity=None, position="Cán bộ", actor=world["org_district"])
    assert person.ethnic_minority is True
    update_participant(person, ethnicity="kinh", actor=world["org_district"])
    assert person.ethnic_minority is False


def test_update_refuses_a_phone_used_by_someone_else(app, world):
    other = _create(world)
    with pytest.raises(DuplicatePhone):
        update_participant(world["person"], phone=other.phone, actor=world["org_district"])
    update_participant(other, phone="0912-345-600", actor=world["org_district"])  # its own number: fine


def test_update_needs_both_units_managed(app, world):
    with pytest.raises(DomainError) as err:
        update_participant(world["person"], unit=world["hanoi_commune"], actor=world["org_district"])
    assert err.value.code == "unit_not_manageable"
    with pytest.raises(DomainError) as err:
        update_participant(world["person"], position="x", actor=world["org_hanoi"])
    assert err.value.code == "unit_not_manageable"


def test_update_without_changes_records_nothing(app, world):
    update_participant(world["person"], full_name="Trần Văn Bình", actor=world["org_district"])
    assert db.session.scalar(select(AuditEntry.id)) is None


@pytest.mark.parametrize(("field", "value", "code"), [
    ("full_name", "   ", "name_required"), ("full_name", "x" * 121, "name_too_long"),
    ("gender", "other", "invalid_gender"), ("target_group", "farmers", "invalid_target_group"),
    ("email", "not-an-email", "invalid_email"), ("position", "x" * 201, "position_too_long"),
    ("birth_date", "31/02/1990", "invalid_birth_date")])
def test_field_rules_have_their_codes(app, world, field, value, code):
    with pytest.raises(ValidationError) as err:
        _create(world, **{field: value})
    assert err.value.code == code and err.value.fields


def test_gender_and_target_group_accept_the_vietnamese_labels(app, world):
    person = _create(world, gender="Nam", target_group="Cán bộ thông tin, tuyên truyền thuộc cơ quan Đảng cấp xã")
    assert person.gender is Gender.MALE and person.target_group is TargetGroup.PARTY_INFO_STAFF
