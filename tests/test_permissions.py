"""The permission rules (core/permissions.py), the pinned public surface, and the role × scope matrix."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound

from tests.accounts import matrix as accounts_matrix
from tests.attendance import matrix as attendance_matrix
from tests.certificates import matrix as certificates_matrix
from tests.conftest import csrf_token_from, login
from tests.courses import matrix as courses_matrix
from tests.cycle import matrix as cycle_matrix
from tests.documents import matrix as documents_matrix
from tests.factories import Factories
from tests.finance import matrix as finance_matrix
from tests.materials import matrix as materials_matrix
from tests.matrix_helpers import LOGIN, ROLES, all_staff, only_admin
from tests.participants import matrix as participants_matrix
from tests.reports import matrix as reports_matrix
from tests.schedule import matrix as schedule_matrix
from tests.units import matrix as units_matrix
from trainer.accounts.services import issue_api_token
from trainer.core.permissions import Need, can, get_or_404_for, scoped
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.participants.models import Participant

# --- the rules, on objects ---------------------------------------------------------------------


@pytest.fixture
def world(f: Factories):
    t = f.tree()
    users = {
        "admin": f.user("admin"),
        "organizer_district": f.user("organizer", t["district"]),
        "organizer_province": f.user("organizer", t["province"]),
        "organizer_other": f.user("organizer", t["hanoi"]),
        "reviewer_district": f.user("reviewer", t["district"]),
        "reviewer_other": f.user("reviewer", t["hanoi"]),
    }
    courses = {"district": f.course(t["district"]), "commune": f.course(t["commune"]),
               "district2": f.course(t["district2"]), "hanoi": f.course(t["hanoi_commune"])}
    people = {"commune": f.participant(t["commune"]), "hanoi": f.participant(t["hanoi_commune"])}
    return t, users, courses, people


def _visible(user, model, unit_col) -> set[int]:
    return set(db.session.scalars(scoped(select(model.id), unit_col, Need.VIEW, user)))


def test_organizer_views_and_manages_own_subtree_only(world):
    t, users, courses, _ = world
    org = users["organizer_district"]
    assert can(org, Need.MANAGE, courses["district"]) and can(org, Need.MANAGE, courses["commune"])
    assert not can(org, Need.VIEW, courses["district2"]) and not can(org, Need.VIEW, courses["hanoi"])
    assert _visible(org, Course, Course.unit_id) == {courses["district"].id, courses["commune"].id}


def test_province_organizer_reaches_every_district_below(world):
    _, users, courses, _ = world
    assert _visible(users["organizer_province"], Course, Course.unit_id) == {
        courses["district"].id, courses["commune"].id, courses["district2"].id}


def test_reviewer_views_subtree_but_manages_nothing(world):
    _, users, courses, people = world
    rev = users["reviewer_district"]
    assert can(rev, Need.VIEW, courses["commune"]) and not can(rev, Need.MANAGE, courses["commune"])
    assert _visible(rev, Participant, Participant.unit_id) == {people["commune"].id}
    assert set(db.session.scalars(scoped(select(Course.id), Course.unit_id, Need.MANAGE, rev))) == set()


def test_admin_reaches_everything(world):
    _, users, courses, _ = world
    admin = users["admin"]
    assert all(can(admin, need, c) for c in courses.values() for need in Need)
    assert _visible(admin, Course, Course.unit_id) == {c.id for c in courses.values()}


def test_only_admins_administer(world):
    _, users, _, _ = world
    assert [name for name, u in users.items() if can(u, Need.ADMINISTER)] == ["admin"]


def test_scheme_is_part_of_the_scope(f: Factories, world):
    """Province 24 of 2025 (Bắc Ninh) is not province 24 of 2024 (Bắc Giang)."""
    t, _, courses, _ = world
    new_org = f.user("organizer", t["new_province"])
    assert not can(new_org, Need.VIEW, courses["district"])
    assert _visible(new_org, Course, Course.unit_id) == set()


def test_get_or_404_for_hides_existence_and_forbids_managing(app, world):
    _, users, courses, _ = world
    from flask_login import login_user

    with app.test_request_context():
        login_user(users["reviewer_district"])
        assert get_or_404_for(Course, courses["commune"].id) is courses["commune"]
        with pytest.raises(NotFound):
            get_or_404_for(Course, courses["hanoi"].id)
        with pytest.raises(Forbidden):
            get_or_404_for(Course, courses["commune"].id, Need.MANAGE)
        with pytest.raises(NotFound):
            get_or_404_for(Course, 999_999)


# --- the public surface ------------------------------------------------------------------------


def test_public_endpoints_are_exactly(app):
    public = {name for name, view in app.view_functions.items() if getattr(view, "is_public", False)}
    assert public == {"accounts.login", "public.scan", "public.code_entry", "attendance_api.checkin",
                      "certificates_public.verify", "certificates_api.lookup", "public.material",
                      "api.openapi", "me.index", "me.sign_out", "me.certificate"}


# --- the role × scope matrix over every endpoint -----------------------------------------------

FRAGMENTS = (participants_matrix, courses_matrix, schedule_matrix, materials_matrix, documents_matrix,
             attendance_matrix, reports_matrix, certificates_matrix, accounts_matrix, units_matrix, cycle_matrix,
             finance_matrix)

# endpoint -> (method, url, body, expected status per role). "in" users are scoped to the province
# owning the world's objects, "out" users to another province.
CORE_MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "accounts.login": ("GET", "/login", None, {"anon": 200, **{r: 302 for r in ROLES[1:]}}),
    "accounts.logout": ("POST", "/logout", {}, {"anon": LOGIN, **{r: 302 for r in ROLES[1:]}}),
    "accounts.users": ("GET", "/users", None, only_admin()),
    "accounts.user_new": ("GET", "/users/new", None, only_admin()),
    "accounts.tokens": ("GET", "/account/tokens", None, all_staff()),
    "dashboard.index": ("GET", "/", None, all_staff()),
    "curricula.index": ("GET", "/curricula/", None, all_staff()),
    "curricula.detail": ("GET", "/curricula/CT1", None, all_staff()),
    "curricula.edit": ("GET", "/curricula/CT1/edit", None, only_admin()),
    "units.index": ("GET", "/units/?scheme=2024&parent=24", None, all_staff()),
    "api.openapi": ("GET", "/api/v1/openapi.json", None, {role: 200 for role in ROLES}),
    "accounts_api.me": ("GET", "/api/v1/me", None, all_staff(api=True)),
    "accounts_api.create_user_api": ("POST", "/api/v1/users", {"email": "x@example.vn", "role": "nope"},
                                     only_admin(422, api=True)),
    "curricula_api.list_curricula_api": ("GET", "/api/v1/curricula", None, all_staff(api=True)),
    "units_api.list_units_api": ("GET", "/api/v1/units?parent=24", None, all_staff(api=True)),
}
MATRIX = {**CORE_MATRIX}
for fragment in FRAGMENTS:
    MATRIX.update(fragment.MATRIX)
STATIC = {"static", "bootstrap.static"}


def test_matrix_covers_every_endpoint(app):
    assert set(app.view_functions) - STATIC == set(MATRIX)


def _world(f: Factories) -> dict[str, Any]:
    from trainer.courses.models import Enrolment

    t = f.tree()
    world: dict[str, Any] = dict(t)
    world["curriculum"] = f.curriculum("CT1")
    world["course"] = f.course(t["district"], world["curriculum"])
    world["participant"] = f.participant(t["commune"])
    db.session.add(Enrolment(course=world["course"], participant=world["participant"]))
    db.session.flush()
    for fragment in FRAGMENTS:
        fragment.build(world, f)
    return world


@pytest.mark.parametrize("role", ROLES)
def test_role_scope_matrix(app, client, f: Factories, role):
    world = _world(f)
    unit_for = {"admin": None, "organizer_in": world["province"], "organizer_out": world["hanoi"],
                "reviewer_in": world["province"], "reviewer_out": world["hanoi"]}
    token = None
    if role != "anon":
        user = f.user(role.split("_")[0], unit_for[role])
        token = issue_api_token(user)
        login(client, user.email)
    page_token = csrf_token_from(client.get("/login?lang=vi").get_data(as_text=True)) if role == "anon" else None
    failures = []
    for endpoint, (method, url, body, expected) in MATRIX.items():
        want = expected[role]
        url = url(world) if callable(url) else url
        body = body(world) if callable(body) else body
        if url.startswith("/api/"):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = client.open(url, method=method, json=body, headers=headers)
        else:
            if page_token is None:
                page_token = csrf_token_from(client.get("/account/tokens").get_data(as_text=True))
            data = {**(body or {}), "csrf_token": page_token} if method in ("POST", "PUT", "PATCH", "DELETE") else None
            response = client.open(url, method=method, data=data)
        got: int | str = response.status_code
        if got == 302 and "/login?next=" in response.headers["Location"]:
            got = LOGIN  # the guard's redirect, not the logout's own
        if endpoint == "accounts.logout" and role != "anon" and got == 302:
            login(client, user.email)  # carry on logged in
            page_token = None
        if got != want:
            failures.append(f"{endpoint}: {method} {url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)
