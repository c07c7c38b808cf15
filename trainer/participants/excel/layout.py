"""Where the list sits in a sheet: its header (one row, or several when header cells are merged) and
which column holds what; then each data row's values by column key.

Lists made by hand often have a two-row header: "Họ và tên" merged over "Họ đệm" | "Tên", "Giới
tính" merged over "Nam" | "Nữ" (a mark in one of them), "Ngày sinh" merged over "Nam" | "Nữ" (the
date written in the column of the person's gender), and single headers merged down over both rows.
A merged range holds its text in its top-left cell only; here it applies to every cell it covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from trainer.core.text import fold
from trainer.participants.excel.columns import column_for_header

MAX_HEADER_DEPTH = 4  # rows a merged header may take
MIN_HEADER_KEYS = 3  # a row naming this many template columns is the header
MAX_HEADER_MERGES = 1_000
_GENDERS = {"nam": "Nam", "nu": "Nữ"}
_NO_MARK = {"0", "khong", "false", "-"}

Cell = tuple[Any, bool]  # (value, is_formula); blank strings are None
Merge = tuple[int, int, int, int]  # (min_col, min_row, max_col, max_row), 1-based and inclusive


@dataclass
class RawRow:
    """One data row: its number in the sheet, its cells by column key, the keys whose cell is a formula."""

    number: int
    values: dict[str, Any]
    formulas: list[str] = field(default_factory=list)


@dataclass
class Header:
    """The header block (rows `first`..`last`) and where each column key is read from (0-based columns)."""

    first: int
    last: int
    simple: dict[int, str] = field(default_factory=dict)
    name_parts: list[int] = field(default_factory=list)  # "Họ và tên" over "Họ đệm" | "Tên": joined by a space
    gender_marks: dict[int, str] = field(default_factory=dict)  # "Giới tính" over "Nam" | "Nữ": the marked one
    birth_by_gender: dict[int, str] = field(default_factory=dict)  # "Ngày sinh" over "Nam" | "Nữ"
    first_of: dict[str, list[int]] = field(default_factory=dict)  # another header over several columns

    @property
    def keys(self) -> set[str]:
        """The column keys this header provides."""
        keys = set(self.simple.values()) | set(self.first_of)
        if self.name_parts:
            keys.add("full_name")
        if self.gender_marks or self.birth_by_gender:
            keys.add("gender")
        if self.birth_by_gender:
            keys.add("birth_date")
        return keys

    @property
    def indexes(self) -> list[int]:
        """Every column the header reads."""
        return sorted({*self.simple, *self.name_parts, *self.gender_marks, *self.birth_by_gender,
                       *(i for indexes in self.first_of.values() for i in indexes)})

    def extract(self, number: int, cells: Sequence[Cell]) -> RawRow:
        """The row's values by column key."""
        row = RawRow(number, {})

        def get(index: int, key: str) -> Any:
            value, is_formula = cells[index] if index < len(cells) else (None, False)
            if is_formula and key not in row.formulas:
                row.formulas.append(key)
            return value

        for index, key in self.simple.items():
            row.values[key] = get(index, key)
        if self.name_parts:
            parts = [get(i, "full_name") for i in self.name_parts]
            row.values["full_name"] = " ".join(str(p).strip() for p in parts if p is not None) or None
        if self.gender_marks:
            marked = [label for i, label in self.gender_marks.items() if _is_mark(get(i, "gender"))]
            row.values["gender"] = " và ".join(marked) or None
        if self.birth_by_gender:
            filled = [(get(i, "birth_date"), label) for i, label in self.birth_by_gender.items()]
            filled = [(value, label) for value, label in filled if value is not None]
            if len(filled) == 1:
                row.values["birth_date"] = filled[0][0]
                if row.values.get("gender") is None:
                    row.values["gender"] = filled[0][1]
            else:  # none, or a date under both Nam and Nữ: the gender column (if any) decides nothing here
                row.values["birth_date"] = " / ".join(str(v) for v, _ in filled) or None
        for key, indexes in self.first_of.items():
            row.values[key] = next((v for v in (get(i, key) for i in indexes) if v is not None), None)
        return row


def _is_mark(value: Any) -> bool:
    """A tick in a Nam/Nữ column: x, X, ✓, 1... but not 0 or "không"."""
    return value is not None and value is not False and fold(str(value)) not in _NO_MARK


def _grid(rows: list[tuple[int, list[Cell]]], merges: list[Merge], width: int) -> dict[tuple[int, int], Any]:
    """The top rows' values by (row, 0-based column), each merged range's value spread over its cells
    (within the top rows and the columns read: a range may claim the whole sheet)."""
    grid = {(number, index): value for number, cells in rows for index, (value, _) in enumerate(cells)
            if value is not None}
    last = max((number for number, _ in rows), default=0)
    for min_col, min_row, max_col, max_row in merges:
        value = grid.get((min_row, min_col - 1))
        if value is None:
            continue
        for r in range(min_row, min(max_row, last) + 1):
            for c in range(min_col - 1, min(max_col, width)):
                grid[(r, c)] = value
    return grid


def _span(merges: list[Merge], row: int, index: int) -> Merge | None:
    """The merged range covering a cell, if any."""
    return next((m for m in merges if m[0] - 1 <= index <= m[2] - 1 and m[1] <= row <= m[3]), None)


def _block(first: int, merges: list[Merge], rows: dict[int, list[Cell]]) -> tuple[int, int]:
    """The header's rows: those its merged cells run over, and a row of sub-headers under a merged group."""
    top, last = first, first
    for _ in range(MAX_HEADER_DEPTH):
        spanning = [m for m in merges if m[1] <= last and m[3] >= top and m[3] > m[1]]
        new_top = min([top, *(m[1] for m in spanning)])
        new_last = min(max([last, *(m[3] for m in spanning)]), new_top + MAX_HEADER_DEPTH - 1)
        if (new_top, new_last) == (top, last):
            break
        top, last = new_top, new_last
    groups = [m for m in merges if m[1] == m[3] == last and m[2] > m[0]]
    below = [i for i, (value, _) in enumerate(rows.get(last + 1, [])) if value is not None]
    if groups and below and last - top + 1 < MAX_HEADER_DEPTH and \
            all(any(g[0] - 1 <= i <= g[2] - 1 for g in groups) for i in below):
        last += 1  # texts only under merged group headers: sub-headers, not a person
    return top, last


def _map_columns(header: Header, grid: dict[tuple[int, int], Any], merges: list[Merge], width: int) -> None:
    """Decide what each column of the header block holds; the first column naming a key wins."""
    for index in range(width):
        group_key: str | None = None
        in_group, leaf = False, None
        for r in range(header.first, header.last + 1):
            text = grid.get((r, index))
            if text is None:
                continue
            span = _span(merges, r, index)
            if span is not None and span[2] > span[0]:  # a header over several columns
                if not in_group:
                    in_group, group_key = True, column_for_header(text)
            else:
                leaf = text
        leaf_key = column_for_header(leaf)
        sub = _GENDERS.get(fold(str(leaf))) if leaf is not None else None
        if group_key == "full_name":
            header.name_parts.append(index)
        elif group_key == "gender" and sub:
            header.gender_marks[index] = sub
        elif group_key == "birth_date" and sub:
            header.birth_by_gender[index] = sub
        elif leaf_key is not None:
            if leaf_key not in header.simple.values():
                header.simple[index] = leaf_key
        elif group_key is not None:
            header.first_of.setdefault(group_key, []).append(index)
    provided = set(header.simple.values())
    if "full_name" in provided:  # a plain "Họ và tên" column wins over a merged one
        header.name_parts.clear()
    if "gender" in provided:
        header.gender_marks.clear()
    if "birth_date" in provided:
        header.birth_by_gender.clear()
    for key in [k for k in header.first_of if k in provided]:
        del header.first_of[key]


def find_header(rows: list[tuple[int, list[Cell]]], merges: list[Merge], *, scan_rows: int) -> Header | None:
    """The header of the list: the first of the top `scan_rows` rows naming at least three template columns
    (merged cells spread over the cells they cover), with its merged sub-header rows."""
    last = max((number for number, _ in rows), default=0)
    # The header's merged ranges (a sheet may have thousands below); the top rows hold at most a few hundred
    # ranges that do not overlap, so more can only come from a file made to be slow, and are ignored.
    merges = [m for m in merges if m[1] <= last][:MAX_HEADER_MERGES]
    width = max((len(cells) for _, cells in rows), default=0)
    grid = _grid(rows, merges, width)
    by_number = dict(rows)
    for number, _cells in rows:
        if number > scan_rows:
            break
        keys = {column_for_header(grid.get((number, i))) for i in range(width)} - {None}
        if len(keys) < MIN_HEADER_KEYS:
            continue
        first, last = _block(number, merges, by_number)
        header = Header(first=first, last=last)
        _map_columns(header, grid, merges, width)
        return header
    return None
