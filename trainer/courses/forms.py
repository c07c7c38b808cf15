"""Forms of courses: plan, edit, cancel, change status; sessions and the quick timetable; enrol and withdraw."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.core.forms import clean, id_value, visible
from trainer.courses.models import CourseStatus
from trainer.courses.services import CREATE_STATUSES, MAX_CAPACITY, STATUS_LABELS
from trainer.schedule.services import DEFAULT_SLOTS, MAX_TIMETABLE_DAYS

BAD_DATE = _l("Ngày không hợp lệ.")
BAD_TIME = _l("Giờ không hợp lệ (HH:MM).")
BAD_NUMBER = _l("Phải là số nguyên.")
BAD_CHOICE = _l("Lựa chọn không hợp lệ.")
CAPACITY = [NumberRange(min=1, message=_l("Số chỗ phải lớn hơn 0.")),
            NumberRange(max=MAX_CAPACITY, message=_l("Tối đa %(max)s chỗ.", max=MAX_CAPACITY))]


def _len(maximum: int) -> Length:
    """A Length validator with a Vietnamese message."""
    return Length(max=maximum, message=_l("Tối đa %(max)d ký tự."))


def _date(label: str, *, required: bool = True) -> DateField:
    """A date field with Vietnamese messages."""
    return DateField(label, invalid_value_message=BAD_DATE,
                     validators=[InputRequired(_l("Nhập ngày.")) if required else Optional()])


def _time(label: str, default: time | None = None) -> TimeField:
    """A time-of-day field (HH:MM) with Vietnamese messages."""
    return TimeField(label, default=default, invalid_value_message=BAD_TIME,
                     validators=[InputRequired(_l("Nhập giờ."))])


class CourseCreateForm(FlaskForm):
    """Plan a course from a curriculum; an empty title takes the curriculum's default title."""

    curriculum = SelectField(_l("Chương trình"), invalid_choice_message=BAD_CHOICE)
    title = StringField(_l("Tên khóa học (để trống để lấy theo chương trình)"),
                        validators=[Optional(), _len(400)], filters=[clean("tên khóa học", 400)])
    unit = SelectField(_l("Đơn vị tổ chức"), coerce=int, invalid_choice_message=BAD_CHOICE,
                       invalid_value_message=BAD_CHOICE)
    venue = StringField(_l("Địa điểm"), validators=[DataRequired(_l("Nhập địa điểm.")), _len(300)],
                        filters=[clean("địa điểm", 300)])
    start_date = _date(_l("Ngày bắt đầu"))
    end_date = _date(_l("Ngày kết thúc"))
    capacity = IntegerField(_l("Số chỗ (để trống nếu không giới hạn)"), invalid_value_message=BAD_NUMBER,
                            validators=[Optional(), *CAPACITY])
    status = SelectField(_l("Trạng thái"), choices={s.value: STATUS_LABELS[s] for s in CREATE_STATUSES},
                         default=CourseStatus.DRAFT.value, invalid_choice_message=BAD_CHOICE)
    description = TextAreaField(_l("Ghi chú"), validators=[Optional(), _len(5000)], filters=[clean("ghi chú", 5000)])

    def __init__(self, *args, curricula: dict[str, str], units: dict[str, str], **kwargs) -> None:
        """Set the choices, which depend on the user and the course."""
        super().__init__(*args, **kwargs)
        self.curriculum.choices = curricula
        self.unit.choices = units


class CourseEditForm(FlaskForm):
    """Change a course's data (its curriculum and planned modules stay)."""

    title = StringField(_l("Tên khóa học"), validators=[DataRequired(_l("Nhập tên khóa học.")), _len(400)],
                        filters=[clean("tên khóa học", 400)])
    unit = SelectField(_l("Đơn vị tổ chức"), coerce=int, invalid_choice_message=BAD_CHOICE,
                       invalid_value_message=BAD_CHOICE)
    venue = StringField(_l("Địa điểm"), validators=[DataRequired(_l("Nhập địa điểm.")), _len(300)],
                        filters=[clean("địa điểm", 300)])
    start_date = _date(_l("Ngày bắt đầu"))
    end_date = _date(_l("Ngày kết thúc"))
    capacity = IntegerField(_l("Số chỗ (để trống nếu không giới hạn)"), invalid_value_message=BAD_NUMBER,
                            validators=[Optional(), *CAPACITY])
    description = TextAreaField(_l("Ghi chú"), validators=[Optional(), _len(5000)], filters=[clean("ghi chú", 5000)])

    def __init__(self, *args, units: dict[str, str], **kwargs) -> None:
        """Set the choices, which depend on the user and the course."""
        super().__init__(*args, **kwargs)
        self.unit.choices = units


class CourseCancelForm(FlaskForm):
    """Cancel a course, with the reason kept."""

    reason = TextAreaField(_l("Lý do hủy"), validators=[DataRequired(_l("Nhập lý do hủy khóa học.")),
                                                        _len(500)], filters=[clean("lý do hủy", 500)])


class CourseStatusForm(FlaskForm):
    """Move a course to another status (not cancelled: that has its own form)."""

    status = SelectField(_l("Trạng thái"), invalid_choice_message=BAD_CHOICE,
                         choices={s.value: STATUS_LABELS[s] for s in CourseStatus if s is not CourseStatus.CANCELLED})


class SessionCreateForm(FlaskForm):
    """Schedule one session: a date, start and end times in local time, modules, trainer."""

    day = _date(_l("Ngày"))
    start_time = _time(_l("Bắt đầu"))
    end_time = _time(_l("Kết thúc"))
    title = StringField(_l("Tên buổi học"), validators=[Optional(), _len(300)], filters=[clean("tên buổi học", 300)])
    module_codes = SelectMultipleField(_l("Chuyên đề"), widget=ListWidget(prefix_label=False),
                                       option_widget=CheckboxInput(), invalid_choice_message=BAD_CHOICE)
    trainer_name = StringField(_l("Giảng viên"), validators=[Optional(), _len(150)],
                               filters=[clean("tên giảng viên", 150)])
    venue = StringField(_l("Địa điểm (để trống: địa điểm của khóa học)"), validators=[Optional(), _len(300)],
                        filters=[clean("địa điểm", 300)])

    def __init__(self, *args, modules: dict[str, str], **kwargs) -> None:
        """Set the choices, which depend on the user and the course."""
        super().__init__(*args, **kwargs)
        self.module_codes.choices = modules


class SessionEditForm(SessionCreateForm):
    """Change one session."""


class TimetableForm(FlaskForm):
    """Lay out N days of morning and afternoon sessions at once."""

    start_date = _date(_l("Từ ngày"))
    days = IntegerField(_l("Số ngày học"), default=2, invalid_value_message=BAD_NUMBER, validators=[
        InputRequired(_l("Nhập số ngày.")),
        NumberRange(min=1, max=MAX_TIMETABLE_DAYS, message=_l("Từ 1 đến %(max)s ngày.", max=MAX_TIMETABLE_DAYS))])
    morning = BooleanField(_l("Buổi sáng"), default=True)
    morning_start = _time(_l("Sáng từ"), DEFAULT_SLOTS[0][0])
    morning_end = _time(_l("đến"), DEFAULT_SLOTS[0][1])
    afternoon = BooleanField(_l("Buổi chiều"), default=True)
    afternoon_start = _time(_l("Chiều từ"), DEFAULT_SLOTS[1][0])
    afternoon_end = _time(_l("đến"), DEFAULT_SLOTS[1][1])
    skip_weekends = BooleanField(_l("Bỏ qua thứ Bảy, Chủ nhật"), default=True)
    trainer_name = StringField(_l("Giảng viên"), validators=[Optional(), _len(150)],
                               filters=[clean("tên giảng viên", 150)])

    def slots(self) -> list[tuple[time, time]]:
        """The chosen (start, end) pairs."""
        chosen = []
        if self.morning.data:
            chosen.append((self.morning_start.data, self.morning_end.data))
        if self.afternoon.data:
            chosen.append((self.afternoon_start.data, self.afternoon_end.data))
        return chosen


class EnrolForm(FlaskForm):
    """Enrol the participants ticked in a search result (the service checks who may be enrolled)."""

    participant_ids = SelectMultipleField(coerce=id_value, validate_choice=False, invalid_value_message=BAD_CHOICE,
                                          validators=[DataRequired(_l("Chọn ít nhất một người."))])
    q = HiddenField(filters=[visible])


class WithdrawForm(FlaskForm):
    """Withdraw a participant, with the reason kept."""

    reason = TextAreaField(_l("Lý do rút tên"), validators=[DataRequired(_l("Nhập lý do rút tên.")),
                                                            _len(500)], filters=[clean("lý do rút tên", 500)])
