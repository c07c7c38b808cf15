"""Forms of units: a unit's issuer settings for a period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from trainer.core.forms import clean, date_field, max_length


class IssuerFields(FlaskForm):
    """Who issues and signs documents: the fields a unit's settings and a course's copy share."""

    agency_parent = StringField(_l("Cơ quan chủ quản (ví dụ: Ủy ban nhân dân huyện Tân Yên)"),
                                validators=[Optional(), max_length(200)], filters=[clean(_l("cơ quan chủ quản"), 200)])
    agency_name = StringField(_l("Cơ quan ban hành (ví dụ: Phòng Văn hóa và Thông tin)"),
                              validators=[DataRequired(_l("Nhập cơ quan ban hành.")), max_length(200)],
                              filters=[clean(_l("cơ quan ban hành"), 200)])
    place_name = StringField(_l("Địa danh ghi ở dòng ngày tháng (ví dụ: Tân Yên)"),
                             validators=[DataRequired(_l("Nhập địa danh.")), max_length(100)],
                             filters=[clean(_l("địa danh"), 100)])
    signer_prefix = StringField(_l("Quyền hạn ký (ví dụ: KT. TRƯỞNG PHÒNG; để trống nếu người đứng đầu ký)"),
                                validators=[Optional(), max_length(100)], filters=[clean(_l("quyền hạn ký"), 100)])
    signer_title = StringField(_l("Chức vụ người ký (ví dụ: PHÓ TRƯỞNG PHÒNG)"),
                               validators=[DataRequired(_l("Nhập chức vụ người ký.")), max_length(100)],
                               filters=[clean(_l("chức vụ người ký"), 100)])
    signer_name = StringField(_l("Họ và tên người ký"), validators=[Optional(), max_length(100)],
                              filters=[clean(_l("họ tên người ký"), 100)])


class UnitIssuerForm(IssuerFields):
    """Who issues and signs the unit's documents from `valid_from` to `valid_to` (both optional: unbounded)."""

    valid_from = date_field(_l("Có hiệu lực từ ngày (để trống: từ trước đến nay)"), required=False)
    valid_to = date_field(_l("Đến hết ngày (để trống: chưa hết hiệu lực)"), required=False)
    agency_abbr = StringField(_l("Chữ viết tắt tên cơ quan, cho số văn bản (ví dụ: VHTT trong “Số: 05/BC-VHTT”)"),
                              validators=[Optional(), max_length(20)], filters=[clean(_l("chữ viết tắt"), 20)])
    recipients = TextAreaField(_l("Nơi nhận của báo cáo, mỗi dòng một nơi (để trống: theo mặc định)"),
                               validators=[Optional(), max_length(1000)])
