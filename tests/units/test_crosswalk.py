"""The 2024 -> 2025 crosswalk: the shipped file, `flask units crosswalk import` (idempotent, all or nothing)
and the validity dates it sets."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.units.test_units import ROWS
from trainer.cli import MATERIALS
from trainer.extensions import db
from trainer.units.crosswalk import read_crosswalk_file
from trainer.units.models import Unit, UnitSuccessor
from trainer.units.services import get_unit, import_units

SHIPPED = MATERIALS / "units" / "crosswalk-2024-2025.csv"
HEADER = "old_code,old_level,new_code,new_level,history,partly,source\n"


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "crosswalk.csv"
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _pairs() -> list[tuple]:
    return db.session.execute(select(UnitSuccessor.old_unit_id, UnitSuccessor.new_unit_id, UnitSuccessor.history,
                                     UnitSuccessor.partly).order_by(UnitSuccessor.old_unit_id)).all()


def test_the_shipped_file_covers_every_2024_unit_once():
    rows = read_crosswalk_file(SHIPPED)  # also checks one history row per old unit
    with (MATERIALS / "units" / "units-2024.csv").open(encoding="utf-8") as handle:
        old = {(r["level"], r["code"]) for r in csv.DictReader(handle)}
    with (MATERIALS / "units" / "units-2025.csv").open(encoding="utf-8") as handle:
        new = {(r["level"], r["code"]) for r in csv.DictReader(handle)}
    assert {(r.old_level, r.old_code) for r in rows} == old
    assert {(r.new_level, r.new_code) for r in rows} <= new
    history = {(r.old_level, r.old_code): (r.new_level, r.new_code) for r in rows if r.history}
    assert Counter(level for level, _ in history) == {"commune": 10051, "district": 696, "province": 63}
    # Bắc Giang, its Huyện Tân Yên and Thị trấn Nhã Nam became part of Bắc Ninh; 07693 Xã Tân An, merged
    # into 07682 Phường Tân An in early 2025 (after our 2024 list, so not in vietnam-provinces' table),
    # follows it there.
    assert history[("province", "24")] == history[("province", "27")] == ("province", "24")
    assert history[("district", "216")] == ("province", "24")
    assert history[("commune", "07306")] == ("commune", "07306")
    assert history[("commune", "07693")] == history[("commune", "07682")] == ("commune", "07682")
    assert history[("district", "318")] == ("commune", "11948")  # Huyện Bạch Long Vĩ -> Đặc khu Bạch Long Vĩ
    # Every 2025 commune has a predecessor (names that differ only by diacritics are not confused).
    assert {code for level, code in history.values() if level == "commune"} | {
        r.new_code for r in rows if r.new_level == "commune"} == {code for level, code in new if level == "commune"}
    split = {r.old_code for r in rows if r.old_level == "commune" and not r.history}
    assert len(split) > 400 and all(r.partly for r in rows if r.old_code in split and r.old_level == "commune")


def test_cli_import_is_idempotent_and_sets_validity_dates(app, runner, tmp_path):
    import_units(ROWS)
    path = _write(tmp_path, "24,province,24,province,1,0,test", "216,district,24,province,1,0,test",
                  "07306,commune,07306,commune,1,0,test")
    first = runner.invoke(args=["units", "crosswalk", "import", str(path)])
    assert first.exit_code == 0 and "3 created, 0 updated, 0 unchanged, 0 removed" in first.output
    pairs = _pairs()
    second = runner.invoke(args=["units", "crosswalk", "import", str(path)])
    assert "0 created, 0 updated, 3 unchanged, 0 removed" in second.output and _pairs() == pairs
    old, new = get_unit("07306", scheme="2024"), get_unit("07306", scheme="2025")
    assert (old.valid_from, old.valid_to, new.valid_from, new.valid_to) == (None, date(2025, 6, 30),
                                                                           date(2025, 7, 1), None)
    assert get_unit("217", scheme="2024").valid_to is None  # not in this file: left alone
    # An edited file: Nhã Nam's history moves to the province; the old pair goes, nothing else changes.
    edited = _write(tmp_path, "07306,commune,24,province,1,0,test")
    third = runner.invoke(args=["units", "crosswalk", "import", str(edited)])
    assert "1 created, 0 updated, 0 unchanged, 1 removed" in third.output
    assert db.session.scalar(select(func.count()).select_from(UnitSuccessor)) == 3


def test_dry_run_writes_nothing(app, runner, tmp_path):
    import_units(ROWS)
    db.session.commit()
    result = runner.invoke(args=["units", "crosswalk", "import", "--dry-run",
                                 str(_write(tmp_path, "24,province,24,province,1,0,test"))])
    assert result.exit_code == 0 and result.output.startswith("[dry run] 1 created")
    assert _pairs() == []


def test_unknown_units_and_bad_files_are_refused_whole(app, runner, tmp_path):
    import_units(ROWS)
    unknown = _write(tmp_path, "24,province,24,province,1,0,test", "99999,commune,07306,commune,1,0,test")
    result = runner.invoke(args=["units", "crosswalk", "import", str(unknown)])
    assert result.exit_code != 0 and "99999 (2024)" in result.output and "chưa có trong danh mục" in result.output
    assert _pairs() == [] and db.session.scalar(select(Unit.valid_to).where(Unit.code == "24",
                                                                            Unit.scheme == "2024")) is None
    two = _write(tmp_path, "07306,commune,07306,commune,1,1,test", "07306,commune,24,province,1,1,test")
    result = runner.invoke(args=["units", "crosswalk", "import", str(two)])
    assert result.exit_code != 0 and "đúng một đơn vị kế thừa" in result.output
    bad = _write(tmp_path, "07306,commune,07306,commune,yes,0,test")
    result = runner.invoke(args=["units", "crosswalk", "import", str(bad)])
    assert result.exit_code != 0 and "phải là 0 hoặc 1" in result.output and _pairs() == []
