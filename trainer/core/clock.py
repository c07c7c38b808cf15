"""The one clock: services, views and column defaults ask `now()`; tests set it.

Every "what time is it" in trainer goes through this module: `now()` (aware UTC), `local_zone()`
and `local_today()` for the app's time zone (Asia/Ho_Chi_Minh). A test that needs a moment sets it
with `set_now(...)` (the `clock` fixture of tests/conftest.py does, and puts the real clock back),
so no test depends on where the wall clock's second falls. A live server started by a browser test
runs in the same process and sees the same clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"

_fixed: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware in UTC (the set time in tests)."""
    return _fixed if _fixed is not None else datetime.now(UTC)


def set_now(moment: datetime | None) -> None:
    """Stop the clock at `moment` (aware), or let it run again with None. For tests and scripts only."""
    global _fixed
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock takes an aware datetime")
    _fixed = moment.astimezone(UTC) if moment is not None else None


def advance(seconds: float) -> datetime:
    """Move a stopped clock on by `seconds`; returns the new time."""
    if _fixed is None:
        raise RuntimeError("advance() needs a clock stopped with set_now()")
    set_now(_fixed + timedelta(seconds=seconds))
    return now()


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_zone() -> ZoneInfo:
    """The app's time zone (`BABEL_DEFAULT_TIMEZONE`, Asia/Ho_Chi_Minh): course dates and naive input
    times are read in it."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return _zone(name)


def local_now(moment: datetime | None = None) -> datetime:
    """`moment` (default: now) in the app's time zone."""
    return (moment or now()).astimezone(local_zone())


def local_today(moment: datetime | None = None) -> date:
    """Today's date in the app's time zone."""
    return local_now(moment).date()
