"""Fixtures of the participants tests: a world of units, users of every role and scope, API headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import Factories
from trainer.accounts.services import issue_api_token
from trainer.core.text import fold
from trainer.participants.models import Gender


@pytest.fixture
def world(f: Factories) -> dict[str, Any]:
    """The unit tree, one user per role and scope, and a participant of Thị trấn Nhã Nam."""
    t = f.tree()
    return {**t, "admin": f.user("admin"), "org_district": f.user("organizer", t["district"]),
            "org_province": f.user("organizer", t["province"]), "org_hanoi": f.user("organizer", t["hanoi"]),
            "reviewer": f.user("reviewer", t["district"]), "reviewer_hanoi": f.user("reviewer", t["hanoi"]),
            "person": f.participant(t["commune"], full_name="Trần Văn Bình", name_search=fold("Trần Văn Bình"),
                                    gender=Gender.MALE, phone="0987000001")}


@pytest.fixture
def auth() -> Callable[[Any], dict[str, str]]:
    """Bearer headers of a user."""
    return lambda user: {"Authorization": f"Bearer {issue_api_token(user)}"}
