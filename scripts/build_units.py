#!/usr/bin/env python3
"""Generate materials/units/units-2024.csv and units-2025.csv from the vietnam-provinces package.

Run once by a developer, not by the app. vietnam-provinces is GPL-3.0-or-later, so trainer never
imports it at run time; both versions share the import name `vietnam_provinces`, so they are
installed side by side into separate target directories and only their bundled JSON data is read:

    pip install --no-deps --target /tmp/vp-0.6.0 vietnam-provinces==0.6.0        # 3 levels, data of 2025-01-04
    pip install --no-deps --target /tmp/vp-new vietnam-provinces==2025.10.1      # 2 levels (or any newer release)
    python3 scripts/build_units.py --old /tmp/vp-0.6.0 --new /tmp/vp-new --out materials/units

Only the standard library is needed. The name rules (prefix -> kind, code padding, NFC) come from
trainer/units/sources.py, loaded by file path so the `trainer` package (and Flask) is not imported.
The written files are read back with the same parser and checked against known facts.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
COLUMNS = ("scheme", "code", "name", "level", "parent_code", "kind")
# Counts of the official lists; a new release that differs only prints a warning.
EXPECTED = {
    "2024": {"province": 63, "district": 696, "commune": 10051},
    "2025": {"province": 34, "commune": 3321},
}


def load_sources() -> ModuleType:
    """Import trainer/units/sources.py by path, without running trainer/__init__.py."""
    path = REPO / "trainer" / "units" / "sources.py"
    spec = importlib.util.spec_from_file_location("trainer_units_sources", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building UnitRow
    spec.loader.exec_module(module)
    return module


sources = load_sources()


def package_info(target: Path) -> tuple[str, str, Path]:
    """(version, data date, nested JSON path) of a vietnam-provinces install in `target`."""
    package = target / "vietnam_provinces"
    init = package / "__init__.py"
    nested = package / "data" / "nested-divisions.json"
    if not init.is_file() or not nested.is_file():
        raise SystemExit(f"{target}: no vietnam_provinces package with data/nested-divisions.json")
    text = init.read_text(encoding="utf-8")
    version = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", text)
    data_version = re.search(r"__data_version__\s*=\s*['\"]([^'\"]+)", text)
    if version is None or data_version is None:
        raise SystemExit(f"{init}: __version__ or __data_version__ not found")
    return version.group(1), data_version.group(1), nested


def make_row(scheme: str, raw: dict[str, Any], level: str, parent: str | None) -> Any:
    """One UnitRow from a JSON node; the kind comes from the name, never from division_type."""
    name = sources.normalize_name(raw["name"], level)
    # The JSON holds codes as integers (7306); the GSO's published form is zero-padded ("07306").
    code = sources.pad_code(raw["code"], level)
    return sources.UnitRow(scheme, code, name, level, parent, sources.derive_kind(name, level))


def rows_2024(nested: Path) -> list[Any]:
    """Three levels from 0.6.0's nested JSON, which (unlike its enums) keeps the 5 island districts."""
    rows = []
    for province in json.loads(nested.read_text(encoding="utf-8")):
        p = make_row("2024", province, "province", None)
        rows.append(p)
        for district in province["districts"]:
            d = make_row("2024", district, "district", p.code)
            rows.append(d)
            rows.extend(make_row("2024", ward, "commune", d.code) for ward in district["wards"])
    return rows


def rows_2025(nested: Path) -> list[Any]:
    """Two levels from the current release: provinces and their communes (xã, phường, đặc khu)."""
    rows = []
    for province in json.loads(nested.read_text(encoding="utf-8")):
        if province.get("districts"):
            raise SystemExit("the --new package still has districts: is it really a 2025.x release?")
        p = make_row("2025", province, "province", None)
        # 2025.x drops "Tỉnh" from province names; normalize_name adds it back, so make sure it is one.
        added_prefix = not province["name"].startswith(("Tỉnh ", "Thành phố "))
        check(not added_prefix or province["division_type"] == "tỉnh", f"unexpected province {province['name']}")
        rows.append(p)
        rows.extend(make_row("2025", ward, "commune", p.code) for ward in province["wards"])
    return rows


def write_csv(path: Path, rows: list[Any]) -> None:
    """UTF-8 without BOM, LF line ends (diff-friendly), parents before children."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow((r.scheme, r.code, r.name, r.level, r.parent_code or "", r.kind))


def counts(rows: list[Any]) -> dict[str, int]:
    """Number of rows per level."""
    result: dict[str, int] = {}
    for r in rows:
        result[r.level] = result.get(r.level, 0) + 1
    return result


def check(condition: bool, message: str) -> None:
    """Stop with a message when a known fact does not hold."""
    if not condition:
        raise SystemExit(f"CHECK FAILED: {message}")


def verify(old: list[Any], new: list[Any]) -> None:
    """The facts the project relies on, including the reuse of codes 24 and 07306."""
    by_old = {r.code: r for r in old}
    by_new = {r.code: r for r in new}
    check(by_old["24"].name == "Tỉnh Bắc Giang", "2024 province 24 should be Tỉnh Bắc Giang")
    tan_yen = [r for r in old if r.name == "Huyện Tân Yên" and r.parent_code == "24"]
    check(len(tan_yen) == 1, "2024 Huyện Tân Yên should lie in province 24")
    nha_nam = by_old["07306"]
    check(
        (nha_nam.name, nha_nam.kind, nha_nam.parent_code) == ("Thị trấn Nhã Nam", "thi_tran", tan_yen[0].code),
        "2024 commune 07306 should be Thị trấn Nhã Nam (thi_tran) in Huyện Tân Yên",
    )
    check(by_new["24"].name == "Tỉnh Bắc Ninh", "2025 province 24 should be Tỉnh Bắc Ninh")
    check(by_new["07306"].name == "Xã Nhã Nam" and by_new["07306"].parent_code == "24", "2025 07306 = Xã Nhã Nam")
    check(by_new["01"].kind == "thanh_pho_tw", "Thành phố Hà Nội should be thanh_pho_tw")
    empty = {r.code for r in old if r.level == "district"} - {r.parent_code for r in old if r.level == "commune"}
    check(len(empty) == 5, f"2024 should have 5 districts without communes, found {sorted(empty)}")
    check(not any(r.level == "district" for r in new), "2025 has no districts")


def main(argv: list[str] | None = None) -> int:
    """Build, write, re-read and verify both files; print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="target dir of vietnam-provinces==0.6.0")
    parser.add_argument("--new", type=Path, required=True, help="target dir of vietnam-provinces>=2025.10.1")
    parser.add_argument("--out", type=Path, default=REPO / "materials" / "units")
    args = parser.parse_args(argv)

    old_version, old_date, old_json = package_info(args.old)
    new_version, new_date, new_json = package_info(args.new)
    check(old_version == "0.6.0", f"--old must be vietnam-provinces 0.6.0, found {old_version}")
    check(int(new_version.split(".")[0]) >= 2025, f"--new must be a 2025.x or later release, found {new_version}")
    print(f"old: vietnam-provinces {old_version} (data {old_date}); new: {new_version} (data {new_date})")

    built = {"2024": rows_2024(old_json), "2025": rows_2025(new_json)}
    for scheme, rows in built.items():
        path = args.out / f"units-{scheme}.csv"
        write_csv(path, rows)
        # Reading back with the app's own parser proves the shipped files import cleanly.
        parsed = sources.read_units_file(path, scheme=scheme)
        check(parsed == rows, f"{path} does not read back identically")
        found = counts(parsed)
        print(f"{path}: {len(parsed)} rows, " + ", ".join(f"{level} {n}" for level, n in found.items()))
        if found != EXPECTED[scheme]:
            print(f"  warning: expected {EXPECTED[scheme]}", file=sys.stderr)
    verify(built["2024"], built["2025"])
    print("checks passed: 24 = Tỉnh Bắc Giang -> Tỉnh Bắc Ninh; 07306 = Thị trấn Nhã Nam -> Xã Nhã Nam")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
