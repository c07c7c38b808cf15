"""Jinja globals and filters, and the locale chosen for each request."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from trainer.core.clock import local_zone
from trainer.core.permissions import Need, can

LOCALE_COOKIE = "lang"


def select_locale() -> str:
    """`?lang=` of this request, then the cookie, then the user's setting, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(LOCALE_COOKIE),
                      getattr(current_user, "locale", None)):
        if candidate in languages:
            return candidate
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def local_time(value: datetime | None) -> datetime | None:
    """A UTC datetime in the app's time zone (Asia/Ho_Chi_Minh)."""
    if value is None:
        return None
    return value.astimezone(local_zone())


def vn_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    """HH:MM dd/mm/yyyy in the app's time zone."""
    local = local_time(value)
    return local.strftime("%H:%M %d/%m/%Y") if local else ""


def hours(value: Decimal | float | int | None) -> str:
    """Hours without useless zeros, with the decimal separator of the page's language: 1,5 in Vietnamese
    (and outside a request: documents are Vietnamese), 1.5 in English."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)).normalize():f}"
    english = has_request_context() and str(get_locale()) == "en"
    return text if english else text.replace(".", ",")


def init_templating(app: Flask) -> None:
    """Register the globals (`can`, `Need`) and filters used by every template."""
    app.jinja_env.globals.update(can=can, Need=Need, get_locale=get_locale, current_user=current_user)
    # Read at render time: the navigation shows a domain's link only when its page exists.
    app.jinja_env.globals["nav_endpoints"] = app.view_functions
    app.jinja_env.filters.update(vn_date=vn_date, vn_datetime=vn_datetime, hours=hours)

    @app.after_request
    def _remember_locale(response):
        if b"lang=" not in request.query_string:  # most requests: no query string to parse
            return response
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response
