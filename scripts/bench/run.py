#!/usr/bin/env python3
"""`make bench`: measure trainer's speed figures on SQLite and, when reachable, PostgreSQL.

Prints one line per figure, `name: value unit (ratio× floor)`, then a summary; exits 1 when a
figure misses its goal. Each engine gets a scratch database (a temporary SQLite file; a
`trainer_bench` PostgreSQL database, dropped at the end) built by the migrations and `seed`.

    python scripts/bench/run.py                 # queries per page, small vs province data
    python scripts/bench/run.py --national      # also national data: generation time, page counts and
                                                # the indicator report vs its floor
    python scripts/bench/run.py --engine sqlite
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Imported after the path set-up above.
from demo_time import national_generation  # noqa: E402
from harness import (  # noqa: E402
    Figure,
    Report,
    make_app,
    postgres_reachable,
    quiet_logs,
    run_command,
    scratch_database,
)
from queries_per_page import PAGES, count_pages, figures  # noqa: E402
from report import report_figures  # noqa: E402

# The figures of issue 7 not measured yet (check-in throughput, certificate pages, the check-in page's
# bytes and the Excel import are measured by the other scripts that scripts/bench/all.sh runs).
NOT_YET: list[str] = []


def bench_engine(engine: str, report: Report, *, national: bool) -> None:
    """Every figure on one engine's scratch database."""
    with scratch_database(engine) as url:
        app = make_app(url)
        run_command(app, "seed")
        by_scale = {}
        for scale in ("small", "province"):
            run_command(app, "demo-data", "--scale", scale, "--reset")
            by_scale[scale] = count_pages(app)
        if national:
            report.add(national_generation(url, engine))
            by_scale["national"] = count_pages(app)
            for figure in report_figures(app, engine):
                report.add(figure)
        for figure in figures(by_scale, engine):
            report.add(figure)
        with app.app_context():
            from trainer.extensions import db

            for bound in db.engines.values():  # PostgreSQL refuses to drop a database with open connections
                bound.dispose()


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the engines, print the summary; 1 when a figure misses its goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--national", action="store_true",
                        help="also generate national data (a few minutes per engine) and time it")
    parser.add_argument("--engine", choices=("all", "sqlite", "postgresql"), default="all")
    args = parser.parse_args(argv)
    quiet_logs()
    report = Report()
    engines = ["sqlite", "postgresql"] if args.engine == "all" else [args.engine]
    for engine in engines:
        why_not = postgres_reachable() if engine == "postgresql" else None
        if why_not:
            for page in PAGES:
                report.add(Figure(f"queries per page {page} [{engine}]", None, "statements", note=why_not))
            continue
        print(f"== {engine} ==", flush=True)
        bench_engine(engine, report, national=args.national)
    print(report.summary(NOT_YET))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
