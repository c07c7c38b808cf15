"""Servers and load for the check-in figures: gunicorn on a free port, wrk with a Lua script, its report read.

wrk (C, one event loop per thread) costs a few percent of a core at the rates these servers reach, so
the load generator is not what limits them on this 2-core machine; `Load.cpu` says how much it took.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
THREADS = 2


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A gunicorn master, the port it serves and the file its log goes to."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The process ids of its workers (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def log_tail(self, chars: int = 2000) -> str:
        """The end of its log (errors and tracebacks)."""
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def settle(self, workers: int = 4) -> None:
        """Wait until the requests a load left queued are served: wrk stops with connections still in the
        listen queue, which the workers go on serving (storing their check-ins) while the next round runs."""
        for _ in range(workers + 1):
            request = urllib.request.Request(f"{self.url}/api/v1/checkin", data=b"{}",
                                             headers={"Content-Type": "application/json"})
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=60).close()

    def stop(self) -> None:
        """Stop it (SIGTERM to the master, which stops its workers) and wait."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def serve(target: str, workers: int, env: dict[str, str], log: Path) -> Server:
    """gunicorn with `workers` sync workers on 127.0.0.1, once every worker answers; its log goes to `log`
    (a file: a pipe nobody reads would block the workers once full)."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    port = free_port()
    with log.open("w") as stream:
        process = subprocess.Popen([gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level",
                                    "warning", target], cwd=ROOT, env=env, stdout=stream, stderr=stream)
    server = Server(process, port, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            for _ in range(workers * 3):  # each worker imports the app on its first request
                request = urllib.request.Request(f"{server.url}/api/v1/checkin", data=b"{}",
                                                 headers={"Content-Type": "application/json"})
                with contextlib.suppress(urllib.error.HTTPError):  # an error answer is an answer
                    urllib.request.urlopen(request, timeout=30).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn {target} did not start: {server.log_tail()}")


@dataclass
class Load:
    """What one wrk run measured."""

    rps: float  # requests per second
    p50: float  # ms
    p99: float  # ms
    requests: int
    seconds: float
    errors: int  # socket errors and timeouts (an answer of any status is not an error here)
    cpu: float  # seconds of CPU wrk used
    phones: dict[str, int] = field(default_factory=dict)  # the script's counts: started, confirmed...

    @property
    def confirmed_per_s(self) -> float:
        """Check-ins confirmed per second."""
        return self.phones.get("confirmed", 0) / self.seconds


def parse_wrk(report: str, seconds: float, cpu: float = 0.0) -> Load:
    """Read requests/s, the p50 and p99 latency (ms), socket errors and the script's `phones:` line."""

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", report, re.M)
        if match is None:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report):
        errors = sum(int(x) for x in m.groups())
    phones = {}
    if m := re.search(r"^phones: (.*)$", report, re.M):
        phones = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", m.group(1))}
    requests = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", report)
    duration = float(requests.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[requests.group(3)] if requests else seconds
    return Load(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)), p50=ms("50"), p99=ms("99"),
                requests=int(requests.group(1)) if requests else 0, seconds=duration, errors=errors, cpu=cpu,
                phones=phones)


class Wrk:
    """A wrk run in the background: `Wrk(...).result()` waits for it and reads its report."""

    def __init__(self, script: str, server: Server, args: list, *, connections: int, seconds: float,
                 threads: int = THREADS, timeout: int = 10) -> None:
        self.seconds, self.server = seconds, server
        self.before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.process = subprocess.Popen(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{round(seconds)}s", "--timeout", f"{timeout}s",
             "--latency", "-s", str(HERE / script), server.url, "--", *map(str, args)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self) -> Load:
        """Wait for wrk and for the server to serve what wrk left queued; read wrk's report (RuntimeError
        when it failed)."""
        out, err = self.process.communicate()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.server.settle()
        cpu = (after.ru_utime - self.before.ru_utime) + (after.ru_stime - self.before.ru_stime)
        if self.process.returncode != 0 or "Requests/sec" not in out:
            raise RuntimeError(f"wrk failed ({self.process.returncode}): {err.strip()[-500:]} {out[-500:]}")
        return parse_wrk(out, self.seconds, cpu)


def run_wrk(script: str, server: Server, args: list, *, connections: int, seconds: float,
            threads: int = THREADS) -> Load:
    """Run wrk with a script of scripts/bench for `seconds` against `server` and read its report."""
    return Wrk(script, server, args, connections=connections, seconds=seconds, threads=threads).result()


def kill_worker(server: Server) -> int:
    """SIGKILL one of the server's workers (the master starts another); its pid."""
    pid = server.workers()[0]
    os.kill(pid, signal.SIGKILL)
    return pid


def read_numbers(prefix: str, threads: int = THREADS) -> list[int]:
    """The participant numbers the trainee script wrote as confirmed (one file per thread)."""
    numbers = []
    for thread in range(1, threads + 1):
        path = Path(f"{prefix}{thread}")
        if path.exists():
            numbers += [int(line) for line in path.read_text().split() if line.isdigit()]
    return numbers
