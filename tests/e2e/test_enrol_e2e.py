"""In a real browser: ticks on the enrol page survive a new search, a running count says how many are chosen,
and one click enrols them all; without JavaScript too (the search posts the ticks along)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from trainer.courses.models import Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant

pytestmark = pytest.mark.e2e


@pytest.fixture
def officers(running_class: dict[str, Any], f: Factories) -> dict[str, Any]:
    """`running_class` plus three more officers of the commune, not enrolled, with a common given name."""
    commune = running_class["tree"]["commune"]
    for name in ("Hoàng Văn Bình", "Đỗ Thị Bình", "Vũ Minh Bình"):
        f.participant(commune, full_name=name)
    db.session.commit()
    return running_class


def _enrolled_names(course_id: int) -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Participant.full_name).join(Enrolment).where(
        Enrolment.course_id == course_id, Enrolment.status == EnrolmentStatus.ENROLLED)))


def _row(page: Page, name: str):
    return page.locator("#enrol-form tbody tr", has_text=name).locator("input.pick")


def test_ticks_survive_a_new_search_and_the_count_follows(page: Page, officers) -> None:
    course = officers["course"]
    log_in(page, officers["organizer"].email, PASSWORD)
    page.goto(f"/courses/{course.id}/enrol")
    expect(page.locator("#chosen-status")).to_have_text("Đã chọn 0 người")
    _row(page, "Lê Thị Ngọc Ánh").check()
    _row(page, "Phạm Đức Thắng").check()
    expect(page.locator("#chosen-status")).to_have_text("Đã chọn 2 người")
    expect(page.locator("#chosen li")).to_have_count(2)

    page.get_by_label("Tìm học viên").fill("binh")
    page.get_by_label("Tìm học viên").press("Enter")
    expect(page.locator("#enrol-form tbody tr")).to_have_count(3)  # the three Bình
    expect(page.locator("#chosen")).to_contain_text("Lê Thị Ngọc Ánh")
    expect(page.locator("#chosen")).to_contain_text("Phạm Đức Thắng")
    expect(page.locator("#chosen-status")).to_have_text("Đã chọn 2 người")
    _row(page, "Đỗ Thị Bình").check()
    expect(page.locator("#chosen-status")).to_have_text("Đã chọn 3 người")
    expect(page.locator("#chosen h2")).to_have_text("Đã chọn (3)")

    # unticked in the list: no longer chosen; ticked again: chosen again
    page.locator("#chosen li", has_text="Phạm Đức Thắng").locator("input").uncheck()
    expect(page.locator("#chosen-status")).to_have_text("Đã chọn 2 người")
    page.locator("#chosen li", has_text="Phạm Đức Thắng").locator("input").check()
    page.locator("#chosen li", has_text="Đỗ Thị Bình").locator("input").click()  # a result's mirror: gone
    expect(_row(page, "Đỗ Thị Bình")).not_to_be_checked()
    expect(page.locator("#chosen li")).to_have_count(2)
    _row(page, "Đỗ Thị Bình").check()
    expect(page.locator("#chosen-status")).to_have_text("Đã chọn 3 người")

    page.get_by_role("button", name="Ghi danh những người đã chọn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi danh 3 học viên.")
    assert _enrolled_names(course.id) == {"Nguyễn Thị Hằng", "Trần Văn Ước", "Lê Thị Ngọc Ánh", "Phạm Đức Thắng",
                                          "Đỗ Thị Bình"}


@pytest.fixture
def page_without_js(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="vi-VN", java_script_enabled=False,
                                  viewport={"width": 360, "height": 740})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_without_javascript_the_search_carries_the_ticks(page_without_js: Page, officers) -> None:
    page, course = page_without_js, officers["course"]
    log_in(page, officers["organizer"].email, PASSWORD)
    page.goto(f"/courses/{course.id}/enrol")
    _row(page, "Lê Thị Ngọc Ánh").check()
    page.get_by_label("Tìm học viên").fill("binh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator("#chosen-status")).to_have_text("Đã chọn 1 người")
    expect(page.locator("#chosen li input")).to_be_checked()
    _row(page, "Vũ Minh Bình").check()
    page.get_by_role("button", name="Ghi danh những người đã chọn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi danh 2 học viên.")
    assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id)) == 4
    assert {"Lê Thị Ngọc Ánh", "Vũ Minh Bình"} <= _enrolled_names(course.id)
