"""`flask cycle remind`: reminders e-mailed through a real (local, minimal) SMTP server."""

from __future__ import annotations

import email
import socketserver
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy

import pytest

from tests.factories import Factories
from tests.reports.conftest import Dataset
from trainer.cycle.models import SubmissionStatus
from trainer.cycle.periods import parse_period
from trainer.cycle.submissions import create_submission
from trainer.extensions import db


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to receive messages: EHLO, MAIL, RCPT, DATA, QUIT."""

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._say("220 test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 test")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.received.append((recipients, email.message_from_bytes(data, policy=policy.default)))
                recipients = []
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 OK")


@pytest.fixture
def smtp_server() -> Iterator[socketserver.TCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_remind_mails_due_and_waiting_reports(app, runner, data: Dataset, f: Factories, clock_at, smtp_server):
    clock_at.set(datetime(2024, 10, 15, 3, tzinfo=UTC))
    organizer = f.user("organizer", data.t["district2"])
    reviewer = f.user("reviewer", data.t["province"])
    submission = create_submission(f.user("admin"), data.t["district"], parse_period("2024"))
    submission.status = SubmissionStatus.SUBMITTED
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1], MAIL_SENDER="bc@trainer.vn")
    db.session.commit()
    assert runner.invoke(args=["cycle", "remind", "--dry-run"]).output.strip() == "2 reminder(s) to send"
    result = runner.invoke(args=["cycle", "remind"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 reminder(s) sent"
    received = {to[0]: message for to, message in smtp_server.received}
    assert set(received) == {organizer.email, reviewer.email}
    assert "Báo cáo năm 2024 của Huyện Yên Thế hạn ngày 30/10/2024 (còn 15 ngày)." in \
        received[organizer.email].get_content()
    assert "1 báo cáo của đơn vị trực thuộc Tỉnh Bắc Giang đang chờ duyệt." in received[reviewer.email].get_content()
    assert received[reviewer.email]["From"] == "bc@trainer.vn"


def test_remind_without_smtp_says_so(runner, data: Dataset, f: Factories, clock_at):
    clock_at.set(datetime(2024, 10, 15, 3, tzinfo=UTC))
    f.user("organizer", data.t["district2"])
    result = runner.invoke(args=["cycle", "remind"])
    assert result.exit_code != 0 and "No SMTP server configured" in result.output
