"""The check-in figures on one database: what trainees, organizers and the projector do, each against a floor.

- Trainee flow: phones each `GET /c/<token>` (their class's QR) then `POST` the phone form with the page's
  cookie, CSRF token and grace field (scripts/bench/trainee.lua), 200 at once, against the floor
  (floor_app.py: bare Flask serving a page of the same size and checking the same form). Goals: at least
  0.5 of the floor's check-ins per second, p99 under 200 ms, every confirmed check-in stored once, no
  refused or failed request. Beside it, informative: the p99 of as many phones arriving one by one over
  10 s (arrivals.py), trainer's and the floor's.
- API check-in (`POST /api/v1/checkin`) and badge scan (`POST /api/v1/sessions/<id>/attendance`, bearer
  token) against a bare Flask JSON endpoint (api.lua). Goal: at least 0.5 of the floor; p99 shown.
- A worker killed mid-burst (SIGKILL while phones check in): every check-in confirmed to a phone is
  stored exactly once.
- The projector's poll: bytes per poll when nothing changed (goal under 1 KB) and when a name arrives.

trainer and the floor run under gunicorn with the same sync workers on this machine, loaded by wrk, in
alternating rounds (floor, trainer, ...) so that a slow spell of this shared machine falls on both; a
ratio is the median of the rounds' ratios, a p99 the worst round's. The database holds classes of 200
(checkin_setup.py); every phone number is enrolled and new to its session, so no request counts as a
failed look-up for the client limit (all requests come from 127.0.0.1; the records are flagged as made
from one client, which costs nothing here).

Usage: python scripts/bench/checkin.py --database-url URL --label sqlite [--rounds 3] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Imported after the path set-up above.
from arrivals import arrive  # noqa: E402
from checkin_setup import (  # noqa: E402
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    CLASS_SIZE,
    PARTICIPANTS,
    BenchData,
    phone,
    prepare,
    server_env,
    stored,
)
from harness import Figure, Report  # noqa: E402
from loadgen import THREADS, Load, Server, Wrk, kill_worker, read_numbers, run_wrk, serve  # noqa: E402
from projector import Browser, measure  # noqa: E402

P99_GOAL_MS = 200
MAX_ROUND_SECONDS = 20
ARRIVAL_SECONDS = 10  # the informative latency: as many phones as --phones, arriving over this span
RATIO_GOAL = 0.5
POLL_GOAL_BYTES = 1024


class Numbers:
    """The next unused participant number of each scenario (each phone checks in once per scenario)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, scenario: str) -> int:
        """Where the next run of `scenario` starts."""
        return self.next.get(scenario, 0)

    def used(self, scenario: str, load: Load) -> None:
        """Move past the numbers a run used; RuntimeError when they ran out (a number not enrolled would be
        a failed look-up, counted against the client)."""
        self.next[scenario] = max(self.take(scenario), load.phones.get("top", 0))
        if self.next[scenario] > PARTICIPANTS:
            raise RuntimeError(f"{scenario}: more than {PARTICIPANTS} check-ins; enrol more people")


def _api(server: Server, method: str, path: str, token: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(f"{server.url}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def page_sizes(server: Server, token: str, number: int) -> tuple[int, int]:
    """The byte sizes of trainer's phone form and of its success page (one phone checked in)."""
    browser = Browser(server.port)
    form = browser.request("GET", f"/c/{token}")
    html = form.body.decode()
    fields = {name: value for name, value in
              (("csrf_token", _field(html, "csrf_token")), ("grace", _field(html, "grace")))}
    result = browser.request("POST", f"/c/{token}", form={**fields, "phone": phone(number)})
    if "Điểm danh thành công" not in result.body.decode():
        raise RuntimeError(f"the trainee page did not check a phone in (HTTP {result.status})")
    return len(form.body), len(result.body)


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    if match is None:
        raise RuntimeError(f"no {name} field on the trainee page")
    return match.group(1)


def _median_ratio(ours: list[Load], floor: list[Load], rate: Callable[[Load], float]) -> tuple[float, float, float]:
    ratios = sorted(rate(t) / max(rate(f), 1e-9) for t, f in zip(ours, floor, strict=True))
    return statistics.median(ratios), ratios[0], ratios[-1]


def throughput_figures(label: str, name: str, ours: list[Load], floor: list[Load], rate: Callable[[Load], float],
                       unit: str, p99_goal: float | None) -> list[Figure]:
    """Rate against the floor's (median of the rounds' ratios) and the worst round's p99 against the floor's."""
    ratio, low, high = _median_ratio(ours, floor, rate)
    value, floor_value = statistics.median(rate(r) for r in ours), statistics.median(rate(r) for r in floor)
    cpu = sum(r.cpu for r in ours + floor) / sum(r.seconds for r in ours + floor)
    rps = statistics.median(r.rps for r in ours)
    p99, floor_p99 = max(r.p99 for r in ours), max(r.p99 for r in floor)
    return [
        Figure(f"{name} [{label}]", round(value), unit, ratio, f"floor's {floor_value:.0f}", ok=ratio >= RATIO_GOAL,
               note=f"goal >= {RATIO_GOAL:.2f}; rounds {low:.2f}-{high:.2f}; {rps:.0f} req/s; "
                    f"wrk used {cpu:.0%} of a core"),
        Figure(f"{name} p99 [{label}]", round(p99), "ms", p99 / max(floor_p99, 1e-9), f"floor's {floor_p99:.0f} ms",
               ok=None if p99_goal is None else p99 < p99_goal,
               note=(f"goal < {p99_goal:.0f} ms; " if p99_goal else "") + "worst round; "
                    f"median p50 {statistics.median(r.p50 for r in ours):.0f} ms"),
    ]


def stored_once(label: str, name: str, database_url: str, session_ids: list[int], loads: list[Load],
                confirmed: list[int], context: str = "", failed_phones: int = 0) -> Figure:
    """Every confirmed check-in stored exactly once; no request refused or failed (all phones are enrolled
    and new). Records beyond the confirmed ones were stored while their answer was lost or not yet read."""
    counts = stored(database_url, session_ids)
    bad = sum(1 for number in confirmed if counts.get(number) != 1) + sum(1 for c in counts.values() if c > 1)
    refused, failed = (sum(r.phones.get(k, 0) for r in loads) for k in ("refused", "failed"))
    failed += failed_phones
    errors = sum(r.errors for r in loads)
    unconfirmed = len(counts) - len(set(confirmed) & set(counts))
    return Figure(f"{name}: confirmed check-ins not stored exactly once [{label}]", bad,
                  f"of {len(confirmed)}", ok=bad == 0 and refused == 0 and failed == 0 and len(confirmed) > 0,
                  note=f"{context}{refused} refused, {failed} failed (5xx), {errors} socket errors; {unconfirmed} "
                       "stored but not confirmed (their answer in flight or cut)")


def main() -> int:
    """Measure every check-in figure on one database and print them; 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--phones", type=int, default=200, help="phones at once in the trainee flow")
    parser.add_argument("--connections", type=int, default=50, help="connections of the API loads")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5,
                        help="seconds per round and server (the trainee flow's: at least three turns of its phones)")
    args = parser.parse_args()
    report = Report()
    if not shutil.which("wrk"):
        report.add(Figure(f"check-in [{args.label}]", None, "", note="wrk not installed: apt-get install wrk"))
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers (the finally below) on TERM
    data = prepare(args.database_url)
    env = server_env(args.database_url)
    logs = Path(tempfile.mkdtemp(prefix="trainer-bench-logs-"))
    servers: list[Server] = []
    try:
        trainer = serve("trainer:create_app()", args.workers, env, logs / "trainer.log")
        servers.append(trainer)
        numbers = Numbers()
        form_bytes, result_bytes = page_sizes(trainer, data.tokens["trainee"][0], 0)  # checks participant 0 in
        numbers.next["trainee"] = 1
        floor = serve("scripts.bench.floor_app:app", args.workers,
                      {**env, "FLOOR_FORM_BYTES": str(form_bytes), "FLOOR_RESULT_BYTES": str(result_bytes)},
                      logs / "floor.log")
        servers.append(floor)
        run(args, report, data, trainer, floor, numbers, logs)
    except Exception:
        for server in servers:
            print(f"--- {server.log.name}:\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        for server in servers:
            server.stop()
    shutil.rmtree(logs, ignore_errors=True)
    print(report.summary([]), flush=True)
    return 1 if report.failed else 0


def run(args: argparse.Namespace, report: Report, data: BenchData, trainer: Server, floor: Server,
        numbers: Numbers, logs: Path) -> None:
    """The scenarios, in order: warm-up, alternating rounds, the killed worker, the projector."""
    label, url = args.label, args.database_url
    api_token = data.api_token

    targets = {scenario: data.targets(scenario, "tokens", logs / f"{scenario}.tokens")
               for scenario in ("trainee", "killed", "api")}
    targets["badge"] = data.targets("badge", "ids", logs / "badge.ids")

    def trainee(server: Server, seconds: float, out: str = "-", scenario: str = "trainee") -> Wrk:
        start = numbers.take(scenario) if server is trainer else 0
        return Wrk("trainee.lua", server, [targets[scenario], start, THREADS, out, CLASS_SIZE],
                   connections=args.phones, seconds=seconds)

    def api(server: Server, mode: str, seconds: float, out: str = "-") -> Load:
        scenario = "api" if mode == "checkin" else "badge"
        start = numbers.take(scenario) if server is trainer else 0
        load = run_wrk("api.lua", server, [mode, targets[scenario], start, THREADS, out, CLASS_SIZE, api_token],
                       connections=args.connections, seconds=seconds)
        if server is trainer:
            numbers.used(scenario, load)
        return load

    def ours(wrk: Wrk, scenario: str = "trainee") -> Load:
        load = wrk.result()
        numbers.used(scenario, load)
        return load

    # Warm-up: every worker has imported and connected, the page's templates are compiled.
    trainee(floor, 2).result()
    warm = ours(trainee(trainer, 3, out=str(logs / "warm-")))
    for mode in ("checkin", "badge"):
        api(floor, mode, 1)
        api(trainer, mode, 1, out=str(logs / f"warm-{mode}-"))
    # A round of the trainee flow lasts three turns of its phones at least (a turn: each phone's GET and
    # POST): the first turn's answers are all pages, so a shorter round would count too few check-ins.
    turn = 2 * args.phones / max(warm.rps, 1)
    seconds = min(MAX_ROUND_SECONDS, max(args.seconds, math.ceil(3 * turn)))
    rounds: dict[str, list[Load]] = {key: [] for key in ("floor", "trainee", "api floor", "api", "badge")}
    for number in range(args.rounds):
        rounds["floor"].append(trainee(floor, seconds).result())
        rounds["trainee"].append(ours(trainee(trainer, seconds, out=str(logs / f"trainee-{number}-"))))
        rounds["api floor"].append(api(floor, "checkin", args.seconds))
        rounds["api"].append(api(trainer, "checkin", args.seconds, out=str(logs / f"api-{number}-")))
        rounds["badge"].append(api(trainer, "badge", args.seconds, out=str(logs / f"badge-{number}-")))

    # As many phones arriving one by one over ARRIVAL_SECONDS (a hall scanning the QR), each checking in once.
    start = numbers.take("trainee")
    arriving = arrive(trainer.port, data.tokens["trainee"], range(start, start + args.phones), CLASS_SIZE,
                      ARRIVAL_SECONDS)
    numbers.next["trainee"] = start + args.phones
    floor_arriving = arrive(floor.port, data.tokens["trainee"], range(args.phones), CLASS_SIZE, ARRIVAL_SECONDS)

    for figure in throughput_figures(label, f"trainee flow, {args.phones} phones", rounds["trainee"],
                                     rounds["floor"], lambda r: r.confirmed_per_s, "check-ins/s", P99_GOAL_MS):
        report.add(figure)
    p99, floor_p99 = arriving.percentile(99), floor_arriving.percentile(99)
    report.add(Figure(f"trainee flow p99, {args.phones} phones arriving over {ARRIVAL_SECONDS} s [{label}]", round(p99),
                      "ms", p99 / floor_p99, f"floor's {floor_p99:.0f} ms",
                      note=f"informative; p50 {arriving.percentile(50):.0f} ms; each phone at a random moment, once"))
    confirmed = [n for prefix in ("warm-", *(f"trainee-{i}-" for i in range(args.rounds)))
                 for n in read_numbers(str(logs / prefix))]
    report.add(stored_once(label, "trainee flow", url, data.session_ids["trainee"], rounds["trainee"],
                           [0, *confirmed, *arriving.confirmed], failed_phones=arriving.failed))  # 0: page_sizes
    for key, name in (("api", "API check-in"), ("badge", "badge scan")):
        for figure in throughput_figures(label, f"{name}, {args.connections} connections", rounds[key],
                                         rounds["api floor"], lambda r: r.rps, "req/s", None):
            report.add(figure)
        confirmed = [n for prefix in (f"warm-{'checkin' if key == 'api' else key}-",
                                      *(f"{key}-{i}-" for i in range(args.rounds)))
                     for n in read_numbers(str(logs / prefix))]
        report.add(stored_once(label, name, url, data.session_ids[key], rounds[key], confirmed))

    report.add(killed_worker(args, label, data, trainer, trainee, logs, seconds))

    sid = data.session_ids["projector"][0]  # class 0: participants 0 to CLASS_SIZE - 1
    present = iter(range(CLASS_SIZE))

    def check_in() -> None:
        current = _api(trainer, "GET", f"/api/v1/sessions/{sid}/checkin-token", api_token)["token"]
        _api(trainer, "POST", "/api/v1/checkin", api_token, {"token": current, "phone": phone(next(present))})

    for _ in range(40):  # a class already in the room
        check_in()
    polls = measure(trainer.port, sid, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, check_in=check_in,
                    revoke=lambda: _api(trainer, "POST", f"/api/v1/sessions/{sid}/checkin-token/revoke", api_token))
    report.add(Figure(f"projector poll, nothing changed [{label}]", polls.unchanged, "bytes",
                      polls.unchanged / POLL_GOAL_BYTES, "the 1 KB goal", ok=polls.unchanged < POLL_GOAL_BYTES,
                      note=f"a 304, headers only; the poll's request is {polls.request} bytes more, mostly the "
                           "session cookie"))
    report.add(Figure(f"projector poll, a name arrives [{label}]", polls.name_arrives, "bytes",
                      note=f"a 200 listing {polls.present} people, without the QR; a new QR (every 30 s): "
                           f"{polls.new_qr} bytes, then {polls.new_url} for the first poll of its URL"))
    report.add(Figure(f"projector, an hour with nobody arriving [{label}]", round(polls.per_hour() / 1e6, 2), "MB",
                      note="polls every 3 s: 120 new QRs, the rest 304s (before ETags: 13 MB)", precision=2))


def killed_worker(args: argparse.Namespace, label: str, data: BenchData, trainer: Server, trainee, logs: Path,
                  seconds: int) -> Figure:
    """Phones check in for a round; one worker is SIGKILLed a third of the way in (the master starts
    another). Every check-in confirmed to a phone must be stored exactly once."""
    wrk = trainee(trainer, seconds, out=str(logs / "killed-"), scenario="killed")
    time.sleep(seconds / 3)
    pid = kill_worker(trainer)
    load = wrk.result()
    confirmed = read_numbers(str(logs / "killed-"))
    return stored_once(label, "worker killed mid-burst", args.database_url, data.session_ids["killed"], [load],
                       confirmed, context=f"worker {pid} killed at {seconds / 3:.1f} s of {load.seconds:.0f}; ")


if __name__ == "__main__":
    sys.exit(main())
