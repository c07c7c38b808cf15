"""The official headcount of officers to train (`officers_in_post`) of a report's unit and its child units.

A unit's figure is its own entry for the year when one was entered, else the sum of its children's
figures, and so on down: so a province that entered its total is not counted again through its districts,
and one that did not is the sum of what its districts and communes entered. One statement: the entries of
the scope that no entry above them (within the child unit they lie under) overrides, summed by child unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from trainer.extensions import db
from trainer.reports.models import OfficerHeadcount
from trainer.reports.queries.base import Period, ReportScope, child_key
from trainer.units.models import Unit

if TYPE_CHECKING:
    from trainer.reports.queries.indicators import Figures


def headcount_year(period: Period) -> int | None:
    """The year whose headcount a period is measured against: its year, or the one year a date range lies in."""
    if period.year is not None:
        return period.year
    if period.date_from and period.date_to and period.date_from.year == period.date_to.year:
        return period.date_from.year
    return None


def add_headcounts(groups: dict[str, Figures], total: Figures, scope: ReportScope, child_paths: list[str],
                   year: int | None) -> None:
    """Set `officers_in_post` of each child unit's figures and of the total (None where nothing was entered)."""
    if year is None:
        return
    upper_entry, upper_unit = aliased(OfficerHeadcount), aliased(Unit)
    key = child_key(Unit.path, scope, child_paths)
    overridden = exists().where(
        upper_entry.year == year, upper_entry.unit_id == upper_unit.id, upper_unit.id != Unit.id,
        Unit.path.startswith(upper_unit.path), upper_unit.path.startswith(key))
    stmt = (select(key.label("k"), func.sum(OfficerHeadcount.officers_in_post))
            .select_from(OfficerHeadcount).join(Unit, Unit.id == OfficerHeadcount.unit_id)
            .where(OfficerHeadcount.year == year, Unit.path.startswith(scope.path, autoescape=True), ~overridden)
            .group_by(key))
    own_entry = None
    for k, officers in db.session.execute(stmt):
        if k in groups:
            groups[k].officers_in_post = int(officers)
        else:  # the scope's unit itself: its own entry
            own_entry = int(officers)
    if own_entry is not None:
        total.officers_in_post = own_entry
    else:
        entered = [g.officers_in_post for g in groups.values() if g.officers_in_post is not None]
        total.officers_in_post = sum(entered) if entered else None
