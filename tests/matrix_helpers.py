"""Expectations shared by the role × scope matrix fragments (tests/<domain>/matrix.py).

Roles: anonymous; admin; organizer and reviewer scoped to the province that owns the world's
objects ("in") or to another province ("out"). A fragment's MATRIX maps each endpoint to
(method, url or url(world), body or body(world), {role: expected status}); `LOGIN` is the
guard's redirect to the login page. Its optional `build(world, f)` adds objects to the world
(which already holds the unit tree, curriculum "CT1", a "course" in Huyện Tân Yên and a
"participant" of Thị trấn Nhã Nam, enrolled in it).
"""

from __future__ import annotations

ROLES = ("anon", "admin", "organizer_in", "organizer_out", "reviewer_in", "reviewer_out")
LOGIN = "login"
Expect = dict[str, int | str]


def anon_status(api: bool) -> int | str:
    """What an anonymous caller gets: 401 from the API, the login redirect from a page."""
    return 401 if api else LOGIN


def all_staff(ok: int = 200, *, api: bool = False) -> Expect:
    """Any logged-in user, whatever their scope."""
    return {"anon": anon_status(api), **{role: ok for role in ROLES[1:]}}


def only_admin(ok: int = 200, *, api: bool = False, other: int = 403) -> Expect:
    """Administrators only."""
    return {"anon": anon_status(api), "admin": ok, **{role: other for role in ROLES[2:]}}


def scoped_view(ok: int = 200, *, api: bool = False) -> Expect:
    """Viewing one object: its subtree's organizers and reviewers; 404 hides it from others."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": ok, "organizer_out": 404,
            "reviewer_in": ok, "reviewer_out": 404}


def scoped_manage(ok: int = 200, *, api: bool = False) -> Expect:
    """Changing one object: its subtree's organizers; reviewers may look but not touch (403)."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": ok, "organizer_out": 404,
            "reviewer_in": 403, "reviewer_out": 404}


def organizers(ok: int = 200, *, api: bool = False) -> Expect:
    """Creating something in one's own scope (lists of choices are scoped): organizers and admins."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": ok, "organizer_out": ok,
            "reviewer_in": 403, "reviewer_out": 403}
