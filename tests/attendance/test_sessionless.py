"""The trainee check-in is a sessionless view (trainer.core.web): the app's request hooks and the
session save are skipped for it, and for it only."""

from __future__ import annotations

from tests.attendance.test_fastpath import _checkin, _token
from tests.conftest import login


def _name(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def test_the_hooks_a_sessionless_view_skips_are_known(app):
    # Adding a request hook? Decide whether the trainee check-in needs it. If it does, drop its
    # @sessionless; if it does not, list the hook here.
    assert {key: [_name(func) for func in funcs] for key, funcs in app.before_request_funcs.items()} == {None: [
        "flask_wtf.csrf.CSRFProtect.init_app.<locals>.csrf_protect",
        "trainer.accounts.auth.init_auth.<locals>._bearer_token_user",
        "trainer.core.permissions.install_login_guard.<locals>._guard",
        # NUL characters and API query arguments: the check-in takes no query, and json_body checks its
        # body against the OpenAPI document.
        "trainer.core.api.install_request_checks.<locals>._check_input"]}
    assert {key: [_name(func) for func in funcs] for key, funcs in app.after_request_funcs.items()} == {None: [
        "flask_login.login_manager.LoginManager._update_remember_cookie",
        "trainer.core.templating.init_templating.<locals>._remember_locale"]}
    assert not app.url_value_preprocessors and not any(app.teardown_request_funcs.values())
    sessionless = sorted(endpoint for endpoint, view in app.view_functions.items()
                         if getattr(view, "is_sessionless", False))
    assert sessionless == ["attendance_api.checkin"]


def test_a_check_in_runs_no_request_hook_and_sets_no_cookie(app, client, hall):
    calls = []
    app.before_request(lambda: calls.append("before"))
    app.after_request(lambda response: calls.append("after") or response)
    answer = _checkin(client, hall["session"], "0912345600")
    assert answer.status_code == 200 and answer.json["status"] == "checked_in"
    refused = _checkin(client, hall["session"], "0977000111")  # an error answer, through the handlers
    assert refused.status_code == 404 and refused.json["error"]["code"] == "not_enrolled"
    assert calls == []
    for response in (answer, refused):
        assert "Set-Cookie" not in response.headers and "Vary" not in response.headers
    assert client.get("/login").status_code == 200 and calls == ["before", "after"]  # other views keep them


def test_a_signed_in_organizer_checking_in_stays_signed_in(app, client, hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    login(client, organizer.email)
    answer = client.post("/api/v1/checkin", json={"token": _token(hall["session"]), "phone": "0987654321"})
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    with client.session_transaction() as cookie_session:
        assert cookie_session.get("_user_id") == str(organizer.id)
    assert client.get("/").status_code == 200
