"""Pages of accounts: login, logout, user administration, own API tokens."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from trainer.accounts.forms import EmptyForm, LoginForm, TokenCreateForm, UserCreateForm
from trainer.accounts.models import ROLE_LABELS, ApiToken, Role, User
from trainer.accounts.services import authenticate, create_user, generate_password, issue_api_token
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, public, require
from trainer.extensions import db
from trainer.units.services import get_unit

bp = Blueprint("accounts", __name__)


@bp.app_template_filter("role_label")
def role_label(role: Role | str) -> str:
    """The Vietnamese name of a role."""
    return str(ROLE_LABELS.get(Role(role), role))


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "")
        except DomainError as exc:
            form.password.errors.append(exc.message)
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (a POST, so another site cannot log people out)."""
    logout_user()
    flash(_("Bạn đã đăng xuất."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/users")
def users():
    """List staff accounts (admins)."""
    require(Need.ADMINISTER)
    rows = db.session.scalars(select(User).order_by(User.email).options(
        db.joinedload(User.unit))).all()
    return render_template("accounts/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    """Create a staff account scoped to a unit (admins)."""
    require(Need.ADMINISTER)
    form = UserCreateForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            unit = get_unit(form.unit_code.data, scheme=form.scheme.data) if form.unit_code.data else None
            password = form.password.data or generate_password()
            user = create_user(form.email.data or "", role, unit=unit, password=password,
                               full_name=form.full_name.data or "", actor=current_user)
        except DomainError as exc:
            field = next(iter(exc.fields or {}), None)
            target = {"unit": form.unit_code, "email": form.email, "password": form.password}.get(
                field or "", form.unit_code if exc.code.startswith("unit") else form.email)
            target.errors = [*target.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Đã tạo tài khoản %(email)s.", email=user.email), "success")
            if not form.password.data:
                return render_template("accounts/user_created.html", user=user, password=password)
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_new.html", form=form)


@bp.route("/account/tokens", methods=["GET", "POST"])
def tokens():
    """List and create one's own API tokens; a new token is shown once."""
    form = TokenCreateForm()
    new_token = None
    if form.validate_on_submit():
        new_token = issue_api_token(current_user, name=form.name.data or "")
        db.session.commit()
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                              .order_by(ApiToken.created_at.desc())).all()
    return render_template("accounts/tokens.html", form=form, tokens=rows, new_token=new_token,
                           empty_form=EmptyForm())
