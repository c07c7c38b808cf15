"""Forms of certificates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from trainer.core.forms import clean


class ReasonForm(FlaskForm):
    """A reason for revoking or reissuing a certificate."""

    reason = StringField(_l("Lý do"), validators=[DataRequired(_l("Nhập lý do.")), Length(max=500)],
                         filters=[clean(_l("lý do"), 500)])
