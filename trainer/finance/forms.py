"""Forms of the finance pages: a lecturer of the registry; a province's rates from a date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Optional

from trainer.core.forms import BAD_CHOICE, clean, date_field, max_length, visible
from trainer.finance.lecturers import TIER_LABELS


class LecturerForm(FlaskForm):
    """Add or change a lecturer of the province's registry."""

    full_name = StringField(_l("Họ và tên"), validators=[InputRequired(_l("Nhập họ và tên.")), max_length(150)],
                            filters=[clean("họ và tên", 150)])
    agency = StringField(_l("Cơ quan công tác"), validators=[Optional(), max_length(300)],
                         filters=[clean("cơ quan công tác", 300)])
    tier = SelectField(_l("Hạng (mức thù lao theo Thông tư 36/2018/TT-BTC)"), coerce=int, default=4,
                       choices={str(k): v for k, v in TIER_LABELS.items()},
                       invalid_choice_message=BAD_CHOICE)
    phone = StringField(_l("Điện thoại"), validators=[Optional(), max_length(30)], filters=[visible])
    email = StringField(_l("Email"), validators=[Optional(), max_length(254)], filters=[visible])


class RatesForm(FlaskForm):
    """A province's rates from a date (whole đồng; dots between thousands are accepted)."""

    valid_from = date_field(_l("Áp dụng từ ngày"))
    fee_1 = StringField(_l("Hạng 1 (đồng/buổi)"), validators=[InputRequired(_l("Nhập số tiền."))], filters=[visible])
    fee_2 = StringField(_l("Hạng 2 (đồng/buổi)"), validators=[InputRequired(_l("Nhập số tiền."))], filters=[visible])
    fee_3 = StringField(_l("Hạng 3 (đồng/buổi)"), validators=[InputRequired(_l("Nhập số tiền."))], filters=[visible])
    fee_4 = StringField(_l("Hạng 4 (đồng/buổi)"), validators=[InputRequired(_l("Nhập số tiền."))], filters=[visible])
    trainee_support_per_day = StringField(_l("Hỗ trợ tiền ăn học viên (đồng/ngày)"),
                                          validators=[InputRequired(_l("Nhập số tiền."))], filters=[visible])
    source = StringField(_l("Theo văn bản (số, ngày nghị quyết, quyết định)"),
                         validators=[InputRequired(_l("Nhập văn bản quy định.")), max_length(300)],
                         filters=[clean("văn bản quy định", 300)])
