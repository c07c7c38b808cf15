#!/usr/bin/env python3
"""Generate materials/units/crosswalk-2024-2025.csv: each 2024 unit's successor(s) in the 2025 scheme.

Run once by a developer, not by the app (see materials/units/README.md, "Crosswalk"). Sources, read as
data from scratch installs, never imported by trainer:

    python3.12 -m pip install --no-deps --target /tmp/vp2026 vietnam-provinces==2026.9.0    # GPL-3.0-or-later
    python3.12 -m pip install --no-deps --target /tmp/vau vietnamadminunits==1.0.4          # MIT
    python3 scripts/build_crosswalk.py --vp /tmp/vp2026 --vau /tmp/vau

- vietnam-provinces' `_ward_conversion_2025.py` (OLD_TO_NEW, generated from the government's conversion
  table) is the source of every commune's successors. The module only defines NamedTuples and dicts, so it
  is loaded by file path (the package itself needs Python >= 3.12; this script does not).
- vietnamadminunits' `data/converter_2025.json` (keyed by names; `dataset.db` gives the codes) is the
  cross-check, and the rule for a split commune: its `isDefaultNewWard` marks the new commune whose area
  holds the old commune's location. Its ward aliases also place the 2024 communes that were merged in
  early 2025, after our 2024 list was taken, and so are missing from vietnam-provinces' table.
- New codes are 2026.9.0's; 114 of them differ from our units-2025.csv (built from 2025.10.1), so each is
  translated to ours by province and name (else by the same code in the same province).

Standard library only. Prints the counts and the disagreements; stops when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sqlite3
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_units import REPO, check, sources  # noqa: E402  (sibling script: the app's parser by path)

COLUMNS = ("old_code", "old_level", "new_code", "new_level", "history", "partly", "source")
OUT = REPO / "materials" / "units" / "crosswalk-2024-2025.csv"


def load_module(path: Path, name: str) -> ModuleType:
    """Execute one data module of the package by path (it imports only `typing`)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def key(name: str) -> str:
    """vietnamadminunits' name key: no diacritics, no case, letters and digits only ("Xã Đa Phúc" -> xadaphuc)."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


def spelling(name: str) -> str:
    """A name compared with its diacritics, without case, apostrophe style or spacing."""
    text = unicodedata.normalize("NFC", name).casefold().replace("’", "'").replace("‘", "'").replace("–", "-")
    return " ".join(text.split())


class Ours:
    """trainer's two lists, as the app reads them."""

    def __init__(self) -> None:
        folder = REPO / "materials" / "units"
        self.old = {r.code: r for r in sources.read_units_file(folder / "units-2024.csv", scheme="2024")}
        self.new = {r.code: r for r in sources.read_units_file(folder / "units-2025.csv", scheme="2025")}
        communes = [r for r in self.new.values() if r.level == "commune"]
        self.new_by_name = {(r.parent_code, spelling(r.name)): r.code for r in communes}
        # Without diacritics, names collide ("Xã Tân Thạnh", "Xã Tân Thành"): such keys are left out.
        keys = Counter((r.parent_code, key(r.name)) for r in communes)
        self.new_by_key = {(r.parent_code, key(r.name)): r.code for r in communes
                           if keys[(r.parent_code, key(r.name))] == 1}

    def communes(self) -> list:
        return [r for r in self.old.values() if r.level == "commune"]

    def province_of(self, code: str) -> str:
        unit = self.old[code]
        while unit.parent_code:
            unit = self.old[unit.parent_code]
        return unit.code


def translate_new(vp: Path, ours: Ours) -> dict[int, str]:
    """2026.9.0's commune code -> ours, by province and name, else by the same code in the same province."""
    nested = json.loads((vp / "vietnam_provinces" / "data" / "nested-divisions.json").read_text(encoding="utf-8"))
    result, by_code, by_name, by_key = {}, 0, 0, 0
    for province in nested:
        p = sources.pad_code(province["code"], "province")
        for ward in province["wards"]:
            code = sources.pad_code(ward["code"], "commune")
            named = ours.new_by_name.get((p, spelling(ward["name"])))
            if named is None:
                named = ours.new_by_key.get((p, key(ward["name"])))
                by_key += named is not None
            if named is not None:
                result[ward["code"]] = named
                by_name += named != code
            elif code in ours.new and ours.new[code].parent_code == p:
                result[ward["code"]] = code
                by_code += 1
            else:
                raise SystemExit(f"CHECK FAILED: 2026.9.0 commune {code} {ward['name']} has no match in units-2025.csv")
    check(len(set(result.values())) == len(result), "two 2026.9.0 communes matched to one of ours")
    print(f"2026.9.0 communes: {len(result)}; {by_name} found under another code in ours by name "
          f"({by_key} of them only without diacritics or case), {by_code} by code under another name")
    return result


class Vau:
    """vietnamadminunits' conversion, by codes: old commune -> (new communes, the default one)."""

    def __init__(self, root: Path) -> None:
        data = root / "vietnamadminunits" / "data"
        converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
        db = sqlite3.connect(data / "dataset.db")
        legacy = {f"{p}_{d}_{w or ''}": c for p, d, w, c in db.execute(  # island districts have no commune
            "SELECT provinceKey, districtKey, wardKey, coalesce(wardCode, districtCode) FROM admin_units_legacy")}
        new = {(p, w): c for p, w, c in db.execute("SELECT provinceKey, wardKey, wardCode FROM admin_units")}
        self.aliases = [(d, c, {w, *json.loads(a or "[]")}) for d, c, w, a in db.execute(
            "SELECT districtCode, wardCode, wardKey, wardAlias FROM admin_units_legacy")]
        self.successors: dict[str, set[str]] = {}
        self.islands: dict[str, set[str]] = {}  # district code -> its đặc khu (a 2025 commune)
        self.default: dict[str, str] = {}
        for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for ward, olds in wards.items():
                for old in olds:  # an island district without communes ("..._huyenlyson_") -> its đặc khu
                    target = self.islands if old.endswith("_") else self.successors
                    target.setdefault(legacy[old], set()).add(new[(province, ward)])
        for province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old, targets in olds.items():
                codes = {new[(province, t["newWardKey"])]: t["isDefaultNewWard"] for t in targets}
                self.successors.setdefault(legacy[old], set()).update(codes)
                self.default[legacy[old]] = next(c for c, is_default in codes.items() if is_default)

    def merged_into(self, district: str, name: str) -> str | None:
        """The 2024 commune (of early 2025) of the same district with this name or former name, when only one."""
        found = [c for d, c, names in self.aliases if d == district and key(name) in names]
        return found[0] if len(found) == 1 else None


def build(vp_root: Path, vau_root: Path) -> tuple[list[tuple], Counter]:
    """The crosswalk rows (communes, then districts, then provinces) and the tallies printed by main."""
    package = vp_root / "vietnam_provinces"
    wards = load_module(package / "_ward_conversion_2025.py", "vp_ward_conversion")
    provinces = load_module(package / "_province_conversion_2025.py", "vp_province_conversion")
    check(wards.EFFECTIVE_DATE == "2025-07-01", f"unexpected EFFECTIVE_DATE {wards.EFFECTIVE_DATE}")
    ours, vau = Ours(), Vau(vau_root)
    to_ours = translate_new(vp_root, ours)
    table = {sources.pad_code(code, "commune"): entry for code, entry in wards.OLD_TO_NEW.items()}
    tally: Counter = Counter()
    rows: list[tuple] = []
    history: dict[str, str] = {}
    orphans: list = []
    homonyms: dict[tuple[str, str], set[str]] = {}  # (2025 province, name key) -> successors of all so named
    for code, entry in table.items():
        if code in ours.old:
            for w in entry.new_wards:
                homonyms.setdefault((ours.new[to_ours[w.code]].parent_code, key(ours.old[code].name)),
                                    set()).add(to_ours[w.code])
    for commune in ours.communes():
        source, entry = "vietnam-provinces", table.get(commune.code)
        if entry is None:  # merged in early 2025, after our list: follow the commune it was merged into
            into = vau.merged_into(commune.parent_code, commune.name)
            entry = table.get(into) if into else None
            source = "vietnam-provinces via vietnamadminunits alias"
            tally["merged in early 2025, placed by alias"] += entry is not None
        if entry is None:
            tally["no successor commune: history at the province"] += 1
            print(f"  {commune.code} {commune.name}: no successor commune, history at the province")
            orphans.append(commune)
            continue
        new = [to_ours[w.code] for w in entry.new_wards]
        theirs = {to_ours[int(c)] for c in vau.successors.get(commune.code, ())}
        if not theirs:
            tally["vietnamadminunits lacks the commune"] += 1
        elif theirs == set(new):
            tally["both sources agree"] += 1
        elif set(new) < theirs and theirs - set(new) <= homonyms[(ours.new[new[0]].parent_code, key(commune.name))]:
            # vietnamadminunits keys communes by name: two communes of one name in a province share successors
            tally["disagree: vietnamadminunits merges two namesakes (kept vietnam-provinces)"] += 1
        else:
            tally["disagree: other (kept vietnam-provinces)"] += 1
            print(f"  disagree {commune.code} {commune.name}: vietnam-provinces {new}, "
                  f"vietnamadminunits {sorted(theirs)}")
        default = vau.default.get(commune.code)
        default = to_ours[int(default)] if default else None
        if len(new) == 1:
            target = new[0]
        elif default in new:
            target, source = default, source + "; history: vietnamadminunits default"
            tally["split: history to vietnamadminunits default"] += 1
        else:
            target, source = new[0], source + "; history: first listed"
            tally["split: history to the first listed"] += 1
        history[commune.code] = target
        partly = int(entry.old_ward.is_partly_merged)
        rows.extend((commune.code, "commune", n, "commune", int(n == target), partly, source) for n in new)
    islands = {d: {to_ours[int(c)] for c in codes} for d, codes in vau.islands.items()}
    upper, successor = upper_rows(ours, history, provinces, islands, tally)
    rows.extend((c.code, "commune", successor[ours.province_of(c.code)], "province", 1, 0,
                 "in no source: its province's successor") for c in orphans)
    rows += upper
    orphaned = {c for c, r in ours.new.items() if r.level == "commune"} - {r[2] for r in rows if r[3] == "commune"}
    check(not orphaned, f"2025 communes that no 2024 unit leads to: {sorted(orphaned)}")
    return rows, tally


def upper_rows(ours: Ours, history: dict[str, str], provinces: ModuleType, islands: dict[str, set[str]],
               tally: Counter) -> tuple[list[tuple], dict[str, str]]:
    """Districts and provinces: the 2025 province holding most of their communes' history (the 5 island
    districts without communes: their đặc khu); vietnam-provinces' province table must name it among the
    province's successors."""
    rows, by_district, by_province = [], {}, {}
    for old, new in history.items():
        new_province = ours.new[new].parent_code
        by_district.setdefault(ours.old[old].parent_code, Counter())[new_province] += 1
        by_province.setdefault(ours.province_of(old), Counter())[new_province] += 1
    successor = {}
    for code, counts in sorted(by_province.items()):
        listed = {sources.pad_code(p.code, "province") for p in provinces.OLD_TO_NEW[int(code)].new_provinces}
        check(set(counts) <= listed, f"province {code}: communes go to {counts}, table says {listed}")
        successor[code] = counts.most_common(1)[0][0]
        partly = int(len(counts) > 1)
        tally["province split"] += partly
        rows.extend((code, "province", p, "province", int(p == successor[code]), partly, "vietnam-provinces")
                    for p in sorted(counts))
    for unit in ours.old.values():
        if unit.level != "district":
            continue
        if unit.code in islands:  # an island district without communes became a đặc khu (a commune)
            (island,) = islands[unit.code]
            tally["island district -> its đặc khu"] += 1
            rows.append((unit.code, "district", island, "commune", 1, 0, "vietnamadminunits (island district)"))
            continue
        counts = by_district.get(unit.code) or Counter({successor[unit.parent_code]: 1})
        chosen = counts.most_common(1)[0][0]
        partly = int(len(counts) > 1)
        tally["district split across provinces"] += partly
        rows.extend((unit.code, "district", p, "province", int(p == chosen), partly, "derived from its communes")
                    for p in sorted(counts))
    return rows, successor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vp", type=Path, required=True, help="target dir of vietnam-provinces==2026.9.0")
    parser.add_argument("--vau", type=Path, required=True, help="target dir of vietnamadminunits==1.0.4")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows, tally = build(args.vp, args.vau)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    for name, n in sorted(tally.items()):
        print(f"{name}: {n}")
    levels = Counter((r[1], r[4]) for r in rows)
    print(f"{args.out}: {len(rows)} rows; history rows: " + ", ".join(
        f"{level} {levels[(level, 1)]}" for level in ("province", "district", "commune")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
