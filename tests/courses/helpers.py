"""Helpers of the courses tests (fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.sql import count_statements  # noqa: F401 - re-exported for the courses tests

START = date.today() + timedelta(days=60)  # far enough ahead for withdrawals, which use the real clock


