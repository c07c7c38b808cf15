"""Reporting periods: `YYYY` (annual) and `YYYY-H1` (six-month), their dates, labels and due dates.

The plans of Đak Đoa ask for the six-month report by 20 May and the annual one by 30 October (Circular
10/2022/TT-BLĐTBXH reports every six months and every year); `TRAINER_CYCLE_DUE_H1` and
`TRAINER_CYCLE_DUE_ANNUAL` ("MM-DD") change them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app, has_app_context

from trainer.core.errors import ValidationError, said, vietnamese
from trainer.core.text import N_
from trainer.reports.queries import Period

PERIOD_RE = re.compile(r"(20[0-9]{2})(-H1)?")
FIRST_YEAR, LAST_YEAR = 2021, 2099
DEFAULT_DUE = {"H1": "05-20", "annual": "10-30"}


@dataclass(frozen=True)
class ReportPeriod:
    """One reporting period: a year, or its first half."""

    year: int
    half: int | None = None

    @property
    def code(self) -> str:
        """"2024" or "2024-H1"."""
        return f"{self.year}-H1" if self.half == 1 else str(self.year)

    @property
    def report_period(self) -> Period:
        """The indicator reports' period."""
        return Period.of_year(self.year, self.half)

    @property
    def start(self) -> date:
        return self.report_period.date_from

    @property
    def end(self) -> date:
        return self.report_period.date_to

    @property
    def label(self) -> str:
        """"6 tháng đầu năm 2025", "năm 2024" (the documents' Vietnamese)."""
        return vietnamese(self._label_template, {"year": self.year})

    @property
    def shown(self) -> str:
        """The label in the page's language ("first half of 2025", "2024")."""
        return said(self._label_template, {"year": self.year})

    @property
    def _label_template(self) -> str:
        return N_("6 tháng đầu năm %(year)s") if self.half == 1 else N_("năm %(year)s")

    @property
    def kind_label(self) -> str:
        return N_("Báo cáo 6 tháng") if self.half == 1 else N_("Báo cáo năm")

    def due_on(self) -> date:
        """The due date of the report of this period (configurable, see the module)."""
        key = "H1" if self.half == 1 else "annual"
        setting = DEFAULT_DUE[key]
        if has_app_context():
            setting = str(current_app.config.get(f"CYCLE_DUE_{key.upper()}", setting))
        month, day = (int(part) for part in setting.split("-"))
        return date(self.year, month, day)


def parse_period(value: object, field: str = "period") -> ReportPeriod:
    """`YYYY` or `YYYY-H1`, years 2021-2099. Raises ValidationError('invalid_period')."""
    match = PERIOD_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        message = f"Kỳ báo cáo phải là năm (YYYY) hoặc 6 tháng đầu năm (YYYY-H1), từ {FIRST_YEAR} đến {LAST_YEAR}."
        raise ValidationError("invalid_period", message, fields={field: message})
    return ReportPeriod(int(match.group(1)), 1 if match.group(2) else None)
