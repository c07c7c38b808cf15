"""A bounded schemathesis run over the OpenAPI document: no server error, no schema violation (#13, item 8).

The app is served on a local port (as `schemathesis run` would reach it) with a seeded database, an admin's
API token and ids that exist. Every operation of the document is exercised through schemathesis's example,
coverage (boundary values: NUL bytes, huge integers, lists for strings...) and fuzzing phases, with a fixed
seed and a bounded number of examples (TRAINER_FUZZ_EXAMPLES, default 20) so the run takes about a minute.

Checks, and why:
- not_a_server_error: the point of the item (the probe found 1,014 of them).
- status_code_conformance, content_type_conformance, response_headers_conformance,
  response_schema_conformance: every answer is one the document describes.
- negative_data_rejection: what the document refuses, the app refuses (400, 404, 409 or 422).
- positive_data_acceptance: what the document accepts is never refused as malformed (400). 422 is allowed:
  a JSON Schema cannot say that a unit code exists or that an end comes after its start, and the contract
  answers those with 422. For the anonymous check-in, 400/410 are the contract's answers to a token that is
  well formed but not one the server issued (token_invalid, token_expired).
- unsupported_method: a method the document does not list answers 405 with an Allow header.
The stateful phase (links between operations) is left out: it multiplies the run time and the document
declares no links.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from werkzeug.serving import make_server

from config import TestingConfig
from tests.conftest import _reset_database, database_url
from tests.factories import Factories
from trainer import create_app
from trainer.accounts.services import issue_api_token
from trainer.api.openapi import build_spec
from trainer.attendance.models import AttendanceMethod
from trainer.attendance.services import Who, check_in
from trainer.certificates.services import issue_certificates
from trainer.core import clock
from trainer.courses.services import enrol_participant
from trainer.extensions import db
from trainer.schedule.services import add_session, local_datetime

EXAMPLES = int(os.environ.get("TRAINER_FUZZ_EXAMPLES", "20"))
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
          "positive_data_acceptance", "unsupported_method")
ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]


@dataclass
class Failure:
    check: str
    operation: str
    status: int | None
    title: str
    sample: str

    def __str__(self) -> str:
        return f"{self.check} on {self.operation} ({self.status}): {self.title}\n{self.sample}"


def _seed(f: Factories) -> str:
    """Units, a course with two attended sessions, three enrolled participants with certificates; an admin's token."""
    tree = f.tree()
    admin = f.user("admin")
    course = f.course(tree["district"], f.curriculum("CT1"), start_date=date(2024, 10, 1), end_date=date(2024, 10, 3))
    sessions = [add_session(course, starts_at=local_datetime(date(2024, 10, day), time(7, 30)),
                            ends_at=local_datetime(date(2024, 10, day), time(11, 30)), actor=admin) for day in (1, 2)]
    for _ in range(3):
        person = f.participant(tree["commune"])
        enrol_participant(course, person, actor=admin)
        for course_session in sessions:
            check_in(course_session, Who(participant_id=person.id), method=AttendanceMethod.MANUAL, actor=admin,
                     now=clock.now())
    issue_certificates(course, actor=admin, local_url_ok=True)  # the server address is 127.0.0.1
    token = issue_api_token(admin)
    db.session.commit()
    return token


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory) -> Iterator[Any]:
    """The app on a free local port, seeded; the schemathesis schema of its document, authenticated."""
    tmp = tmp_path_factory.mktemp("fuzz")
    url = database_url(tmp)

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        PUBLIC_BASE_URL = "http://127.0.0.1"

    app = create_app(Config)
    app.instance_path = str(tmp / "instance")
    with app.app_context():
        _reset_database(url)
        token = _seed(Factories())
        spec = build_spec("")
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    config = SchemathesisConfig.from_dict({
        "seed": 13, "base-url": f"http://127.0.0.1:{server.server_port}",
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": EXAMPLES, "database": "none"},  # the same run every time
        "phases": {"stateful": {"enabled": False}},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS},
                   "positive_data_acceptance": {"enabled": True, "expected-statuses": ACCEPTED}},
        "operations": [{"include-path": "/api/v1/checkin", "checks": {
            "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400", "410", "429"]}}}],
    })
    try:
        yield schemathesis.openapi.from_dict(spec, config=config)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()


def _failures(event: events.ScenarioFinished) -> Iterator[Failure]:
    recorder = event.recorder
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction else None
            yield Failure(check.name, recorder.cases[case_id].value.operation.label,
                          response.status_code if response else None, check.failure_info.failure.title,
                          check.failure_info.code_sample[:800])


@pytest.mark.filterwarnings("ignore")  # hypothesis warns about large generated values; they are the point
def test_api_fuzz_no_server_error_no_schema_violation(api_schema):
    failures: list[Failure] = []
    errors: list[str] = []
    requests = 0
    for event in schemathesis.engine.from_schema(api_schema).execute():
        if isinstance(event, events.ScenarioFinished):
            requests += len(event.recorder.interactions)
            failures.extend(_failures(event))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(f"{getattr(event, 'label', '')}: {getattr(event, 'info', event)}")
    report = "\n\n".join([*map(str, failures), *errors])
    print(f"schemathesis: {requests} requests, {len(failures)} failures")  # noqa: T201 - shown with -s
    assert requests > 500, f"only {requests} requests were made"
    assert not failures and not errors, f"{len(failures)} failures, {len(errors)} errors:\n\n{report}"
