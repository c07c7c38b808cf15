"""Forms of attendance."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from trainer.core.forms import clean


class MarksForm(FlaskForm):
    """Marks of one session (the checkboxes are read from the request: one per enrolled participant)."""

    method = SelectField(_l("Nguồn"), choices=[SelectChoice("manual", _l("Điểm danh thủ công")),
                                               SelectChoice("sheet", _l("Nhập từ danh sách ký giấy"))],
                         default="manual")
    reason = StringField(_l("Lý do (bắt buộc khi bỏ điểm danh)"), validators=[Optional(), Length(max=300)],
                         filters=[clean(_l("lý do"), 300)])


class EmptyForm(FlaskForm):
    """A one-button POST (revoke the codes): only the CSRF token."""
