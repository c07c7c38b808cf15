"""Phones arriving one by one: each at a random moment of a span, `GET /c/<token>` then `POST` of its form.

wrk keeps its connections open between requests, which holds a gunicorn sync worker per idle connection
(a sync worker waits for the request of a connection it accepted), so phones that pause cannot be played
by wrk. Here every phone opens its own connections when it arrives, as a phone does; at a few dozen
phones a second asyncio costs little CPU.
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_RE = re.compile(rb'name="csrf_token" value="([^"]+)"')
GRACE_RE = re.compile(rb'name="grace" value="([^"]*)"')
COOKIE_RE = re.compile(rb"\r\nset-cookie: (session=[^;\r]*)", re.I)
NAME_RE = re.compile("Học viên (\\d+)".encode())
SUCCESS = "Điểm danh thành công".encode()


@dataclass
class Arrivals:
    """What the phones saw: each request's latency (ms), the participants confirmed, the phones that failed."""

    latencies: list[float] = field(default_factory=list)
    confirmed: list[int] = field(default_factory=list)
    failed: int = 0

    def percentile(self, p: float) -> float:
        """The p-th percentile of the latencies (ms)."""
        if not self.latencies:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(p) - 1]


async def _exchange(port: int, request: bytes, latencies: list[float]) -> bytes:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    answer = await reader.read(-1)  # gunicorn closes the connection after its answer
    writer.close()
    latencies.append((time.perf_counter() - started) * 1000)
    return answer


async def _phone(port: int, token: str, number: int, at: float, result: Arrivals) -> None:
    await asyncio.sleep(at)
    host = f"Host: 127.0.0.1:{port}\r\n"
    try:
        page = await _exchange(port, f"GET /c/{token} HTTP/1.1\r\n{host}Connection: close\r\n\r\n".encode(),
                               result.latencies)
        cookie, csrf, grace = COOKIE_RE.search(page), CSRF_RE.search(page), GRACE_RE.search(page)
        body = urlencode({"csrf_token": csrf.group(1).decode(), "grace": grace.group(1).decode(),
                          "phone": f"0977{number:06d}"}).encode()
        answer = await _exchange(port, (
            f"POST /c/{token} HTTP/1.1\r\n{host}Connection: close\r\nCookie: {cookie.group(1).decode()}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body, result.latencies)
    except (OSError, AttributeError):  # no answer, or a page without the form
        result.failed += 1
        return
    name = NAME_RE.search(answer)
    if SUCCESS in answer and name:
        result.confirmed.append(int(name.group(1)))
    else:
        result.failed += 1


def arrive(port: int, tokens: list[str], numbers: range, class_size: int, seconds: float, seed: int = 1) -> Arrivals:
    """Participants `numbers` each check in once at a random moment within `seconds` (their class's token)."""
    result = Arrivals()
    moments = random.Random(seed)

    async def everyone() -> None:
        await asyncio.gather(*(_phone(port, tokens[n // class_size], n, moments.uniform(0, seconds), result)
                               for n in numbers))

    asyncio.run(everyone())
    return result
