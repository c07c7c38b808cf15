"""The corpus's large files, built once per test session into a temporary folder (never the source tree)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.participants.corpus import build

BUILDERS: dict[str, Callable[[Path], None]] = {
    "zip_bomb": build.zip_bomb,  # one shared string of 1 GB in a 4.5 MB file
    "lying_zip_bomb": build.lying_zip_bomb,  # 256 MB declared as 4 KB
    "blank_rows": build.blank_row_bomb,  # a million empty <row/> elements
    "blank_cells": partial(build.blank_row_bomb, rows=900_000, styled_cells=True),  # formatted blank cells, 38 MB
    "far_row": build.far_row,  # one row at 1,048,576
    "hidden_unsized": partial(build.hidden_sheet_without_dimension, rows=450_000),
    "ten_thousand": build.ten_thousand,
    "ten_thousand_one": partial(build.ten_thousand, count=10_001),
    "heaviest": build.heaviest_accepted,
    "emails_linked": build.emails_linked,
}


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The path of a large corpus file by name, built on first use."""
    folder = tmp_path_factory.mktemp("corpus")
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            path = folder / f"{name}.xlsx"
            BUILDERS[name](path)
            made[name] = path
        return made[name]

    return get
