"""Fixtures of the courses tests: the world, a planned course with its modules, API callers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cached_property
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.courses.helpers import START
from tests.factories import Factories
from trainer.accounts.models import User
from trainer.accounts.services import issue_api_token
from trainer.courses.models import Course, CourseStatus
from trainer.courses.services import create_course


class World:
    """The unit tree, curriculum CT1 (2+2+2 h, commune culture officers) and a participant; users are made
    on first use (hashing their passwords is the slow part of a test)."""

    def __init__(self, f: Factories) -> None:
        """Build the tree, the curriculum and one participant."""
        self.f = f
        self.t = f.tree()
        self.curriculum = f.curriculum("CT1", hours=(2, 2, 2))
        self.curriculum.short_title = "Thông tin cơ sở"
        self.participant = f.participant(self.t["commune"])

    @cached_property
    def admin(self) -> User:
        """An administrator."""
        return self.f.user("admin")

    @cached_property
    def organizer(self) -> User:
        """Organizer of the province (Bắc Giang)."""
        return self.f.user("organizer", self.t["province"])

    @cached_property
    def district_organizer(self) -> User:
        """Organizer of Huyện Tân Yên."""
        return self.f.user("organizer", self.t["district"])

    @cached_property
    def other_organizer(self) -> User:
        """Organizer of another province (Hà Nội)."""
        return self.f.user("organizer", self.t["hanoi"])

    @cached_property
    def reviewer(self) -> User:
        """Reviewer of the province."""
        return self.f.user("reviewer", self.t["province"])


@pytest.fixture
def w(f: Factories) -> World:
    """The test world (see World)."""
    return World(f)


@pytest.fixture
def make_course(w: World) -> Callable[..., Course]:
    """Plan a course through the service (modules copied), in Huyện Tân Yên from START for three days."""

    def make(**overrides: Any) -> Course:
        """A course with `overrides`."""
        values: dict[str, Any] = {"curriculum": w.curriculum, "unit": w.t["district"], "title": "Lớp thử",
                                  "venue": "Hội trường UBND huyện", "start_date": START,
                                  "end_date": START + timedelta(days=2), "actor": w.admin,
                                  "status": CourseStatus.OPEN}
        values.update(overrides)
        return create_course(**values)

    return make


@pytest.fixture
def course(make_course: Callable[..., Course]) -> Course:
    """An open three-day course of CT1 in Huyện Tân Yên."""
    return make_course()


@pytest.fixture
def api(client: FlaskClient) -> Callable[..., Any]:
    """`api(user, method, url, json=None)`: a request authenticated by a bearer token of `user`."""
    tokens: dict[int, str] = {}

    def call(user: User, method: str, url: str, json: Any = None) -> Any:
        """One authenticated API request."""
        if user.id not in tokens:
            tokens[user.id] = issue_api_token(user)
        return client.open(url, method=method, json=json, headers={"Authorization": f"Bearer {tokens[user.id]}"})

    return call
