"""The application class: Flask, with sessionless views.

One request comes in bursts from strangers: the trainee check-in (`POST /api/v1/checkin`), forty
phones of a commune hall in the same minute. Its common answers are given in front of Flask
(trainer.attendance.lane); its view answers the rest, refusals included, which come in the same
bursts (a QR code that expired on the projector). The view is public and touches none of what the
app's request hooks look after: no session, no logged-in user, no CSRF token (the API is exempt),
no language choice. Marked `@sessionless`, it skips Flask's before- and after-request hooks and
the session save (measured: 0.07 ms of the 0.3 ms a check-in cost in process, a tenth of its
throughput under load). Everything else of a request still happens: routing, error handlers,
teardown (the database session is closed), signals.

A sessionless view must not use `session`, `current_user`, `g` set by a hook, or
`after_this_request`. tests/attendance/test_sessionless.py lists the app's hooks, so whoever adds one decides
whether sessionless views need it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, request
from flask.wrappers import Response

from trainer.core.permissions import public

F = TypeVar("F", bound=Callable[..., Any])


def sessionless(view: F) -> F:
    """Mark a public view that needs none of the request hooks (see the module)."""
    view.is_sessionless = True  # type: ignore[attr-defined]
    return public(view)


class Trainer(Flask):
    """Flask, skipping the request hooks for `@sessionless` views."""

    def _sessionless(self) -> bool:
        view = self.view_functions.get(request.endpoint or "")
        return getattr(view, "is_sessionless", False)

    def preprocess_request(self) -> Any:
        if self._sessionless():
            return None
        return super().preprocess_request()

    def process_response(self, response: Response) -> Response:
        if self._sessionless():
            return response
        return super().process_response(response)
