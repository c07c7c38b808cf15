"""Helpers of the participants tests: template rows, workbooks built in memory, bulk rows, SQL counters."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

from openpyxl import Workbook
from sqlalchemy import insert

from tests.sql import count_statements  # noqa: F401 - re-exported for the participants tests
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.participants.excel.columns import COLUMNS
from trainer.participants.models import Gender, Participant
from trainer.units.models import Unit

HEADERS = [c.header for c in COLUMNS]
_phones = itertools.count(1)


def row(**overrides: Any) -> list[Any]:
    """One template row (in COLUMNS order) of a valid person of Thị trấn Nhã Nam."""
    values = {"full_name": "Nguyễn Thị Hằng", "gender": "Nữ", "birth_date": "15/03/1985", "ethnicity": "Kinh",
              "phone": f"0912{next(_phones):06d}", "email": "", "unit": "07306 - Thị trấn Nhã Nam",
              "position": "Công chức văn hóa - xã hội",
              "target_group": "Công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh"}
    values.update(overrides)
    return [values[c.key] for c in COLUMNS]


def workbook_bytes(rows: list[list[Any]], *, headers: list[Any] | None = None, above: int = 0,
                   extra: Callable[[Workbook], None] | None = None) -> bytes:
    """An .xlsx with a header row (after `above` lines of notes) and `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    for n in range(above):
        sheet.append([f"Ghi chú {n + 1}"])
    sheet.append(headers if headers is not None else HEADERS)
    for values in rows:
        sheet.append(values)
    if extra is not None:
        extra(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def add_participants(unit: Unit, count: int, *, start: int = 0) -> None:
    """Insert `count` participants in one statement (fast enough for 1,000-row tests)."""
    db.session.execute(insert(Participant), [
        {"code": f"T{start + i:07d}", "full_name": f"Lê Văn Số {start + i}", "name_search": f"le van so {start + i}",
         "gender": Gender.MALE if i % 2 else Gender.FEMALE, "phone": f"0333{start + i:06d}",
         "unit_id": unit.id, "target_group": TargetGroup.COMMUNE_CULTURE_OFFICER, "ethnic_minority": i % 3 == 0,
         "birth_date": date(1980, 1, 1), "position": ""}
        for i in range(count)])
    db.session.flush()


