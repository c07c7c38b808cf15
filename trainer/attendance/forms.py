"""Forms of attendance."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from trainer.core.forms import clean


class MarksForm(FlaskForm):
    """Marks of one session (the checkboxes are read from the request: one per enrolled participant)."""

    method = SelectField("Nguồn", choices={"manual": "Điểm danh thủ công", "sheet": "Nhập từ danh sách ký giấy"},
                         default="manual")
    reason = StringField("Lý do (bắt buộc khi bỏ điểm danh)", validators=[Optional(), Length(max=300)],
                         filters=[clean("lý do", 300)])


class EmptyForm(FlaskForm):
    """A one-button POST (revoke the codes): only the CSRF token."""
