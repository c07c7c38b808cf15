"""The check-in's WSGI lane (trainer.attendance.lane): plain check-ins that succeed or repeat are
answered in front of Flask; everything else reaches the view, body intact."""

from __future__ import annotations

import json
import logging

import pytest
from flask import request, request_started
from sqlalchemy import func, select

from tests.attendance.test_fastpath import _token
from trainer.attendance import lane
from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.extensions import db


@pytest.fixture
def flask_requests(app):
    """The requests Flask itself dispatched (its request_started signal)."""
    seen: list[str] = []

    def started(sender, **extra):
        seen.append(request.path)

    request_started.connect(started, app)
    yield seen
    request_started.disconnect(started, app)


def test_a_check_in_that_succeeds_or_repeats_never_reaches_flask(client, hall, flask_requests):
    body = {"token": _token(hall["session"]), "phone": "0912345600"}
    first = client.post("/api/v1/checkin", json=body)
    again = client.post("/api/v1/checkin", json=body)
    assert (first.status_code, first.json["status"]) == (200, "checked_in")
    assert (again.status_code, again.json["status"]) == (200, "already_checked_in")
    assert flask_requests == []
    assert first.headers["Content-Type"] == "application/json"
    assert int(first.headers["Content-Length"]) == len(first.data) and first.data.endswith(b"}\n")
    assert "Set-Cookie" not in first.headers


def test_a_refusal_goes_on_to_flask_which_stores_it(client, hall, flask_requests):
    refused = client.post("/api/v1/checkin", json={"token": _token(hall["session"]), "phone": "0977000111"})
    assert refused.status_code == 404 and refused.json["error"]["code"] == "not_enrolled"
    assert flask_requests == ["/api/v1/checkin"]
    assert db.session.scalar(select(CheckinAttempt.reason)) == "not_enrolled"


def test_bodies_the_lane_does_not_take_are_answered_by_the_view(client, hall, flask_requests):
    token = _token(hall["session"])
    padded = client.post("/api/v1/checkin", json={"token": token, "phone": "0912345600",
                                                  "note": "x" * lane.MAX_BODY})
    assert padded.status_code == 200 and padded.json["status"] == "checked_in"
    # A chunked upload: no Content-Length, the server marks the input as ending by itself.
    streamed = client.post("/api/v1/checkin", json={"token": token, "phone": "0987654321"},
                           environ_overrides={"CONTENT_LENGTH": "", "wsgi.input_terminated": True})
    assert streamed.status_code == 200 and streamed.json["status"] == "checked_in"
    assert flask_requests == ["/api/v1/checkin", "/api/v1/checkin"]
    for bad in (b"{not json", b"[1, 2]", b"\xff\xfe\x00"):
        answer = client.post("/api/v1/checkin", data=bad, content_type="application/json")
        assert answer.status_code == 400 and answer.json["error"]["code"] == "malformed_json"
    typed = client.post("/api/v1/checkin", data=json.dumps({"token": token, "phone": "0355555555"}),
                        content_type="text/plain")
    assert typed.status_code == 400 and typed.json["error"]["code"] == "malformed_json"
    no_token = client.post("/api/v1/checkin", json={"token": 5, "phone": "0355555555"})
    assert no_token.status_code == 400 and no_token.json["error"]["code"] == "token_invalid"
    assert db.session.scalar(select(func.count()).select_from(AttendanceRecord)) == 2


def test_an_error_in_the_lane_is_logged_without_personal_data_and_the_view_answers(
        client, hall, monkeypatch, caplog, flask_requests):
    def broken(token, *, phone, participant_code, now):
        raise RuntimeError(f"cannot check in {phone}")

    monkeypatch.setattr(lane, "quick_checkin", broken)
    with caplog.at_level(logging.WARNING):
        answer = client.post("/api/v1/checkin", json={"token": _token(hall["session"]), "phone": "0912345600"})
    assert answer.status_code == 200 and answer.json["status"] == "checked_in"
    assert flask_requests == ["/api/v1/checkin"]
    assert "RuntimeError" in caplog.text and "0912345600" not in caplog.text

