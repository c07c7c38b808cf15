"""Fixtures of the documents tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from tests.documents.helpers import COURSE
from trainer.courses.models import Course, Enrolment, EnrolmentStatus
from trainer.documents.issuers import default_issuer
from trainer.documents.roster import RosterData, RosterRow
from trainer.extensions import db
from trainer.participants.models import Participant


@pytest.fixture
def roster_of() -> Callable[..., RosterData]:
    """Build RosterData for some rows, issued on 5 January 2025 by the Tân Yên culture office."""

    def build(rows: list[RosterRow], **overrides) -> RosterData:
        """RosterData of `rows`; keyword arguments replace the defaults."""
        values = {"letterhead": default_issuer("Huyện Tân Yên", "district", "2024", date(2025, 1, 5)), "course": COURSE,
                  "rows": tuple(rows), "issued_on": date(2025, 1, 5)}
        values.update(overrides)
        return RosterData(**values)

    return build


@pytest.fixture
def enrol() -> Callable[..., Enrolment]:
    """Enrol a participant in a course (withdrawn when `withdrawn`), flushed."""

    def make(course: Course, participant: Participant, *, withdrawn: bool = False) -> Enrolment:
        """The enrolment, flushed."""
        enrolment = Enrolment(course=course, participant=participant,
                              status=EnrolmentStatus.WITHDRAWN if withdrawn else EnrolmentStatus.ENROLLED)
        db.session.add(enrolment)
        db.session.flush()
        return enrolment

    return make
