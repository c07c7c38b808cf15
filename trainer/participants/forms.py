"""Forms of participants: register, edit, upload a workbook, confirm an import."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from trainer.core.forms import clean, visible
from trainer.curricula.models import TARGET_GROUP_LABELS
from trainer.participants.ethnicity import ETHNIC_GROUPS
from trainer.participants.fields import GENDER_LABELS


def _max(length: int) -> Length:
    """A maximum length with a Vietnamese message."""
    return Length(max=length, message=_l("Tối đa %(n)s ký tự.", n=length))


def _gender_choices() -> dict[str, str]:
    """Gender choices with an empty first option."""
    return {"": gettext("— Chọn —"), **{g.value: gettext(label) for g, label in GENDER_LABELS.items()}}


def _group_choices() -> dict[str, str]:
    """Target-group choices (contract codes, labels in the page's language) with an empty first option."""
    return {"": gettext("— Chọn nhóm đối tượng —"),
            **{g.value: gettext(label) for g, label in TARGET_GROUP_LABELS.items()}}


class _ParticipantFields(FlaskForm):
    """The fields shared by registering and editing (not a use case of its own)."""

    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(_l("Nhập họ và tên.")), _max(120)],
                            filters=[clean(_l("họ và tên"), 120)])
    gender = SelectField(_l("Giới tính"), validators=[DataRequired(_l("Chọn giới tính."))])
    # Text checked by the service (Vietnamese messages, dd/mm/yyyy or the date input's yyyy-mm-dd).
    birth_date = StringField(_l("Ngày sinh"), validators=[Optional(), _max(10)], filters=[visible],
                             render_kw={"type": "date"})
    phone = StringField(_l("Số điện thoại"), validators=[DataRequired(_l("Nhập số điện thoại.")), _max(30)],
                        filters=[visible],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})
    email = EmailField(_l("Email"), validators=[Optional(), _max(254)], filters=[visible])
    unit_code = StringField(_l("Đơn vị (xã, phường, thị trấn)"),
                            validators=[DataRequired(_l("Chọn đơn vị.")), _max(200)], filters=[visible],
                            render_kw={"list": "unit-options", "autocomplete": "off"})
    position = StringField(_l("Chức vụ"), validators=[Optional(), _max(200)], filters=[clean(_l("chức vụ"), 200)])
    target_group = SelectField(_l("Nhóm đối tượng"), validators=[DataRequired(_l("Chọn nhóm đối tượng."))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set the choices (as dicts: WTForms 3.3 deprecates tuples)."""
        super().__init__(*args, **kwargs)
        self.gender.choices = _gender_choices()
        self.target_group.choices = _group_choices()


class ParticipantCreateForm(_ParticipantFields):
    """Register a participant; the ethnic group is asked for but only the minority flag is kept."""

    ethnicity = SelectField(_l("Dân tộc"), validators=[DataRequired(_l("Chọn dân tộc."))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The 54 groups, Kinh first, after an empty option."""
        super().__init__(*args, **kwargs)
        self.ethnicity.choices = {"": gettext("— Chọn dân tộc —"), **{name: name for name in ETHNIC_GROUPS}}


class ParticipantEditForm(_ParticipantFields):
    """Edit a participant; the ethnic group is not stored, so an empty choice keeps the stored flag."""

    ethnicity = SelectField(_l("Dân tộc"), validators=[Optional()])

    def __init__(self, *args: Any, current_flag: bool | None = None, **kwargs: Any) -> None:
        """The 54 groups after an option that keeps `current_flag`, which it names."""
        super().__init__(*args, **kwargs)
        kept = {True: gettext("— Giữ nguyên (dân tộc thiểu số) —"),
                False: gettext("— Giữ nguyên (không phải dân tộc thiểu số) —"),
                None: gettext("— Giữ nguyên (chưa có thông tin) —")}[current_flag]
        self.ethnicity.choices = {"": kept, **{name: name for name in ETHNIC_GROUPS}}


class ParticipantImportForm(FlaskForm):
    """Upload a filled-in template for a dry run."""

    file = FileField(_l("Tệp Excel (.xlsx)"), validators=[FileRequired(_l("Chọn tệp Excel để tải lên."))],
                     render_kw={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})


class ImportConfirmForm(FlaskForm):
    """Confirm the import of a file that passed its dry run (kept on the server under a random name)."""

    token = HiddenField(validators=[DataRequired()])
    course_id = HiddenField()  # set when importing straight into a course
    confirm_identity = HiddenField()  # "1": the identity conflicts were confirmed as new people


class ParticipantAnonymiseForm(FlaskForm):
    """Confirm the anonymisation of a participant, with the reason (trainer.participants.privacy)."""

    reason = TextAreaField(_l("Lý do (ví dụ: người này yêu cầu xóa dữ liệu, đơn ngày …)"),
                           validators=[DataRequired(_l("Nhập lý do ẩn danh hóa.")), _max(500)])
    confirm = BooleanField(_l("Tôi hiểu: họ tên, số điện thoại, email, ngày sinh và chức vụ sẽ bị xóa vĩnh viễn, "
                              "không khôi phục được."),
                           validators=[DataRequired(_l("Đánh dấu ô xác nhận để tiếp tục."))])


class ImportIdentityForm(FlaskForm):
    """Confirm that the rows whose phone belongs to someone with another name are other people."""

    token = HiddenField(validators=[DataRequired()])
    course_id = HiddenField()
    checked = BooleanField(_l("Tôi đã kiểm tra: đây là những người khác nhau. Tạo người mới với các số điện thoại "
                              "này; người cũ giữ lịch sử học nhưng bỏ số điện thoại."),
                           validators=[DataRequired(_l("Hãy đánh dấu ô xác nhận nếu đây là những người khác nhau."))])
