"""The columns of the participants template and how headers written by people are recognised."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.core.text import N_, fold


@dataclass(frozen=True)
class Column:
    """One template column: its key, the header written in the template, the name used in error reports."""

    key: str
    header: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()
    width: int = 20


# The labels are msgids: the import page names the column in its language, the error file in Vietnamese.
COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên (*)", N_("Họ và tên"), True, ("ho ten", "ho, ten", "ten"), 28),
    Column("gender", "Giới tính (*)", N_("Giới tính"), True, ("phai",), 10),
    Column("birth_date", "Ngày sinh (dd/mm/yyyy)", N_("Ngày sinh"), False, ("ngay thang nam sinh",), 14),
    Column("ethnicity", "Dân tộc (*)", N_("Dân tộc"), True, (), 14),
    Column("phone", "Số điện thoại (*)", N_("Số điện thoại"), True, ("dien thoai", "sdt", "so dt", "dt"), 15),
    Column("email", "Email", N_("Email"), False, ("e-mail", "thu dien tu"), 24),
    Column("unit", "Đơn vị: xã, phường, thị trấn (*)", N_("Đơn vị"), True,
           ("don vi", "xa", "xa, phuong, thi tran", "don vi cong tac", "ma don vi"), 36),
    Column("position", "Chức vụ", N_("Chức vụ"), False, ("chuc danh",), 24),
    Column("target_group", "Nhóm đối tượng (*)", N_("Nhóm đối tượng"), True, ("doi tuong",), 48),
)
BY_KEY = {c.key: c for c in COLUMNS}
# "Chưa nhập <the column's label in lower case>." for each required column, one msgid each.
MISSING = {"full_name": N_("Chưa nhập họ và tên."), "gender": N_("Chưa nhập giới tính."),
           "ethnicity": N_("Chưa nhập dân tộc."), "phone": N_("Chưa nhập số điện thoại."),
           "unit": N_("Chưa nhập đơn vị."), "target_group": N_("Chưa nhập nhóm đối tượng.")}
_BRACKETS = re.compile(r"\([^)]*\)|\*")
_HEADER_KEYS: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.label, *_column.aliases):
        _HEADER_KEYS.setdefault(" ".join(fold(_BRACKETS.sub(" ", _name).split(":")[0]).split()), _column.key)


def column_for_header(text: object) -> str | None:
    """The key of the column a header cell names ("Số điện thoại (*)", "SĐT" → "phone"), or None."""
    if not isinstance(text, str):
        return None
    return _HEADER_KEYS.get(" ".join(fold(_BRACKETS.sub(" ", text).split(":")[0]).split()))
