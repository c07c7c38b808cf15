"""Rules of the schema as a whole, read from the models' metadata (which the migrations match)."""

from __future__ import annotations

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

import trainer.models  # noqa: F401 - every table
from trainer.extensions import db


def _partial(index) -> bool:
    """A partial index (the revoked certificates) covers some rows only: its own, smaller thing."""
    return index.dialect_options["postgresql"].get("where") is not None


def test_no_index_repeats_the_first_columns_of_a_unique_one():
    # Such an index costs a write on every insert and reads nothing the unique index cannot; worse,
    # PostgreSQL may prefer it on stale statistics (migration 0005: it made every check-in's trigger
    # read the whole session's attendance).
    redundant = []
    for table in db.metadata.sorted_tables:
        unique = [tuple(column.name for column in constraint.columns) for constraint in table.constraints
                  if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)]
        unique += [tuple(column.name for column in index.columns) for index in table.indexes
                   if index.unique and not _partial(index)]
        for index in table.indexes:
            columns = tuple(column.name for column in index.columns)
            if not index.unique and not _partial(index) and any(key[:len(columns)] == columns for key in unique):
                redundant.append(f"{table.name}.{index.name}")
    assert redundant == []
