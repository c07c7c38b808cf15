"""What an upload may cost a worker, measured in a fresh interpreter (peak RSS, CPU and wall time):
hostile files are refused in under 2 s with under 100 MB of extra memory; the heaviest file the limits
accept reads within three times a real list of 10,000 people, also under 100 MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _measure(path: Path) -> dict:
    """Read `path` with the participants reader in a new process; see corpus/measure.py."""
    done = subprocess.run([sys.executable, "-m", "tests.participants.corpus.measure", str(path)], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("name", "code"), [("zip_bomb", "unpacked_too_large"), ("lying_zip_bomb", "corrupt_file"),
                                            ("blank_rows", "too_many_rows"), ("blank_cells", "too_many_rows"),
                                            ("far_row", "too_many_rows")])
def test_hostile_uploads_are_refused_within_2_s_and_100_mb(big, name, code):
    cost = _measure(big(name))
    assert cost.get("code") == code, cost
    assert cost["wall"] < 2 and cost["extra_mb"] < 100, cost


def test_a_huge_hidden_sheet_costs_nothing(big):
    cost = _measure(big("hidden_unsized"))
    assert cost.get("rows") == 1 and cost["cpu"] < 1 and cost["extra_mb"] < 100, cost


def test_the_heaviest_accepted_upload_reads_at_normal_speed_within_100_mb(big):
    normal, heaviest = _measure(big("ten_thousand")), _measure(big("heaviest"))
    assert (normal.get("rows"), heaviest.get("rows")) == (10_000, 9_600), (normal, heaviest)
    assert heaviest["cpu"] < 3 * normal["cpu"], (normal, heaviest)
    assert normal["extra_mb"] < 100 and heaviest["extra_mb"] < 100, (normal, heaviest)
