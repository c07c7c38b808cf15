"""Forms of curricula: an administrator corrects a curriculum."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from trainer.core.forms import clean, finite


class ModuleForm(FlaskForm):
    """One module row (no CSRF of its own: it is part of the curriculum form)."""

    class Meta:
        csrf = False

    code = HiddenField()
    title = StringField(_l("Tên chuyên đề"), validators=[DataRequired(_l("Nhập tên chuyên đề.")),
                                                          Length(max=400)], filters=[clean(_l("tên chuyên đề"), 400)])
    hours = DecimalField(_l("Số giờ"), places=1, filters=[finite], validators=[
        DataRequired(_l("Nhập số giờ.")), NumberRange(min=0.5, max=200, message=_l("Từ 0,5 đến 200 giờ."))])


class CurriculumEditForm(FlaskForm):
    """Correct a curriculum's title, completion threshold and modules."""

    title = TextAreaField(_l("Tên chương trình"), filters=[clean(_l("tên chương trình"), 400)],
                          validators=[DataRequired(_l("Nhập tên chương trình.")), Length(max=400)])
    completion_threshold = DecimalField(
        _l("Tỷ lệ số giờ tham dự tối thiểu để hoàn thành (0-1)"), places=2, filters=[finite],
        validators=[DataRequired(_l("Nhập tỷ lệ.")), NumberRange(min=0.05, max=1, message=_l("Từ 0,05 đến 1."))])
    # Only a confirmed title is printed on certificates as the programme "ban hành kèm theo" the decision.
    title_confirmed = BooleanField(_l("Tên chương trình đã được đối chiếu với Quyết định"),
                                   description=_l("Khi đánh dấu, giấy chứng nhận cấp từ nay ghi chương trình "
                                                  "“ban hành kèm theo” Quyết định này; giấy đã cấp không đổi."))
    modules = FieldList(FormField(ModuleForm), min_entries=0)
