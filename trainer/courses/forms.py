"""Forms of courses: plan, edit, cancel, change status; the course's rules; enrol and withdraw."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from trainer.core.forms import BAD_CHOICE, BAD_NUMBER, clean, date_field, finite, id_value, max_length, visible
from trainer.courses.models import CourseStatus
from trainer.courses.services import CREATE_STATUSES, MAX_CAPACITY, STATUS_LABELS
from trainer.units.forms import IssuerFields

CAPACITY = [NumberRange(min=1, message=_l("Số chỗ phải lớn hơn 0.")),
            NumberRange(max=MAX_CAPACITY, message=_l("Tối đa %(max)s chỗ.", max=MAX_CAPACITY))]


class CourseCreateForm(FlaskForm):
    """Plan a course from a curriculum; an empty title takes the curriculum's default title."""

    curriculum = SelectField(_l("Chương trình"), invalid_choice_message=BAD_CHOICE)
    title = StringField(_l("Tên khóa học (để trống để lấy theo chương trình)"),
                        validators=[Optional(), max_length(400)], filters=[clean(_l("tên khóa học"), 400)])
    unit = SelectField(_l("Đơn vị tổ chức"), coerce=int, invalid_choice_message=BAD_CHOICE,
                       invalid_value_message=BAD_CHOICE)
    venue = StringField(_l("Địa điểm"), validators=[DataRequired(_l("Nhập địa điểm.")), max_length(300)],
                        filters=[clean(_l("địa điểm"), 300)])
    start_date = date_field(_l("Ngày bắt đầu"))
    end_date = date_field(_l("Ngày kết thúc"))
    capacity = IntegerField(_l("Số chỗ (để trống nếu không giới hạn)"), invalid_value_message=BAD_NUMBER,
                            validators=[Optional(), *CAPACITY])
    status = SelectField(_l("Trạng thái"),
                         choices=[SelectChoice(s.value, _l(STATUS_LABELS[s])) for s in CREATE_STATUSES],
                         default=CourseStatus.DRAFT.value, invalid_choice_message=BAD_CHOICE)
    description = TextAreaField(_l("Ghi chú"), validators=[Optional(), max_length(5000)],
                                filters=[clean(_l("ghi chú"), 5000)])

    def __init__(self, *args, curricula: dict[str, str], units: dict[str, str], **kwargs) -> None:
        """Set the choices, which depend on the user and the course."""
        super().__init__(*args, **kwargs)
        self.curriculum.choices = curricula
        self.unit.choices = units


class CourseEditForm(FlaskForm):
    """Change a course's data (its curriculum and planned modules stay)."""

    title = StringField(_l("Tên khóa học"), validators=[DataRequired(_l("Nhập tên khóa học.")), max_length(400)],
                        filters=[clean(_l("tên khóa học"), 400)])
    unit = SelectField(_l("Đơn vị tổ chức"), coerce=int, invalid_choice_message=BAD_CHOICE,
                       invalid_value_message=BAD_CHOICE)
    venue = StringField(_l("Địa điểm"), validators=[DataRequired(_l("Nhập địa điểm.")), max_length(300)],
                        filters=[clean(_l("địa điểm"), 300)])
    start_date = date_field(_l("Ngày bắt đầu"))
    end_date = date_field(_l("Ngày kết thúc"))
    capacity = IntegerField(_l("Số chỗ (để trống nếu không giới hạn)"), invalid_value_message=BAD_NUMBER,
                            validators=[Optional(), *CAPACITY])
    description = TextAreaField(_l("Ghi chú"), validators=[Optional(), max_length(5000)],
                                filters=[clean(_l("ghi chú"), 5000)])

    def __init__(self, *args, units: dict[str, str], **kwargs) -> None:
        """Set the choices, which depend on the user and the course."""
        super().__init__(*args, **kwargs)
        self.unit.choices = units


class CourseCancelForm(FlaskForm):
    """Cancel a course, with the reason kept."""

    reason = TextAreaField(_l("Lý do hủy"), validators=[DataRequired(_l("Nhập lý do hủy khóa học.")),
                                                        max_length(500)], filters=[clean(_l("lý do hủy"), 500)])


class CourseStatusForm(FlaskForm):
    """Move a course to another status (not cancelled: that has its own form)."""

    status = SelectField(_l("Trạng thái"), invalid_choice_message=BAD_CHOICE,
                         choices=[SelectChoice(s.value, _l(STATUS_LABELS[s])) for s in CourseStatus
                                  if s is not CourseStatus.CANCELLED])


class CourseRulesForm(FlaskForm):
    """Check-in window, lateness, completion threshold and certificates of one course."""

    checkin_opens_minutes = IntegerField(_l("Mở điểm danh trước giờ học (phút)"), validators=[
        InputRequired(_l("Nhập số phút.")), NumberRange(0, 240, _l("Từ 0 đến 240 phút."))])
    late_after_minutes = IntegerField(_l("Tính là đến muộn sau giờ bắt đầu (phút)"), validators=[
        InputRequired(_l("Nhập số phút.")), NumberRange(0, 240, _l("Từ 0 đến 240 phút."))])
    completion_percent = DecimalField(_l("Tỷ lệ số giờ tối thiểu để hoàn thành (%) — để trống: theo chương trình"),
                                      places=0, filters=[finite],
                                      validators=[Optional(), NumberRange(10, 100, _l("Từ 10 đến 100%."))])
    issues_certificates = BooleanField(_l("Cấp giấy chứng nhận cho người hoàn thành"))


class EnrolForm(FlaskForm):
    """Enrol the participants ticked in a search result (the service checks who may be enrolled)."""

    participant_ids = SelectMultipleField(coerce=id_value, validate_choice=False, invalid_value_message=BAD_CHOICE,
                                          validators=[DataRequired(_l("Chọn ít nhất một người."))])
    q = HiddenField(filters=[visible])


class WithdrawForm(FlaskForm):
    """Withdraw a participant, with the reason kept."""

    reason = TextAreaField(_l("Lý do rút tên"), validators=[DataRequired(_l("Nhập lý do rút tên.")),
                                                            max_length(500)], filters=[clean(_l("lý do rút tên"), 500)])


class CourseIssuerForm(IssuerFields):
    """Who issues and signs the course's documents (its copy of the unit's settings)."""
