"""The reports' hand-made dataset (tests/reports/conftest.py) serves the cycle's tests too."""

from tests.reports.conftest import data  # noqa: F401 - the fixture
