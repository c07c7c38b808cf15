"""Forms of the finance pages: a lecturer of the registry; a province's rates from a date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
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
                       choices=[SelectChoice(k, _l(v)) for k, v in TIER_LABELS.items()],
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


class PaperworkForm(FlaskForm):
    """The number and date of each of a course's decisions and letters (empty: left blank to fill by hand)."""

    open_decision_number = StringField(_l("Số quyết định mở lớp"), validators=[Optional(), max_length(40)],
                                       filters=[visible])
    open_decision_signed_on = date_field(_l("Ngày ký"), required=False)
    open_decision_basis = TextAreaField(_l("Căn cứ khác (mỗi dòng một căn cứ)"),
                                        validators=[Optional(), max_length(2000)], filters=[visible])
    summons_number = StringField(_l("Số giấy triệu tập"), validators=[Optional(), max_length(40)], filters=[visible])
    summons_signed_on = date_field(_l("Ngày ký"), required=False)
    completion_decision_number = StringField(_l("Số quyết định công nhận hoàn thành"),
                                             validators=[Optional(), max_length(40)], filters=[visible])
    completion_decision_signed_on = date_field(_l("Ngày ký"), required=False)
    completion_decision_basis = TextAreaField(_l("Căn cứ khác (mỗi dòng một căn cứ)"),
                                              validators=[Optional(), max_length(2000)], filters=[visible])

    def values(self) -> dict[str, dict]:
        """{kind: {number, signed_on, basis}} for save_documents."""
        return {kind: {"number": getattr(self, f"{kind}_number").data or "",
                       "signed_on": getattr(self, f"{kind}_signed_on").data,
                       "basis": getattr(self, f"{kind}_basis").data if hasattr(self, f"{kind}_basis") else ""}
                for kind in ("open_decision", "summons", "completion_decision")}


class BudgetForm(FlaskForm):
    """The organizer's budget lines: venue, materials and other costs, estimate and settlement (whole đồng)."""

    venue_estimate = StringField(_l("Dự toán"), validators=[Optional(), max_length(20)], filters=[visible])
    venue_actual = StringField(_l("Quyết toán"), validators=[Optional(), max_length(20)], filters=[visible])
    venue_note = StringField(_l("Ghi chú"), validators=[Optional(), max_length(300)], filters=[clean("ghi chú", 300)])
    materials_estimate = StringField(_l("Dự toán"), validators=[Optional(), max_length(20)], filters=[visible])
    materials_actual = StringField(_l("Quyết toán"), validators=[Optional(), max_length(20)], filters=[visible])
    materials_note = StringField(_l("Ghi chú"), validators=[Optional(), max_length(300)],
                                 filters=[clean("ghi chú", 300)])
    other_estimate = StringField(_l("Dự toán"), validators=[Optional(), max_length(20)], filters=[visible])
    other_actual = StringField(_l("Quyết toán"), validators=[Optional(), max_length(20)], filters=[visible])
    other_note = StringField(_l("Ghi chú"), validators=[Optional(), max_length(300)], filters=[clean("ghi chú", 300)])

    def values(self) -> dict[str, dict]:
        """{kind: {estimate, actual, note}} for save_budget_lines."""
        return {kind: {key: getattr(self, f"{kind}_{key}").data for key in ("estimate", "actual", "note")}
                for kind in ("venue", "materials", "other")}
