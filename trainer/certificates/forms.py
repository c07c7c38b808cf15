"""Forms of certificates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from trainer.certificates.public_url import MAX_LENGTH
from trainer.core.forms import clean, date_field, max_length, visible


class ReasonForm(FlaskForm):
    """A reason for revoking or reissuing a certificate."""

    reason = StringField(_l("Lý do"), validators=[DataRequired(_l("Nhập lý do.")), Length(max=500)],
                         filters=[clean(_l("lý do"), 500)])


class CertificatesIssueForm(FlaskForm):
    """Issue a course's certificates; when the QR address is the server's own, the public address
    for this issuing, or the explicit choice to issue with the server's own address."""

    public_base_url = StringField(_l("Địa chỉ công khai của hệ thống"),
                                  validators=[Optional(), max_length(MAX_LENGTH)], filters=[visible])
    confirm_local = BooleanField(_l("Vẫn cấp với địa chỉ này"))
    # The date printed on the certificates: by default the course's last day (set by the view), never
    # the day the button is pressed; the service refuses one before the course ended or in the future.
    issued_on = date_field(_l("Ngày cấp (in trên giấy chứng nhận)"), required=False)
