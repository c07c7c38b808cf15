"""Figure "queries per page": SQL statements of the main list pages, on small data and on larger data.

A page whose statement count grows with the data runs a query per row somewhere; the goal is the
same count at every scale (ratio 1.00 to the count on small data, the floor).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from harness import Figure, admin_client

if TYPE_CHECKING:
    from flask import Flask

PAGES = ("/participants/", "/courses/", "/schedule/", "/reports/")


@contextmanager
def counting(engine: Any) -> Iterator[list[str]]:
    """Collect the statements sent to `engine` inside the block."""
    from sqlalchemy import event

    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany) -> None:
        """Record one statement."""
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def count_pages(app: Flask, pages: tuple[str, ...] = PAGES) -> dict[str, int | str]:
    """Statements per page for a logged-in admin (after one warm-up request); a status text when not 200."""
    from trainer.extensions import db

    client = admin_client(app)
    counts: dict[str, int | str] = {}
    with app.app_context():
        engine = db.engine
    for page in pages:
        warm = client.get(page)
        if warm.status_code != 200:
            counts[page] = "not built yet (404)" if warm.status_code == 404 else f"HTTP {warm.status_code}"
            continue
        with counting(engine) as statements:
            response = client.get(page)
        counts[page] = len(statements) if response.status_code == 200 else f"HTTP {response.status_code}"
    return counts


def figures(by_scale: dict[str, dict[str, int | str]], engine_name: str) -> list[Figure]:
    """One figure per page: the count on the largest scale measured, as a ratio to the count on small data."""
    scales = list(by_scale)
    small, largest = scales[0], scales[-1]
    result = []
    for page in by_scale[small]:
        name = f"queries per page {page} [{engine_name}, {largest}]"
        base, top = by_scale[small].get(page), by_scale[largest].get(page)
        if not isinstance(base, int) or not isinstance(top, int):
            why = top if not isinstance(top, int) else base
            result.append(Figure(name, None, "statements", note=str(why)))
            continue
        counts = ", ".join(f"{s} {by_scale[s][page]}" for s in scales)
        result.append(Figure(name, top, "statements", top / base if base else None, f"{small}", ok=top == base,
                             note=counts))
    return result
