"""One flash message for one action: a summary line, with its details folded away.

A bulk action (an import, an enrolment of many people) used to flash one message per person and kind, a
wall of alerts above the page. It now flashes one summary; the details travel with it (bounded, since
flashes live in the session cookie) and base.html shows them in a collapsed <details>.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash
from flask_babel import format_decimal
from flask_babel import gettext as _

MAX_DETAILS = 10
MAX_DETAIL_CHARS = 160


def flash_summary(text: str, details: Sequence[str] = (), category: str = "success") -> None:
    """Flash `text` once, with at most MAX_DETAILS `details` (and how many more there were)."""
    if not details:
        flash(text, category)
        return
    shown = [d if len(d) <= MAX_DETAIL_CHARS else d[:MAX_DETAIL_CHARS - 1] + "…" for d in details[:MAX_DETAILS]]
    if len(details) > MAX_DETAILS:
        shown.append(_("… và %(n)s mục khác.", n=format_decimal(len(details) - MAX_DETAILS)))
    flash({"text": text, "details": shown}, category)
