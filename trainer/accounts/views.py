"""Pages of accounts: login and logout, one's own account (password, sessions, API tokens), user administration."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from trainer.accounts.forms import (
    EmptyForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    TokenCreateForm,
    UserCreateForm,
)
from trainer.accounts.login_sessions import SESSION_KEY, end_login_session, end_login_sessions, start_login_session
from trainer.accounts.models import ROLE_LABELS, ApiToken, LoginSession, Role, User
from trainer.accounts.queries import list_api_tokens, list_login_sessions, list_users
from trainer.accounts.services import (
    activate_user,
    change_password,
    create_user,
    deactivate_user,
    generate_password,
    issue_api_token,
    reset_password,
    revoke_api_token,
    set_new_password,
    token_days_allowed,
)
from trainer.accounts.signin import authenticate
from trainer.core.db import utcnow
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, public, require
from trainer.core.throttle import TooManyAttempts, client_key, keyed_hash
from trainer.extensions import db
from trainer.units.services import get_unit

bp = Blueprint("accounts", __name__)

# After an admin's reset, the temporary password only leads to choosing a new one: the browser holds
# this pending state (signed, for 10 minutes) instead of a sign-in session.
PENDING_KEY = "_new_password_for"
PENDING_MINUTES = 10
COUNTED_CODES = ("invalid_credentials", "wrong_password", "too_many_attempts")


@bp.app_template_filter("role_label")
def role_label(role: Role | str) -> str:
    """The name of a role in the page's language."""
    return _(ROLE_LABELS[Role(role)]) if role in set(Role) else str(role)


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


def _client() -> str:
    return client_key(request.remote_addr)


def _sign_in(user: User, *, remember: bool) -> None:
    """Open a server-side sign-in session for this browser (the caller commits)."""
    session[SESSION_KEY] = start_login_session(user, remember=remember, user_agent=request.user_agent.string)
    session.permanent = remember  # the cookie outlives the browser only when asked to
    login_user(user)


def _refused(template: str, status: int, exc: DomainError | None = None, **context):
    response = make_response(render_template(template, **context), status)
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _pending_fingerprint(user: User) -> str:
    return keyed_hash("new-password", f"{user.id}:{user.password_hash}")[:32]


def _pending_user() -> User | None:
    """The user who proved a temporary password in this browser and must now choose a new one."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    user = db.session.get(User, pending.get("uid")) if isinstance(pending.get("uid"), int) else None
    if (user is None or not user.is_active or not user.must_change_password
            or pending.get("until", 0) < utcnow().timestamp() or pending.get("fp") != _pending_fingerprint(user)):
        session.pop(PENDING_KEY, None)
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in with e-mail and password (throttled per account and per client)."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    if request.args.get("restart"):
        session.pop(PENDING_KEY, None)
    pending = _pending_user()
    if pending is not None:
        return _choose_new_password(pending)
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "", client=_client())
        except DomainError as exc:
            if exc.code in COUNTED_CODES:
                db.session.commit()  # the failure counts, though the answer is an error
            form.password.errors.append(exc.said())
            return _refused("accounts/login.html", 429 if isinstance(exc, TooManyAttempts) else 422, exc, form=form)
        if user.must_change_password:
            session[PENDING_KEY] = {"uid": user.id, "fp": _pending_fingerprint(user),
                                    "remember": bool(form.remember.data),
                                    "until": (utcnow() + timedelta(minutes=PENDING_MINUTES)).timestamp()}
            db.session.commit()  # the account's failures, cleared
            return redirect(url_for("accounts.login", next=request.args.get("next")))
        _sign_in(user, remember=bool(form.remember.data))
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


def _choose_new_password(user: User):
    """Second step of a sign-in with a temporary password: choose the new one, then be signed in."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            set_new_password(user, form.new_password.data or "", actor=user)
        except DomainError as exc:
            form.new_password.errors.append(exc.said())
        else:
            remember = bool(session.pop(PENDING_KEY, {}).get("remember"))
            _sign_in(user, remember=remember)
            db.session.commit()
            flash(_("Đã đặt mật khẩu mới."), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login_new_password.html", form=form, user=user), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (a POST, so another site cannot log people out): this browser's session ends on the server."""
    key = session.pop(SESSION_KEY, None)
    if isinstance(key, str):
        end_login_session(key)
    logout_user()
    session.permanent = False
    db.session.commit()
    flash(_("Bạn đã đăng xuất."), "success")
    return redirect(url_for("accounts.login"))


# --- one's own account ------------------------------------------------------------------------


@bp.route("/account")
def account():
    """One's own account: details, password, signed-in browsers, API tokens."""
    return render_template("accounts/account.html", login_sessions=list_login_sessions(current_user),
                           current_key_hash=_current_key_hash(), empty_form=EmptyForm())


def _current_key_hash() -> str | None:
    key = session.get(SESSION_KEY)
    return LoginSession.hash_key(key) if isinstance(key, str) else None


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    """Change one's own password (the current one is needed); every other browser is signed out."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current_password.data or "", form.new_password.data or "", client=_client())
        except DomainError as exc:
            if exc.code in COUNTED_CODES:
                db.session.commit()  # a wrong current password counts like a failed sign-in
            target = form.current_password if exc.code in COUNTED_CODES else form.new_password
            target.errors = [*target.errors, exc.said()]
            return _refused("accounts/password.html", 429 if isinstance(exc, TooManyAttempts) else 422, exc,
                            form=form)
        _sign_in(user, remember=session.permanent)
        db.session.commit()
        flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/password.html", form=form), 200 if not form.errors else 422


@bp.route("/account/sessions/end-others", methods=["POST"])
def end_other_sessions():
    """Sign out every other browser of one's own account."""
    key = session.get(SESSION_KEY)
    count = end_login_sessions(current_user, keep_key=key if isinstance(key, str) else None)
    db.session.commit()
    flash(_("Đã đăng xuất %(count)s phiên khác.", count=count), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/tokens", methods=["GET", "POST"])
def tokens():
    """List and create one's own API tokens; a new token is shown once."""
    default_days, max_days = token_days_allowed()
    form = TokenCreateForm(default_days=default_days, max_days=max_days)
    new_token = None
    if form.validate_on_submit():
        try:
            new_token = issue_api_token(current_user, name=form.name.data or "", days=form.days.data)
        except DomainError as exc:
            form.days.errors = [*form.days.errors, exc.said()]
        else:
            db.session.commit()
    return render_template("accounts/tokens.html", form=form, tokens=list_api_tokens(current_user),
                           new_token=new_token, empty_form=EmptyForm(), now=utcnow())


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
def token_revoke(token_id: int):
    """Revoke one of one's own API tokens at once."""
    api_token = db.session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != current_user.id:
        abort(404)
    revoke_api_token(api_token, actor=current_user)
    db.session.commit()
    flash(_("Đã thu hồi mã %(prefix)s…", prefix=api_token.prefix), "success")
    return redirect(url_for("accounts.tokens"))


# --- user administration (admins) -------------------------------------------------------------


@bp.route("/users")
def users():
    """List staff accounts (admins)."""
    require(Need.ADMINISTER)
    return render_template("accounts/users.html", users=list_users())


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
            target.errors = [*target.errors, exc.said()]
        else:
            db.session.commit()
            flash(_("Đã tạo tài khoản %(email)s.", email=user.email), "success")
            if not form.password.data:
                return render_template("accounts/user_created.html", user=user, password=password)
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_new.html", form=form)


def _managed_user(user_id: int) -> User:
    require(Need.ADMINISTER)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
def user_detail(user_id: int):
    """One staff account: state, sessions and tokens; reset, deactivate, reactivate (admins)."""
    user = _managed_user(user_id)
    now = utcnow()
    return render_template("accounts/user_detail.html", user=user, empty_form=EmptyForm(), now=now,
                           login_sessions=list_login_sessions(user, now=now), tokens=list_api_tokens(user))


def _user_action(user_id: int, action, done: str):
    user = _managed_user(user_id)  # CSRF: checked for every form POST by the global CSRFProtect
    try:
        action(user, actor=current_user)
    except DomainError as exc:
        flash(exc.said(), "danger")
    else:
        db.session.commit()
        flash(done % {"email": user.email}, "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def user_deactivate(user_id: int):
    """Deactivate an account: signed out everywhere, tokens revoked, no sign-in (admins)."""
    return _user_action(user_id, deactivate_user, _("Đã vô hiệu hóa tài khoản %(email)s."))


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
def user_activate(user_id: int):
    """Let a deactivated account sign in again (admins)."""
    return _user_action(user_id, activate_user, _("Đã kích hoạt lại tài khoản %(email)s."))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def user_reset_password(user_id: int):
    """Give an account a temporary password, shown once; it must be replaced at the next sign-in (admins)."""
    user = _managed_user(user_id)  # CSRF: checked for every form POST by the global CSRFProtect
    try:
        temporary = reset_password(user, actor=current_user)
    except DomainError as exc:
        flash(exc.said(), "danger")
        return redirect(url_for("accounts.user_detail", user_id=user.id))
    db.session.commit()
    return render_template("accounts/password_reset.html", user=user, password=temporary)
