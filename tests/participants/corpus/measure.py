"""Read one upload with the participants reader in a fresh interpreter and print what it cost.

`python -m tests.participants.corpus.measure FILE` prints one JSON line: the refusal's code (or the
rows read), CPU and wall seconds, and how far the process's peak memory grew (MB) while reading.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from trainer.core.errors import DomainError
from trainer.participants.excel.reader import read_workbook


def measure(path: str) -> dict[str, object]:
    """Read `path` once; the cost of the imports is not counted."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    outcome: dict[str, object] = {}
    try:
        with open(path, "rb") as upload:
            outcome["rows"] = len(read_workbook(upload).rows)
    except DomainError as exc:
        outcome["code"], outcome["message"] = exc.code, exc.message
    outcome["cpu"] = time.process_time() - cpu
    outcome["wall"] = time.perf_counter() - wall
    outcome["extra_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024  # KB on Linux
    return outcome


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1]), ensure_ascii=False))
