"""In a real browser: an organizer logs in and reads the four curricula of Decision 1288/QĐ-BTTTT."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, Factories
from trainer.accounts.models import Role
from trainer.curricula.services import seed_curricula
from trainer.extensions import db

pytestmark = pytest.mark.e2e

CURRICULA_DIR = Path(__file__).resolve().parents[2] / "materials" / "curricula"
CT1_TITLE_START = ("Chương trình bồi dưỡng kiến thức, kỹ năng chuyên môn, nghiệp vụ thông tin cơ sở cho công chức "
                   "văn hóa - xã hội cấp xã")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.locator("form button[type=submit]").click()


def test_organizer_logs_in_and_reads_the_four_curricula(page: Page, f: Factories) -> None:
    district = f.tree()["district"]
    organizer = f.user(Role.ORGANIZER, district)
    seed_curricula(CURRICULA_DIR)
    db.session.commit()
    expected = {}
    for path in sorted(CURRICULA_DIR.glob("CT*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        expected[data["code"]] = nfc(data["title"])
    assert list(expected) == ["CT1", "CT2", "CT3", "CT4"]
    assert expected["CT1"].startswith(nfc(CT1_TITLE_START))

    log_in(page, organizer.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text("Tổ chức bồi dưỡng")

    page.get_by_role("link", name="Chương trình", exact=True).click()
    expect(page).to_have_url(re.compile(r"/curricula/$"))
    items = page.locator(".curriculum")
    expect(items).to_have_count(4)
    titles = [nfc(t) for t in page.locator(".curriculum .curriculum-title").all_inner_texts()]
    assert titles == list(expected.values())

    items.filter(has_text="CT1").first.click()
    expect(page).to_have_url(re.compile(r"/curricula/CT1$"))
    expect(page.locator("h1")).to_contain_text(expected["CT1"][:40])
    expect(page.locator("#modules tbody tr")).to_have_count(7)
    expect(page.locator("#modules tfoot th.num")).to_have_text("14")


def test_wrong_password_stays_on_login_with_vietnamese_error(page: Page, f: Factories) -> None:
    organizer = f.user(Role.ORGANIZER, f.tree()["district"])
    db.session.commit()

    log_in(page, organizer.email, "not the password")
    expect(page.get_by_text("Email hoặc mật khẩu không đúng.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_label("Email")).to_have_value(organizer.email)
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
