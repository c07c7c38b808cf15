"""English as a second locale: `?lang=en`, remembered in the `lang` cookie; Vietnamese by default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

TRANSLATIONS = Path(__file__).resolve().parents[1] / "trainer" / "translations"
H1_RE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The .mo files are compiled by `make translations` (a step of `make test`), never by a test: a test
    writes nothing into the source tree. Stale or missing ones stop the run with what to do."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            pytest.fail(f"{mo_path} is missing or older than its .po: run `make translations` first")


def heading(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    match = H1_RE.search(response.get_data(as_text=True))
    assert match, "no <h1> on the page"
    return match.group(1).strip()


def test_lang_query_switches_to_english(client: FlaskClient) -> None:
    response = client.get("/login?lang=en")
    html = response.get_data(as_text=True)
    assert H1_RE.search(html).group(1).strip() == "Log in"
    assert "Đăng nhập" not in html
    assert '<html lang="en">' in html
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "en" and cookie.http_only


def test_choice_persists_through_the_cookie(client: FlaskClient) -> None:
    client.get("/login?lang=en")
    assert heading(client, "/login") == "Log in"
    client.get("/login?lang=vi")
    assert heading(client, "/login") == "Đăng nhập"


def test_vietnamese_by_default(client: FlaskClient) -> None:
    response = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.get_data(as_text=True)
    assert H1_RE.search(html).group(1).strip() == "Đăng nhập"
    assert '<html lang="vi">' in html
    assert client.get_cookie("lang") is None


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    assert heading(client, "/login?lang=fr") == "Đăng nhập"
    assert client.get_cookie("lang") is None


@pytest.mark.parametrize("po_path", sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")),
                         ids=lambda p: p.parts[-3])
def test_catalogue_is_fully_translated(po_path: Path) -> None:
    """Every entry has a translation that is not fuzzy (after `pybabel update`, new strings show up here)."""
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    entries = [m for m in catalog if m.id]
    assert entries
    untranslated = [m.id for m in entries if not (all(m.string) if m.pluralizable else m.string)]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not untranslated, f"untranslated in {po_path.name}: {untranslated}"
    assert not fuzzy, f"fuzzy (check, then drop the flag) in {po_path.name}: {fuzzy}"
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
    assert not errors, f"placeholders differ from the msgid in {po_path.name}: {errors}"


def test_english_catalogue_exists() -> None:
    assert (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").is_file()


def test_status_gender_and_level_labels_follow_the_language(client: FlaskClient, f) -> None:
    from tests.conftest import login
    from trainer.courses.models import CourseStatus

    t = f.tree()
    f.course(t["district"], title="Lớp đang học", status=CourseStatus.RUNNING)
    person = f.participant(t["commune"])
    admin = f.user("admin")
    login(client, admin.email)
    pages = {"courses": "/courses/", "person": f"/participants/{person.id}", "units": "/units/?parent=24"}
    english = {name: client.get(f"{url}{'&' if '?' in url else '?'}lang=en").get_data(as_text=True)
               for name, url in pages.items()}
    assert "In progress" in english["courses"] and "Đang học" not in english["courses"]
    assert "Female" in english["person"]
    assert "District" in english["units"] and "Quận/huyện" not in english["units"]
    vietnamese = {name: client.get(f"{url}{'&' if '?' in url else '?'}lang=vi").get_data(as_text=True)
                  for name, url in pages.items()}
    assert "Đang học" in vietnamese["courses"] and "In progress" not in vietnamese["courses"]
    assert "Nữ" in vietnamese["person"] and "Quận/huyện" in vietnamese["units"]
