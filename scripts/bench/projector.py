"""The projector's poll: bytes on the wire per poll of `live.json`, measured as a browser polls.

The projector page polls `GET /sessions/<id>/live.json?qr=<token shown>` every 3 s with `cache: 'no-cache'`:
the browser keeps the last answer of each URL with its ETag and asks again with If-None-Match, so an
unchanged state costs a 304 with no body. A new token (every CHECKIN_QR_ROTATE seconds, or at once when
the codes are revoked) brings the QR's SVG once; the page then polls with the new token in the URL, which
the browser has no answer for yet, so that poll is a 200 without the QR, and the following ones are 304s.

Bytes are counted as received on the socket: the answer's status line, headers and body (what the
projector downloads; the issue's "11 KB every 3 s" counted the same). The request, mostly the organizer's
session cookie, is counted apart.
"""

from __future__ import annotations

import json
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

POLL_SECONDS = 3  # the projector page's poll interval (attendance/projector.html)
ROTATE_SECONDS = 30  # CHECKIN_QR_ROTATE's default: a new token, and so a new QR, this often
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Answer:
    """One HTTP exchange: status, headers (lower-case names; Set-Cookie as a list), body, bytes each way."""

    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes
    sent: int
    received: int

    @property
    def total(self) -> int:
        """Bytes both ways."""
        return self.sent + self.received


def exchange(port: int, method: str, path: str, headers: dict[str, str] | None = None,
             body: bytes = b"") -> Answer:
    """One request on a new connection to 127.0.0.1:port, read to the end (gunicorn closes it)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "User-Agent: Mozilla/5.0 (projector)",
             "Accept: */*", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, str] = {}
    cookies = []
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            cookies.append(value.strip())
        parsed[name.lower()] = value.strip()
    return Answer(int(status_line.split()[1]), parsed, cookies, content, len(request), len(raw))


@dataclass
class Browser:
    """Cookies and an HTTP cache of ETags by URL, as a browser keeps them for `fetch(..., {cache: 'no-cache'})`."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    etags: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def request(self, method: str, path: str, *, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        """Send a request with the cookies; keep the cookies it sets."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = exchange(self.port, method, path, headers, body)
        for cookie in answer.cookies:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return answer

    def log_in(self, email: str, password: str) -> None:
        """Sign in through the login form; RuntimeError when that fails."""
        page = self.request("GET", "/login")
        match = CSRF_RE.search(page.body.decode())
        if match is None:
            raise RuntimeError(f"no CSRF token on the login page (HTTP {page.status})")
        answer = self.request("POST", "/login", form={"email": email, "password": password,
                                                      "csrf_token": match.group(1)})
        if answer.status != 302:
            raise RuntimeError(f"the bench organizer could not sign in (HTTP {answer.status})")

    def poll(self, path: str) -> tuple[Answer, dict]:
        """One poll as `fetch(path, {cache: 'no-cache'})`: revalidate with the ETag of this URL's last answer;
        the state is the new body, or the cached one on a 304."""
        cached = self.etags.get(path)
        answer = self.request("GET", path, headers={"If-None-Match": cached[0]} if cached else None)
        if answer.status == 304 and cached:
            return answer, json.loads(cached[1])
        if answer.status != 200:
            raise RuntimeError(f"live.json answered HTTP {answer.status}")
        if "etag" in answer.headers:
            self.etags[path] = (answer.headers["etag"], answer.body)
        return answer, json.loads(answer.body)


@dataclass
class PollBytes:
    """Bytes received per poll (the answer: status line, headers, body) of each kind of poll."""

    unchanged: int  # a 304: nothing changed
    request: int  # bytes sent by a poll (its request line and headers, the session cookie)
    name_arrives: int  # a 200 without the QR: one more person in the list
    new_qr: int  # a 200 with the QR's SVG: the token changed
    new_url: int  # the next poll, with the new token in its URL: a 200 without the QR
    present: int  # people in the list when measured

    def per_hour(self) -> int:
        """An hour of polls with nobody arriving: per rotation one poll with the QR and one without, the
        others 304s."""
        polls, rotations = 3600 // POLL_SECONDS, 3600 // ROTATE_SECONDS
        return rotations * (self.new_qr + self.new_url) + (polls - 2 * rotations) * self.unchanged


def measure(port: int, session_id: int, *, email: str, password: str, check_in, revoke) -> PollBytes:
    """Poll a session's live state as the projector page does. `check_in()` checks one more person in;
    `revoke()` revokes the codes shown (a new token at once, as a rotation brings)."""
    browser = Browser(port)
    browser.log_in(email, password)
    live = f"/sessions/{session_id}/live.json"
    _, state = browser.poll(live)  # what the projector page shows when it opens (with the QR)
    path = f"{live}?qr={quote(state['token'])}"
    browser.poll(path)  # the page's first poll: a 200 without the QR
    unchanged = [browser.poll(path)[0] for _ in range(5)]
    for _ in range(3):  # a rotation between the check-in and the poll would bring the QR too: again
        check_in()
        arrived, state = browser.poll(path)
        if not state.get("qr_svg"):
            break
        path = f"{live}?qr={quote(state['token'])}"
        browser.poll(path)
    for _ in range(3):  # the codes revoked: a new token at once; a rotation in between would change it again
        revoke()
        new_qr, state = browser.poll(path)
        if not state.get("qr_svg"):
            raise RuntimeError("live.json sent no QR after the codes were revoked")
        path = f"{live}?qr={quote(state['token'])}"
        new_url, state = browser.poll(path)
        if not state.get("qr_svg"):
            break
    quiet = min(unchanged, key=lambda a: a.received)  # a poll that met a rotation would not be "unchanged"
    if quiet.status != 304:
        raise RuntimeError(f"an unchanged poll answered HTTP {quiet.status}, not 304")
    return PollBytes(quiet.received, quiet.sent, arrived.received, new_qr.received, new_url.received,
                     state["present"])
