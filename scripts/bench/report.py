"""Figure "indicator report vs floor": the Project 6 indicator report on national data, for the whole
country and for one province, one year.

The report (trainer.reports.queries.indicators.indicator_report: every figure, by child unit) is timed
against a floor: one hand-written aggregate query over the same tables that computes the trained-officers
count per child unit only, with the same completion rule (the enrolments' stored attended hours against
the threshold × the course's scheduled hours, the certificate if any not revoked). Best of RUNS each, after
a warm-up, the two alternating; the floor's counts must equal the report's. Goals: under 1 s, and at most
twice the floor.

Usage: python scripts/bench/report.py DATABASE_URL   (a database holding national demo data)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from harness import Figure

if TYPE_CHECKING:
    from flask import Flask

GOAL_SECONDS = 1.0
GOAL_RATIO = 2.0
YEAR = 2024
SCHEME = "2024"
PROVINCE = "01"  # Thành phố Hà Nội, the most communes
RUNS = 9  # best of nine, alternating: on this shared machine a run of either side can take 50% longer

# The length of the child units' paths is written inline (PostgreSQL has no substr(text, bigint, bigint)).
FLOOR_SQL = """
SELECT substr(u.path, 1, {length}) AS k, count(DISTINCT e.participant_id) AS trained
FROM enrolments AS e
JOIN courses AS c ON c.id = e.course_id
JOIN curricula AS cu ON cu.id = c.curriculum_id
JOIN (SELECT course_id, sum(hours) AS hours FROM course_sessions GROUP BY course_id) AS sh
  ON sh.course_id = e.course_id
JOIN participants AS p ON p.id = e.participant_id
JOIN units AS u ON u.id = p.unit_id
LEFT JOIN certificates AS ce ON ce.course_id = e.course_id AND ce.participant_id = e.participant_id
WHERE u.path LIKE :prefix AND c.start_date BETWEEN :date_from AND :date_to AND c.status <> 'cancelled'
  AND e.status = 'enrolled' AND ce.revoked_at IS NULL AND sh.hours > 0
  AND round(e.attended_hours * 100) * 1000
      >= round(coalesce(c.completion_threshold, cu.completion_threshold) * 1000) * round(sh.hours * 100)
GROUP BY substr(u.path, 1, {length})
"""


def best_of_each(*calls: Callable[[], Any], runs: int = RUNS) -> list[tuple[float, Any]]:
    """(shortest wall time of `runs` calls, last result) of each call, after one warm-up call each (statement
    compilation, caches). The calls alternate, so that a load spike on this shared machine hits all alike."""
    for call in calls:
        call()
    best, results = [float("inf")] * len(calls), [None] * len(calls)
    for _ in range(runs):
        for i, call in enumerate(calls):
            started = time.perf_counter()
            results[i] = call()
            best[i] = min(best[i], time.perf_counter() - started)
    return list(zip(best, results, strict=True))


def floor_counts(path: str, child_path_length: int) -> dict[str, int]:
    """{child path: trained officers} by the hand-written query, for the units under `path`."""
    from sqlalchemy import text

    from trainer.extensions import db

    statement = text(FLOOR_SQL.format(length=int(child_path_length)))
    rows = db.session.execute(statement, {"prefix": f"{path}%", "date_from": date(YEAR, 1, 1),
                                          "date_to": date(YEAR, 12, 31)})
    return {key: trained for key, trained in rows}


def _figure(label: str, engine_name: str, unit: Any) -> Figure:
    """Time the report and the floor for `unit` (None: the whole country) and compare their counts."""
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.reports.queries.indicators import indicator_report
    from trainer.units.models import Unit

    path = unit.path if unit is not None else f"{SCHEME}/"
    children = (select(Unit.code, Unit.path).where(Unit.parent_id == unit.id) if unit is not None
                else select(Unit.code, Unit.path).where(Unit.scheme == SCHEME, Unit.parent_id.is_(None)))
    child_paths = dict(db.session.execute(children).all())
    length = len(next(iter(child_paths.values())))
    (report_time, report), (floor_time, floor) = best_of_each(
        lambda: indicator_report(unit, year=YEAR, scheme=SCHEME), lambda: floor_counts(path, length))
    by_report = {child_paths[row["unit"]["code"]]: row["trained_officers"] for row in report["rows"]}
    by_report[path] = report["own"]["trained_officers"]  # people of the unit itself (its own staff)
    by_report = {key: trained for key, trained in by_report.items() if trained}
    name = f"indicator report {label} [{engine_name}]"
    if by_report != floor:
        return Figure(name, round(report_time, 2), "s", report_time / floor_time, "floor", ok=False, precision=2,
                      note=f"the floor counts {sum(floor.values())} trained, the report {sum(by_report.values())}")
    ratio = report_time / floor_time
    return Figure(name, round(report_time, 2), "s", ratio, "floor", precision=2,
                  ok=report_time < GOAL_SECONDS and ratio <= GOAL_RATIO,
                  note=f"floor {floor_time:.2f} s; {report['trained_officers']:,} trained, {YEAR}; "
                       f"goal < {GOAL_SECONDS:g} s and <= {GOAL_RATIO:g}× floor")


def report_figures(app: Flask, engine_name: str) -> list[Figure]:
    """The report vs its floor for the whole country and for province PROVINCE, in YEAR."""
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.units.models import Unit

    with app.app_context():
        province = db.session.scalar(select(Unit).where(Unit.scheme == SCHEME, Unit.parent_id.is_(None),
                                                        Unit.code == PROVINCE))
        if province is None:
            return [Figure(f"indicator report [{engine_name}]", None, "s", note="no national data")]
        figures = [_figure("country", engine_name, None), _figure(f"province {PROVINCE}", engine_name, province)]
        db.session.remove()
        return figures


def main(argv: list[str]) -> int:
    """Print both figures for the database at argv[0]; 1 when a goal is missed."""
    from harness import make_app, quiet_logs

    quiet_logs()
    url = argv[0]
    engine_name = url.split(":", 1)[0].split("+", 1)[0]
    figures = report_figures(make_app(url), engine_name)
    for figure in figures:
        print(figure.line())
    return 1 if any(f.ok is False for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
