"""Forms of accounts: login, passwords, user creation, API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from trainer.accounts.models import ROLE_LABELS, Role
from trainer.core.forms import clean
from trainer.units.models import SCHEMES

# Lifetimes offered for a new API token, in days (the default, API_TOKEN_DAYS, is preselected).
TOKEN_DAY_CHOICES = (30, 90, 180, 365)


class LoginForm(FlaskForm):
    """Log in with e-mail and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Nhập email."))])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu."))])
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))


class NewPasswordForm(FlaskForm):
    """Choose a new password (after an admin's reset)."""

    new_password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(_l("Nhập mật khẩu mới."))])
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(_l("Nhập lại mật khẩu mới.")), EqualTo("new_password", _l("Hai lần nhập không khớp."))])


class PasswordChangeForm(NewPasswordForm):
    """Change one's own password: the current one first."""

    current_password = PasswordField(_l("Mật khẩu hiện tại"),
                                     validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))])


class UserCreateForm(FlaskForm):
    """An admin creates a staff account scoped to a unit."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Nhập email.")), Length(max=254)])
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=120)],
                            filters=[clean(_l("họ và tên"), 120)])
    role = SelectField(_l("Vai trò"), choices=[SelectChoice(r.value, _l(label)) for r, label in ROLE_LABELS.items()],
                       default=Role.ORGANIZER.value)
    scheme = SelectField(_l("Danh mục đơn vị"), choices={s: s for s in SCHEMES})
    unit_code = StringField(_l("Mã đơn vị (mã GSO)"), validators=[Optional(), Length(max=10)])
    password = PasswordField(_l("Mật khẩu (để trống để tạo ngẫu nhiên)"), validators=[Optional()])


class TokenCreateForm(FlaskForm):
    """Create an API token for oneself, valid for a chosen number of days."""

    name = StringField(_l("Tên gợi nhớ"), validators=[Optional(), Length(max=100)])
    days = SelectField(_l("Thời hạn"), coerce=int)

    def __init__(self, *args, default_days: int, max_days: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = sorted({d for d in (*TOKEN_DAY_CHOICES, default_days) if d <= max_days})
        self.days.choices = [(d, _l("%(days)s ngày", days=d)) for d in options]
        if self.days.data is None:
            self.days.data = default_days


class EmptyForm(FlaskForm):
    """A field-less form that carries the CSRF token of a one-button POST."""
