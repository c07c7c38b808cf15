"""The `make bench` groundwork in scripts/bench: figure lines, verdicts and the page statement counter."""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask

from tests.demo.conftest import run_demo

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "bench"))

from harness import Figure, Report  # noqa: E402 - scripts/bench is not a package
from queries_per_page import count_pages, figures  # noqa: E402


def test_figure_line_shows_value_unit_and_ratio_to_its_floor() -> None:
    assert Figure("queries per page /courses/", 5, "statements", 1.0, "small", ok=True).line() == \
        "queries per page /courses/: 5 statements (1.00× small)"
    assert Figure("x", None, "s", note="not built yet (404)").line() == "x: skipped (not built yet (404))"


def test_figures_flag_a_page_whose_count_grows_with_the_data() -> None:
    result = figures({"small": {"/a/": 4, "/b/": 6, "/c/": "not built yet (404)"},
                      "province": {"/a/": 4, "/b/": 9, "/c/": "not built yet (404)"}}, "sqlite")
    assert [(f.value, f.ok) for f in result] == [(4, True), (9, False), (None, None)]
    report = Report(figures=result)
    assert report.failed
    assert report.summary([]) == "bench: 2 figures, 1 meet their goal, 1 miss it, 1 skipped"


def test_count_pages_counts_statements_and_skips_pages_not_built(app: Flask, tan_yen: None) -> None:
    assert run_demo(app, "--scale", "small").exit_code == 0
    counts = count_pages(app, ("/participants/", "/no-such-page/"))
    assert isinstance(counts["/participants/"], int) and counts["/participants/"] > 0
    assert counts["/no-such-page/"] == "not built yet (404)"
