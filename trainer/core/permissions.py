"""The one place where who may see and change what is written.

Admins do everything. An organizer of unit U views and manages what belongs to U or any unit
below it; a reviewer of U views the same subtree and manages nothing. Every object resolves to
one owning unit (see `owning_unit`). Anonymous users reach only views marked `@public`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, false, select, true

from trainer.extensions import csrf, db
from trainer.units.models import Unit

if TYPE_CHECKING:
    from trainer.accounts.models import User

F = TypeVar("F", bound=Callable[..., Any])


class Need(enum.Enum):
    VIEW = "view"
    MANAGE = "manage"
    ADMINISTER = "administer"  # users, reference data: admins only


def public(view: F) -> F:
    """Mark a view as reachable without logging in (login, check-in, certificate verification)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def _role(user: User) -> str:
    return str(user.role)


def is_admin(user: Any) -> bool:
    """True for an authenticated admin."""
    return bool(getattr(user, "is_authenticated", False)) and _role(user) == "admin"


def unit_filter(user: User, need: Need, unit_col: Any) -> ColumnElement[bool]:
    """A WHERE clause restricting `unit_col` (a units.id column) to what `user` may reach."""
    if _role(user) == "admin":
        return true()
    if need is Need.ADMINISTER or (need is Need.MANAGE and _role(user) != "organizer") or user.unit is None:
        return false()
    return unit_col.in_(select(Unit.id).where(Unit.path.startswith(user.unit.path, autoescape=True)))


def scoped(stmt: Select, unit_col: Any, need: Need = Need.VIEW, user: User | None = None) -> Select:
    """Restrict a list or report query to the units `user` (default: the current user) may reach."""
    return stmt.where(unit_filter(user or current_user, need, unit_col))


def owning_unit(obj: Any) -> Unit | None:
    """The unit an object belongs to: itself for a unit, its course's unit for what hangs on a course."""
    if isinstance(obj, Unit):
        return obj
    for attr in ("course", "course_session"):  # enrolment, session, certificate, attendance
        parent = getattr(obj, attr, None)
        if parent is not None:
            return owning_unit(parent)
    return getattr(obj, "unit", None)  # course, participant, user


def can(user: Any, need: Need, obj: Any = None) -> bool:
    """May `user` view/manage `obj`? With no object: may they do so anywhere at all?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if _role(user) == "admin":
        return True
    if need is Need.ADMINISTER or (need is Need.MANAGE and _role(user) != "organizer"):
        return False
    if obj is None:
        return user.unit is not None
    unit = owning_unit(obj)
    return unit is not None and user.unit is not None and unit.path.startswith(user.unit.path)


def require(need: Need, obj: Any = None) -> None:
    """Abort with 403 unless the current user may do `need` (on `obj`)."""
    if not can(current_user, need, obj):
        abort(403)


def get_or_404_for(model: type, ident: Any, need: Need = Need.VIEW) -> Any:
    """Load an object the current user may reach: 404 when they may not even view it, 403 when
    they may view but not manage it."""
    obj = db.session.get(model, ident)
    if obj is None or not can(current_user, Need.VIEW, obj):
        abort(404)
    if need is not Need.VIEW and not can(current_user, need, obj):
        abort(403)
    return obj


def install_login_guard(app: Flask) -> None:
    """Reject anonymous requests to every view not marked `@public`; check CSRF on cookie-auth API writes."""

    @app.before_request
    def _guard():
        view = app.view_functions.get(request.endpoint or "")
        if view is None or request.endpoint == "static" or request.endpoint.endswith(".static"):
            return None  # 404/405 and static files
        if getattr(view, "is_public", False):
            return None
        if not current_user.is_authenticated:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        # API blueprints are exempt from the global CSRF check because bearer tokens are not
        # sent by browsers on their own; a browser using its session cookie must still send one.
        if (request.path.startswith("/api/") and request.method not in ("GET", "HEAD", "OPTIONS")
                and not g.get("auth_via_token")):
            csrf.protect()
        return None
