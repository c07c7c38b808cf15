"""Forms of sessions: schedule or change one session; lay out a typical timetable in one step."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.core.forms import BAD_CHOICE, BAD_NUMBER, clean, date_field, max_length, time_field
from trainer.schedule.services import DEFAULT_SLOTS, MAX_TIMETABLE_DAYS


class SessionCreateForm(FlaskForm):
    """Schedule one session: a date, start and end times in local time, modules, trainer."""

    day = date_field(_l("Ngày"))
    start_time = time_field(_l("Bắt đầu"))
    end_time = time_field(_l("Kết thúc"))
    title = StringField(_l("Tên buổi học"), validators=[Optional(), max_length(300)],
                        filters=[clean(_l("tên buổi học"), 300)])
    module_codes = SelectMultipleField(_l("Chuyên đề"), widget=ListWidget(prefix_label=False),
                                       option_widget=CheckboxInput(), invalid_choice_message=BAD_CHOICE)
    trainer_name = StringField(_l("Giảng viên"), validators=[Optional(), max_length(150)],
                               filters=[clean(_l("tên giảng viên"), 150)])
    venue = StringField(_l("Địa điểm (để trống: địa điểm của khóa học)"), validators=[Optional(), max_length(300)],
                        filters=[clean(_l("địa điểm"), 300)])
    lecturer_ids = SelectMultipleField(_l("Giảng viên, báo cáo viên (danh sách của tỉnh)"), coerce=int,
                                       invalid_choice_message=BAD_CHOICE)

    def __init__(self, *args, modules: dict[str, str], lecturers: dict[int, str] | None = None, **kwargs) -> None:
        """Set the choices, which depend on the user and the course."""
        super().__init__(*args, **kwargs)
        self.module_codes.choices = modules
        self.lecturer_ids.choices = {str(k): v for k, v in (lecturers or {}).items()}


class SessionEditForm(SessionCreateForm):
    """Change one session."""


class TimetableForm(FlaskForm):
    """Lay out N days of morning and afternoon sessions at once."""

    start_date = date_field(_l("Từ ngày"))
    days = IntegerField(_l("Số ngày học"), default=2, invalid_value_message=BAD_NUMBER, validators=[
        InputRequired(_l("Nhập số ngày.")),
        NumberRange(min=1, max=MAX_TIMETABLE_DAYS, message=_l("Từ 1 đến %(max)s ngày.", max=MAX_TIMETABLE_DAYS))])
    morning = BooleanField(_l("Buổi sáng"), default=True)
    morning_start = time_field(_l("Sáng từ"), DEFAULT_SLOTS[0][0])
    morning_end = time_field(_l("đến"), DEFAULT_SLOTS[0][1])
    afternoon = BooleanField(_l("Buổi chiều"), default=True)
    afternoon_start = time_field(_l("Chiều từ"), DEFAULT_SLOTS[1][0])
    afternoon_end = time_field(_l("đến"), DEFAULT_SLOTS[1][1])
    skip_weekends = BooleanField(_l("Bỏ qua thứ Bảy, Chủ nhật"), default=True)
    trainer_name = StringField(_l("Giảng viên"), validators=[Optional(), max_length(150)],
                               filters=[clean(_l("tên giảng viên"), 150)])
    lecturer_ids = SelectMultipleField(_l("Giảng viên, báo cáo viên (danh sách của tỉnh)"), coerce=int,
                                       invalid_choice_message=BAD_CHOICE)

    def __init__(self, *args, lecturers: dict[int, str] | None = None, **kwargs) -> None:
        """Set the lecturers of the course's province as choices."""
        super().__init__(*args, **kwargs)
        self.lecturer_ids.choices = {str(k): v for k, v in (lecturers or {}).items()}

    def slots(self) -> list[tuple[time, time]]:
        """The chosen (start, end) pairs."""
        chosen = []
        if self.morning.data:
            chosen.append((self.morning_start.data, self.morning_end.data))
        if self.afternoon.data:
            chosen.append((self.afternoon_start.data, self.afternoon_end.data))
        return chosen
