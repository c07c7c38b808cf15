"""The trainee's pages (/c, /me) speak English with ?lang=en, numbers included; Vietnamese by default."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.attendance.conftest import hall  # noqa: F401 - the running session of the check-in tests
from tests.conftest import csrf_token_from
from trainer.attendance.tokens import make_token
from trainer.core import clock

VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def _visible(html: str, *data: str) -> str:
    """The page's interface text: tags, the style block and the data the test put there taken out."""
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    for value in data:
        text = text.replace(value, " ")
    return text


def _token(course_session) -> str:
    return make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                      clock.now())[1]


def test_the_check_in_pages_in_english(client, hall):  # noqa: F811
    data = ("Lớp bồi dưỡng thông tin cơ sở 2024", "Buổi sáng ngày 1", "Nguyễn Thị Hằng", hall["course"].venue)
    token = _token(hall["session"])
    page = client.get(f"/c/{token}?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page and "Registered phone number" in page
    assert not VIETNAMESE.search(_visible(page, *data)), _visible(page, *data)
    grace = page.split('name="grace" value="')[1].split('"')[0]
    done = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace,
                                            "phone": "0912345600"}).get_data(as_text=True)
    assert "Checked in." in done and not VIETNAMESE.search(_visible(done, *data))
    refused = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace,
                                               "phone": "0900000000"}).get_data(as_text=True)
    assert "This phone number is not on the course" in refused and not VIETNAMESE.search(_visible(refused, *data))
    code_page = client.get("/c").get_data(as_text=True)
    assert "The 8-digit code on the screen" in code_page and not VIETNAMESE.search(_visible(code_page))


def test_a_closed_session_says_so_in_english_with_its_time(client, hall, clock_at):  # noqa: F811
    token = _token(hall["session"])
    clock_at.set(hall["session"].ends_at + timedelta(minutes=1))
    over = client.get(f"/c/{_token(hall['session'])}?lang=en").get_data(as_text=True)
    assert "Check-in for this session is over (it ended at" in over
    assert token  # the earlier token is not needed: the page is drawn from the session's own


def test_the_trainee_page_in_english_with_english_numbers(client, hall):  # noqa: F811
    me = client.get("/me?lang=en").get_data(as_text=True)
    assert "Personal code" in me and not VIETNAMESE.search(_visible(me))
    token = _token(hall["session"])
    page = client.get(f"/c/{token}").get_data(as_text=True)
    grace = page.split('name="grace" value="')[1].split('"')[0]
    client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace, "phone": "0912345600"})
    mine = client.get("/me").get_data(as_text=True)  # the language chosen above is remembered
    hours = f"{hall['session'].hours.normalize():f}"
    assert f"{hours} hours attended" in mine
    assert "," not in hours or "." in hours
    vietnamese = client.get("/me?lang=vi").get_data(as_text=True)
    assert f"Đã học {hours.replace('.', ',')} giờ" in vietnamese
