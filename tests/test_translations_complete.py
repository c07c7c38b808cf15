"""Every interface string has English: (a) each msgid the code and templates mark has a non-fuzzy English
msgstr; (b) the pages, asked for with ?lang=en, show no Vietnamese outside the data they display; (c) hours
are written 3.5 in English and 3,5 in Vietnamese.

Data (names of people, units, courses, curricula, venues...) may be Vietnamese on an English page: the
test collects every text value stored in the database, and the proper nouns of the ethnic groups' list,
and takes them out of the page before looking for Vietnamese letters.
Exempt by design, not checked here: PDF and XLSX files (administrative documents, Vietnamese by law),
the API's JSON (its contract says messages are Vietnamese), the CLI and logs.
"""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import refresh
from sqlalchemy import String, Text, select

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from tests.participants.helpers import row, workbook_bytes
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.certificates.services import issue_certificates, revoke_certificate
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.participants.ethnicity import ETHNIC_GROUPS
from trainer.schedule.models import CourseSession

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "trainer" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# The keywords of `make translations`' extraction (babel's defaults, N_ included, and _l).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "lazy_ngettext": (1, 2),
            "N_": None, "_l": None, "pgettext": ((1, "c"), 2)}
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                        r"ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]")
# Pages that are files or JSON (documents stay Vietnamese), need a signed link, or are tested elsewhere.
SKIPPED_ENDPOINTS = {"static", "bootstrap.static", "public.scan", "public.material", "materials.download",
                     "attendance.live", "accounts.logout", "certificates_public.verify"}
# Vietnamese that stays on an English page: the language switcher names Vietnamese in Vietnamese, and legal
# documents are cited by their numbers (Decree 30/2020/NĐ-CP, Decision 1288/QĐ-TTg).
# The import's error file is a Vietnamese document: the English page names its column as it is written there.
ALLOWED = re.compile(r"Tiếng Việt|“Lỗi”|\b\d+/(?:\d{4}/)?[A-ZĐ]+(?:-[A-ZĐ]+)*")
FILE_SUFFIXES = (".pdf", ".xlsx", ".zip", ".json")


def _extracted_messages() -> dict[str, tuple[str, int]]:
    """msgid → (file, line) of every string the code and templates mark, extracted as `make translations` does."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, tuple[str, int]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid if context is None else f"{context}\x04{msgid}", (filename, lineno))
    return found


def test_every_marked_string_has_english() -> None:
    """(a) Each msgid extracted from trainer/ (code and templates) has a non-empty, non-fuzzy English msgstr."""
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    missing = []
    for key, (filename, lineno) in sorted(_extracted_messages().items(), key=lambda kv: kv[1]):
        context, _, msgid = key.rpartition("\x04")
        entry = catalogue.get(msgid, context or None)
        strings = (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ("",)
        if entry is None or entry.fuzzy or not all(strings):
            state = "missing" if entry is None else "fuzzy" if entry.fuzzy else "empty msgstr"
            missing.append(f"{filename}:{lineno}: {state}: {msgid!r}")
    assert not missing, ("strings without English (append msgid/msgstr at the end of messages.po, then "
                         "`make translations`):\n" + "\n".join(missing))


@pytest.fixture
def seeded(app, f: Factories):
    """A finished course of 11.5 scheduled hours (4 + 3.5 + 4) and no planned modules: two trainees
    complete it, one falls 5.2 hours short; certificates issued, one revoked; an organizer and an admin."""
    app.config["PUBLIC_BASE_URL"] = "https://trainer.example.vn"
    t = f.tree()
    course = f.course(t["district"], title="Lớp bồi dưỡng thông tin cơ sở năm 2024", venue="Hội trường UBND huyện",
                      start_date=date(2024, 10, 1), end_date=date(2024, 10, 2))
    sessions = []
    for i, (start, hours) in enumerate(((datetime(2024, 10, 1, 0, 30), 4), (datetime(2024, 10, 1, 6, 30), 3.5),
                                        (datetime(2024, 10, 2, 0, 30), 4))):
        start = start.replace(tzinfo=UTC)
        sessions.append(CourseSession(course=course, title=f"Buổi học thứ {i + 1}", starts_at=start,
                                      ends_at=start + timedelta(hours=hours), hours=Decimal(str(hours))))
    db.session.add_all(sessions)
    people = [f.participant(t["commune"], full_name="Nguyễn Thị Hằng", birth_date=date(1985, 3, 15),
                            position="Công chức Văn hóa - Xã hội"),
              f.participant(t["commune_b"], full_name="Đặng Văn Ước", birth_date=date(1979, 1, 2)),
              f.participant(t["commune"], full_name="Lò Thị Mai")]
    for person in people:
        db.session.add(Enrolment(course=course, participant=person))
    db.session.flush()
    for person, attended in zip(people, (sessions, sessions, sessions[:1]), strict=True):
        for s in attended:
            db.session.add(AttendanceRecord(course_session_id=s.id, participant_id=person.id,
                                            checked_in_at=s.starts_at, method=AttendanceMethod.QR))
    db.session.flush()
    clashing = f.course(t["district"], title="Lớp tập huấn kỹ năng truyền thông", venue=course.venue,
                        start_date=date(2024, 10, 1), end_date=date(2024, 10, 1))
    db.session.add(CourseSession(course=clashing, title="Buổi trùng giờ", starts_at=sessions[0].starts_at,
                                 ends_at=sessions[0].ends_at, hours=Decimal(4)))
    organizer = f.user("organizer", t["district"])
    admin = f.user("admin")
    issued = issue_certificates(course, actor=organizer, today=date(2024, 10, 3)).issued
    revoke_certificate(issued[1], reason="Cấp nhầm người", actor=organizer)
    db.session.commit()
    return {"tree": t, "course": course, "sessions": sessions, "people": people, "organizer": organizer,
            "admin": admin, "certificates": issued}


def _data_values() -> list[str]:
    """Every text stored in the database (names, titles, venues, reasons...), longest first, and the ethnic
    groups' names: data, which an English page shows as it is."""
    values: set[str] = set(ETHNIC_GROUPS)
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if columns:
            for row in db.session.execute(select(*columns)):
                values.update(v for v in row if isinstance(v, str) and VIETNAMESE.search(v))
    return sorted(values, key=len, reverse=True)


def _interface_text(page: str, data: list[str]) -> list[str]:
    """The page's texts a person reads (text nodes and placeholder/title/alt/aria-label/value attributes),
    the data taken out."""
    page = re.sub(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->", " ", page, flags=re.S | re.I)
    texts = re.findall(r'\b(?:placeholder|title|alt|aria-label|data-confirm)="([^"]*)"', page)
    texts += re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page)
    texts += re.split(r"<[^>]+>", page)
    result = []
    for text in texts:
        text = html_lib.unescape(text)
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        text = " ".join(ALLOWED.sub(" ", text).split())
        if text:
            result.append(text)
    return result


def _urls(app, seeded) -> list[str]:
    """The HTML pages to read (GET routes, their ids taken from the seeded data)."""
    ids = {"course_id": seeded["course"].id, "participant_id": seeded["people"][2].id,
           "session_id": seeded["sessions"][0].id, "code": seeded["course"].curriculum.code,
           "user_id": seeded["organizer"].id, "module_id": seeded["course"].curriculum.modules[0].id,
           "material_id": 1}
    urls = []
    for rule in app.url_map.iter_rules():
        if ("GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS or rule.rule.startswith("/api")
                or rule.rule.endswith(FILE_SUFFIXES)):
            continue
        if any(arg not in ids for arg in rule.arguments):
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(ids[arg]), url)
        urls.append(url)
    return sorted(set(urls))


def _english_page(client, url: str) -> str | None:
    response = client.get(f"{url}{'&' if '?' in url else '?'}lang=en")
    if response.status_code in (301, 302, 403, 404, 405) or response.mimetype != "text/html":
        return None
    return response.get_data(as_text=True)


def _vietnamese_left(client, urls: list[str], data: list[str]) -> list[str]:
    found = []
    for url in urls:
        page = _english_page(client, url)
        if page is None:
            continue
        if 'lang="en"' not in page:
            found.append(f"{url}: <html lang> is not en")
        found += [f"{url}: {text!r}" for text in _interface_text(page, data) if VIETNAMESE.search(text)]
    return found


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_staff_pages_in_english_have_no_vietnamese(app, client, seeded, role) -> None:
    """(b) Every staff page (as organizer, then as admin), on a course with a register, certificates (one
    revoked) and a shortfall: nothing Vietnamese in English but the data."""
    login(client, seeded[role].email)
    data = _data_values()
    urls = _urls(app, seeded)
    extra = [f"/participants/{p.id}" for p in seeded["people"]] + [
        f"/courses/{seeded['course'].id}/register", "/participants/?q=Nguyen", "/schedule/?date=2024-10-01",
        "/schedule/?view=month&date=2024-10-01", "/reports/?year=2024", "/reports/?year=2024&half=2",
        "/reports/?from=2024-10-01&to=2024-10-31", "/reports/?year=1890", "/reports/?from=2024-13-01"]
    assert f"/courses/{seeded['course'].id}" in urls and "/participants/import" in urls
    found = _vietnamese_left(client, urls + extra, data)
    calendar = client.get("/schedule/?date=2024-10-01&lang=en").get_data(as_text=True)
    assert "Scheduling conflicts (1)" in calendar, "the seeded clash is not on the calendar"
    assert "The year must be a number from" in client.get("/reports/?year=1890&lang=en").get_data(as_text=True)
    assert not found, "Vietnamese on English pages (page: text):\n" + "\n".join(found)


def test_public_pages_in_english_have_no_vietnamese(client, seeded) -> None:
    """(b) The login page, /me, /c and /verify (valid, revoked, unknown code): English but the data."""
    data = _data_values()
    valid, revoked = seeded["certificates"][0].code, seeded["certificates"][1].code
    urls = ["/login", "/me", "/c", f"/verify/{valid}", f"/verify/{revoked}", "/verify/NO-SUCH-CODE",
            "/verify/ABCDEFGHJKMN"]
    pages = {url: client.get(f"{url}?lang=en") for url in urls}
    assert "Certificate is valid" in pages[f"/verify/{valid}"].get_data(as_text=True)
    assert "revoked" in pages[f"/verify/{revoked}"].get_data(as_text=True)
    assert pages["/verify/NO-SUCH-CODE"].status_code == 400 and pages["/verify/ABCDEFGHJKMN"].status_code == 404
    found = [f"{url}: {text!r}" for url, response in pages.items()
             for text in _interface_text(response.get_data(as_text=True), data) if VIETNAMESE.search(text)]
    assert not found, "Vietnamese on English pages (page: text):\n" + "\n".join(found)


def test_hours_follow_the_language(client, seeded) -> None:
    """(c) 11.5 scheduled hours and a 5.2-hour shortfall: '.' in English, ',' in Vietnamese, on the course,
    its register, timetable and completion list, in sentences too (the scheduled-hours warning)."""
    login(client, seeded["organizer"].email)
    course_id = seeded["course"].id
    for url in (f"/courses/{course_id}", f"/courses/{course_id}/register"):
        english = client.get(f"{url}?lang=en").get_data(as_text=True)
        vietnamese = client.get(f"{url}?lang=vi").get_data(as_text=True)
        assert "11.5" in english and "11,5" not in english, url
        assert "11,5" in vietnamese and "11.5" not in vietnamese, url
    completion = client.get(f"/courses/{course_id}/certificates?lang=en").get_data(as_text=True)
    assert "5.2 hours short: attended 4/11.5 hours (35%), 80% required." in completion
    assert "Thiếu 5,2 giờ: đã học 4/11,5 giờ" in client.get(f"/courses/{course_id}/certificates?lang=vi").get_data(
        as_text=True)
    course_page = html_lib.unescape(client.get(f"/courses/{course_id}?lang=en").get_data(as_text=True))
    assert "The scheduled hours (11.5 h) differ from the curriculum's (0 h)." in course_page
    assert re.search(r"\b3\.5\b", course_page) and not re.search(r"\b\d+,\d\b", course_page)


def _upload(client, data: bytes, name: str, lang: str = "en"):
    token = csrf_token_from(client.get(f"/participants/import?lang={lang}").get_data(as_text=True))
    return client.post("/participants/import", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_import_errors_in_english(client, seeded) -> None:
    """(b) The import page's row errors and file errors, asked for in English: no Vietnamese but the file's data."""
    login(client, seeded["organizer"].email)
    person = seeded["people"][0]
    rows = [row(), row(birth_date="31/02/1990", unit="99999"), row(gender="", phone="12345"),
            row(full_name="Trần Văn Khác", phone=person.phone), row(target_group="Không có nhóm này"),
            row(phone="0912999999"), row(phone="0912999999"), row(ethnicity="")]
    response = _upload(client, workbook_bytes(rows), "danh-sach.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "does not exist: day 31, month 2, year 1990" in page
    for message in ("The gender is missing.", "There is no unit “99999” in the list", "Invalid phone number",
                    "The phone number is also on row(s) 8 of the file.", "This target group is not in the list",
                    "The ethnic group is missing.", "<td>Date of birth</td>"):
        assert message in html_lib.unescape(page), message
    data = _data_values() + sorted({str(v) for r in rows for v in r if isinstance(v, str) and v}, key=len, reverse=True)
    found = [text for text in _interface_text(page, data) if VIETNAMESE.search(text)]
    bad_file = _upload(client, b"ho ten,gioi tinh\n", "danh-sach.csv").get_data(as_text=True)
    assert "The file is CSV (or plain text) renamed to .xlsx" in bad_file
    found += [text for text in _interface_text(bad_file, data) if VIETNAMESE.search(text)]
    no_header = _upload(client, workbook_bytes([["a", "b"]], headers=["x", "y"]), "danh-sach.xlsx")
    assert "columns needed: Full name, Gender" in no_header.get_data(as_text=True)
    found += [text for text in _interface_text(no_header.get_data(as_text=True), data) if VIETNAMESE.search(text)]
    assert not found, "Vietnamese on the English import page:\n" + "\n".join(found)
    vietnamese = html_lib.unescape(_upload(client, workbook_bytes(rows), "danh-sach.xlsx", "vi").get_data(as_text=True))
    assert "Ngày sinh không có thật: ngày 31, tháng 2, năm 1990." in vietnamese and "<td>Ngày sinh</td>" in vietnamese
    assert "Số điện thoại trùng với dòng 8 trong tệp." in vietnamese


def test_refusals_in_english(client, seeded) -> None:
    """(b) Messages the services raise, shown on English pages: a wrong login, a wrong /me sign-in, and the
    lock after too many of them (with its wait)."""
    page = client.get("/login?lang=en").get_data(as_text=True)
    wrong = client.post("/login", data={"csrf_token": csrf_token_from(page), "email": seeded["organizer"].email,
                                        "password": "not the password at all"}).get_data(as_text=True)
    assert "Wrong email or password." in wrong
    me = client.get("/me?lang=en").get_data(as_text=True)
    answers = [client.post("/me", data={"csrf_token": csrf_token_from(me), "phone": "0912000000", "code": "WRONG1"})
               for _ in range(11)]
    assert "Wrong phone number or personal code." in answers[0].get_data(as_text=True)
    locked = html_lib.unescape(answers[-1].get_data(as_text=True))
    assert answers[-1].status_code == 429 and "Wrong entries too many times. Please try again in" in locked
    found = [text for response in (wrong, answers[0].get_data(as_text=True), locked)
             for text in _interface_text(response, _data_values()) if VIETNAMESE.search(text)]
    assert not found, "Vietnamese on English pages:\n" + "\n".join(found)


def test_a_message_keeps_its_vietnamese_and_speaks_the_page_language(app) -> None:
    """A refusal's `message` (the API's, the documents') stays Vietnamese; `said()` is the page's language, its
    numbers and the labels placed in it included."""
    from trainer.core.errors import N_, ValidationError
    from trainer.core.text import clean_text
    from trainer.participants.excel.package import bad_file, thousands

    with pytest.raises(ValidationError) as hidden:
        clean_text("Hằng\u200b", "full_name", 120, label=N_("họ và tên"))
    big = bad_file("too_many_rows", N_("Tệp có quá %(max)s người (dòng dữ liệu); hãy chia danh sách thành nhiều tệp."),
                   max=thousands(10_100))
    assert hidden.value.message.startswith("Họ và tên có ký tự ẩn hoặc ký tự điều khiển (U+200B, ở vị trí 5).")
    assert big.message == big.fields["file"] == ("Tệp có quá 10.100 người (dòng dữ liệu); hãy chia danh sách thành "
                                                 "nhiều tệp.")
    with app.test_request_context("/?lang=en"):
        refresh()  # the locale is cached on the test's app context, shared by both requests
        assert hidden.value.said().startswith("Full name has a hidden or control character (U+200B, at position 5).")
        assert hidden.value.said_field("full_name") == hidden.value.said()
        assert big.said() == "The file has more than 10,100 people (data rows); split the list into several files."
        assert big.message.startswith("Tệp có quá 10.100 người")
    with app.test_request_context("/?lang=vi"):
        refresh()
        assert big.said() == big.message and hidden.value.said() == hidden.value.message
