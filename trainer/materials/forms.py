"""Forms of training materials: upload a document, delete one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from trainer.core.forms import clean


class MaterialUploadForm(FlaskForm):
    """Attach a document to a course or a curriculum module; type and size are checked by the service."""

    title = StringField(_l("Tiêu đề (để trống: dùng tên tệp)"), validators=[Optional(), Length(max=300)],
                        filters=[clean(_l("tiêu đề"), 300)])
    file = FileField(_l("Tệp tài liệu"), validators=[FileRequired(_l("Chọn tệp cần tải lên."))])


class MaterialDeleteForm(FlaskForm):
    """The CSRF token of the one-button deletion."""
