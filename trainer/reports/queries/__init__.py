"""Read-only, aggregate queries of the Project 6 indicator reports (no permission checks: callers scope)."""

from trainer.attendance.completion import completion_cte
from trainer.reports.queries.base import Period, ReportScope, counted_courses, trained_cte
from trainer.reports.queries.indicators import indicator_report, json_number, unit_json
from trainer.reports.queries.navigation import list_report_ancestors
from trainer.reports.queries.officers import OfficerRow, trained_officers_detail

__all__ = ["OfficerRow", "Period", "ReportScope", "completion_cte", "counted_courses", "indicator_report",
           "json_number", "list_report_ancestors", "trained_officers_detail", "trained_cte", "unit_json"]
