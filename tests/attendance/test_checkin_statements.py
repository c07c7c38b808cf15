"""The trainee's check-in flow sends a fixed, small number of SQL statements, whatever the class's size."""

from __future__ import annotations

from tests.attendance.test_checkin_web import _token
from tests.conftest import csrf_token_from
from tests.sql import count_statements
from trainer.courses.models import Enrolment
from trainer.extensions import db


def _flow(client, token: str, phone: str) -> tuple[list[str], list[str]]:
    """The statements of the page a QR opens, and of sending the phone form from it."""
    with count_statements() as page_statements:
        page = client.get(f"/c/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    grace = html.split('name="grace" value="')[1].split('"')[0]
    with count_statements() as post_statements:
        done = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(html), "grace": grace, "phone": phone})
    assert 'data-code="checked_in"' in done.get_data(as_text=True)
    return page_statements, post_statements


def test_the_trainee_flow_makes_the_same_few_statements_for_3_or_300_people(app, hall, f):
    small = _flow(app.test_client(), _token(hall["session"]), "0912345600")
    for i in range(300):
        db.session.add(Enrolment(course=hall["course"], participant=f.participant(hall["tree"]["commune"],
                                                                                  phone=f"0966{i:06d}")))
    db.session.commit()
    large = _flow(app.test_client(), _token(hall["session"]), "0966000150")  # another phone
    assert [len(s) for s in large] == [len(s) for s in small]
    page, post = small
    assert len(page) <= 2, page  # the session with its course; the class's materials
    assert len(post) <= 4, post  # the session, the client's failures, the person, the insert
