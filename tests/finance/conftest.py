"""Fixtures of the finance tests: the unit tree, a district course, tokens to call the API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Factories
from trainer.accounts.services import issue_api_token


@pytest.fixture
def world(f: Factories) -> dict[str, Any]:
    """The tree, a course in Huyện Tân Yên (1-3 October 2024), a district organizer and a province reviewer."""
    t: dict[str, Any] = dict(f.tree())
    t["course"] = f.course(t["district"], title="Lớp bồi dưỡng CT1 Tân Yên")
    t["organizer"] = f.user("organizer", t["district"])
    t["reviewer"] = f.user("reviewer", t["province"])
    t["outsider"] = f.user("organizer", t["hanoi"])
    return t


@pytest.fixture
def bearer():
    """`bearer(user)`: the Authorization header of a fresh API token of `user`."""
    return lambda user: {"Authorization": f"Bearer {issue_api_token(user)}"}
