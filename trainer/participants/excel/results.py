"""What an import found and did: row errors, changed fields, identity conflicts, counts.

A leaf module (models only), so the services, the importer and the pages share these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trainer.core.errors import said, vietnamese
from trainer.participants.models import Participant


@dataclass
class RowError:
    """One problem of an imported row: the sheet's row number, the column's header, a code and a message.

    `participant_id` names the earlier holder of the phone in an `identity_conflict`. With `params`, the
    message given is a template (a msgid) filled from them; `message` is the Vietnamese text (the API's and
    the error file's), `said()` the text in the page's language, `column_said()` the column's name there."""

    row: int
    column: str
    message: str
    code: str = "invalid"
    participant_id: int | None = None
    params: dict[str, Any] | None = None
    template: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.template = self.message
        self.message = vietnamese(self.message, self.params)

    def said(self) -> str:
        """The message in the page's language."""
        return said(self.template, self.params)

    def column_said(self) -> str:
        """The column's name in the page's language (the template's headers are Vietnamese)."""
        return said(self.column)

    def as_dict(self) -> dict[str, Any]:
        """The API's `{row, column, code, message}` (and `participant_id` for an identity conflict)."""
        body: dict[str, Any] = {"row": self.row, "column": self.column, "code": self.code, "message": self.message}
        if self.participant_id is not None:
            body["participant_id"] = self.participant_id
        return body


@dataclass
class FieldChange:
    """One field an import changes (on a dry run: would change) on someone already registered.

    `old`/`new` are the API's values (text, ISO date, unit code, true/false or null); `name`, `label`
    and the texts are for pages: the person's name now, the field's and the values' Vietnamese."""

    row: int
    participant_id: int
    field: str
    old: Any
    new: Any
    name: str = ""
    label: str = ""
    old_text: str = ""
    new_text: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The API's `{row, participant_id, field, old, new}`."""
        return {"row": self.row, "participant_id": self.participant_id, "field": self.field, "old": self.old,
                "new": self.new}


@dataclass
class IdentityConflict:
    """A row whose phone belongs to someone with another name: numbers are recycled, people are not."""

    row: int
    name_in_file: str
    holder: Participant


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do). With any error, nothing is written."""

    rows: int = 0
    created: int = 0
    updated: int = 0  # people with at least one changed field
    unchanged: int = 0  # people matched by phone whose fields are all as stored
    errors: list[RowError] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    conflicts: list[IdentityConflict] = field(default_factory=list)  # confirmed or not
    participants: list[Participant] = field(default_factory=list)  # file order; empty on a dry run
    dry_run: bool = False
    confirm_identity: bool = False
    sheet: str = ""  # where the list was read: the sheet's title and its header's rows (for the error file)
    header_rows: tuple[int, int] = (0, 0)

    @property
    def only_identity_conflicts(self) -> bool:
        """Every error is an identity conflict: confirming them would make the file importable."""
        return bool(self.errors) and all(e.code == "identity_conflict" for e in self.errors)


__all__ = ["FieldChange", "IdentityConflict", "ImportResult", "RowError"]
