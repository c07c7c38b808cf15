"""Searching the registry: accent-insensitive names, phones, codes, scope, filters, bounded SQL."""

from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import login
from tests.participants.helpers import add_participants, count_statements
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.participants.queries import list_participants, summarise
from trainer.participants.services import create_participant


def _names(user, **filters) -> list[str]:
    return [p.full_name for p in db.session.scalars(list_participants(user, **filters))]


@pytest.fixture
def hang(world):
    return create_participant(full_name=unicodedata.normalize("NFD", "Nguyễn Thị Hằng"), gender="female",
                              phone="0912345600", unit=world["commune"], target_group="commune_culture_officer",
                              ethnicity="Kinh", actor=world["admin"])


@pytest.mark.parametrize("q", ["nguyen thi hang", "Nguyễn Thị Hằng", "NGUYEN THI HANG", "nguyen hang", "hằng",
                               unicodedata.normalize("NFD", "Nguyễn Thị Hằng"), "  nguyen   thi  "])
def test_name_search_ignores_diacritics_case_and_form(app, world, hang, q):
    assert _names(world["admin"], q=q) == ["Nguyễn Thị Hằng"]


def test_name_search_finds_d_with_stroke_and_misses_others(app, world, f):
    f.participant(world["commune"], full_name="Đặng Văn Đức", phone="0911111111")
    assert _names(world["admin"], q="dang van duc") == ["Đặng Văn Đức"]
    assert _names(world["admin"], q="hang thi") == []  # words keep their order


def test_like_wildcards_in_the_query_are_literal(app, world, hang):
    assert _names(world["admin"], q="%") == [] and _names(world["admin"], q="_") == []


@pytest.mark.parametrize("q", ["0912345600", "+84 91 234 5600", "091.234.5600"])
def test_search_matches_an_exact_phone_in_any_format(app, world, hang, q):
    assert _names(world["admin"], q=q) == ["Nguyễn Thị Hằng"]


def test_search_matches_a_personal_code(app, world, hang):
    assert _names(world["admin"], q=hang.code.lower()) == ["Nguyễn Thị Hằng"]


def test_list_is_scoped_to_what_the_user_may_view(app, world, hang, f):
    f.participant(world["hanoi_commune"], full_name="Phạm Thu Hà", phone="0911111112")
    assert _names(world["reviewer"]) == ["Nguyễn Thị Hằng", "Trần Văn Bình"]
    assert _names(world["org_hanoi"]) == ["Phạm Thu Hà"]
    assert len(_names(world["admin"])) == 3


def test_unit_filter_keeps_its_subtree_and_target_group_filters(app, world, hang, f):
    f.participant(world["commune2"], full_name="Hoàng Văn Nam", phone="0911111113",
                  target_group=TargetGroup.PARTY_INFO_STAFF)
    assert _names(world["admin"], unit=world["district"]) == ["Nguyễn Thị Hằng", "Trần Văn Bình"]
    assert _names(world["admin"], unit=world["province"], target_group="party_info_staff") == ["Hoàng Văn Nam"]


def test_summary_counts_women_and_minorities_in_sql(app, world, hang):
    add_participants(world["commune"], 9)
    counts = summarise(list_participants(world["admin"]))
    assert counts == {"total": 11, "female": 1 + 5, "ethnic_minority": 3}


def _statements(client, url: str) -> int:
    db.session.commit()  # the test's pending rows are written now, not counted with the request
    with count_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen)


def test_list_page_makes_the_same_number_of_queries_for_10_and_1000_people(app, client, world):
    add_participants(world["commune"], 10)
    login(client, world["org_province"].email)
    urls = ("/participants/", "/participants/?q=le+van&unit=216&target_group=commune_culture_officer&page=2")
    few = [_statements(client, url) for url in urls]
    add_participants(world["commune_b"], 990, start=10)
    many = [_statements(client, url) for url in urls]
    assert few == many


def test_api_list_makes_the_same_number_of_queries_for_10_and_1000_people(app, client, world, auth):
    add_participants(world["commune"], 10)
    headers = auth(world["reviewer"])
    db.session.commit()
    client.get("/api/v1/me", headers=headers)  # a token's first use writes its "last used" (once per 10 minutes)
    with count_statements() as few:
        assert len(client.get("/api/v1/participants?per_page=200", headers=headers).json["items"]) == 11
    add_participants(world["commune_b"], 990, start=10)
    db.session.commit()
    with count_statements() as many:
        body = client.get("/api/v1/participants?per_page=200", headers=headers).json
    assert body["total"] == 1001 and len(body["items"]) == 200
    assert len(few) == len(many)
