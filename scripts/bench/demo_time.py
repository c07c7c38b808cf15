"""Figure "demo-data national generation time": the CLI as a user runs it, in its own process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from harness import REPO, Figure

GOAL_SECONDS = 300.0  # national in under five minutes on this 2-core machine
SUMMARY_RE = re.compile(r"(\d+) attendance_records")


def national_generation(url: str, engine_name: str) -> Figure:
    """Run `flask --app trainer demo-data --scale national --reset` on `url` and time it (wall clock)."""
    env = {**os.environ, "TRAINER_SQLALCHEMY_DATABASE_URI": url, "FLASK_APP": "trainer"}
    flask = [sys.executable, "-m", "flask", "--app", "trainer", "demo-data", "--scale", "national", "--reset"]
    started = time.perf_counter()
    done = subprocess.run(flask, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    name = f"demo-data national generation [{engine_name}]"
    if done.returncode != 0:
        return Figure(name, None, "s", note=f"failed: {(done.stderr or done.stdout).strip()[-300:]}")
    match = SUMMARY_RE.search(done.stdout)
    rows = f"{int(match.group(1)):,} attendance records" if match else done.stdout.strip()
    return Figure(name, round(elapsed, 1), "s", elapsed / GOAL_SECONDS, f"goal {GOAL_SECONDS:g} s",
                  ok=elapsed < GOAL_SECONDS, note=rows)
