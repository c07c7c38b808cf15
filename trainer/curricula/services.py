"""Use-cases of curricula: seed them from materials/curricula, correct them as an administrator."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.errors import DomainError, ValidationError
from trainer.core.text import clean_text, nfc
from trainer.curricula.models import Curriculum, CurriculumModule, TargetGroup
from trainer.extensions import db

REQUIRED_KEYS = ("code", "title", "target_groups", "modules")


@dataclass
class SeedResult:
    """What a curricula seed did, by curriculum code."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _decimal(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError("invalid_number", f"{what}: “{value}” không phải là số.") from None
    if not number.is_finite() or number <= 0:
        raise ValidationError("invalid_number", f"{what}: phải là số dương.")
    return number


def parse_curriculum(data: dict[str, Any], source_name: str) -> dict[str, Any]:
    """Check and normalise one curriculum's data. Raises ValidationError('invalid_curriculum')."""
    def fail(message: str) -> ValidationError:
        return ValidationError("invalid_curriculum", f"{source_name}: {message}")

    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise fail(f"thiếu mục {', '.join(missing)}.")
    groups = list(data["target_groups"])
    unknown = [g for g in groups if g not in TargetGroup._value2member_map_]
    if unknown:
        raise fail(f"nhóm đối tượng không hợp lệ: {', '.join(map(str, unknown))}.")
    modules, codes = [], set()
    for position, module in enumerate(data["modules"], start=1):
        code = str(module.get("code", "")).strip()
        if not code or not module.get("title"):
            raise fail(f"chuyên đề thứ {position} thiếu mã hoặc tên.")
        if code in codes:
            raise fail(f"mã chuyên đề {code} bị trùng.")
        codes.add(code)
        modules.append({"code": code, "position": position, "title": nfc(module["title"]),
                        "hours": _decimal(module.get("hours"), f"{source_name}, chuyên đề {code}"),
                        "confirmed": dict(module.get("confirmed", {}))})
    if not modules:
        raise fail("chương trình phải có ít nhất một chuyên đề.")
    threshold = _decimal(data.get("completion_threshold", "0.8"), f"{source_name}, ngưỡng hoàn thành")
    if threshold > 1:
        raise fail("ngưỡng hoàn thành phải từ 0 đến 1 (ví dụ 0.8).")
    return {"code": str(data["code"]).strip(), "title": nfc(data["title"]),
            "short_title": nfc(data.get("short_title", "")), "target_groups": groups,
            "completion_threshold": threshold, "decision": nfc(data.get("decision", "")),
            "source": nfc(data.get("source", "")), "notes": nfc(data.get("notes", "")),
            "confirmed": dict(data.get("confirmed", {})), "modules": modules}


def _apply(curriculum: Curriculum, data: dict[str, Any]) -> None:
    for key in ("title", "short_title", "target_groups", "completion_threshold", "decision", "source",
                "notes", "confirmed"):
        setattr(curriculum, key, data[key])
    current = {m.code: m for m in curriculum.modules}
    keep = []
    for module_data in data["modules"]:
        module = current.get(module_data["code"]) or CurriculumModule(code=module_data["code"])
        for key in ("position", "title", "hours", "confirmed"):
            setattr(module, key, module_data[key])
        keep.append(module)
    curriculum.modules = keep


def seed_curricula(directory: Path) -> SeedResult:
    """Load every `*.toml` in `directory`; idempotent.

    A file is applied when it is new or changed since it was last seeded (its SHA-256 is kept),
    so corrections made in the UI are not overwritten by re-running `seed` on the same file.
    """
    result = SeedResult()
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise DomainError("no_curricula", f"Không tìm thấy tệp chương trình nào trong {directory}.")
    parsed = []
    for path in files:  # check every file before changing anything
        raw = path.read_bytes()
        try:
            data = parse_curriculum(tomllib.loads(raw.decode("utf-8")), path.name)
        except tomllib.TOMLDecodeError as exc:
            raise ValidationError("invalid_curriculum", f"{path.name}: lỗi cú pháp TOML ({exc}).") from None
        parsed.append((data, hashlib.sha256(raw).hexdigest()))
    for data, digest in parsed:
        curriculum = db.session.scalar(select(Curriculum).where(Curriculum.code == data["code"]))
        if curriculum is not None and curriculum.source_digest == digest:
            result.unchanged.append(data["code"])
            continue
        if curriculum is None:
            curriculum = Curriculum(code=data["code"])
            db.session.add(curriculum)
            result.created.append(data["code"])
        else:
            result.updated.append(data["code"])
        _apply(curriculum, data)
        curriculum.source_digest = digest
    db.session.flush()
    return result


def update_curriculum(curriculum: Curriculum, *, title: str, completion_threshold: Decimal,
                      modules: list[dict[str, Any]], actor: User, title_confirmed: bool | None = None) -> Curriculum:
    """Correct a curriculum's title, completion threshold and modules (admins), and say whether its title
    is confirmed against the decision (None: unchanged); certificates issued later follow that flag.

    Courses already planned keep their own copy of the modules. Raises ValidationError.
    """
    title = clean_text(title, "title", 400, label="tên chương trình", required=True)
    modules = [{**m, "title": clean_text(m.get("title"), f"modules-{i}-title", 400, label="tên chuyên đề",
                                         required=True)} for i, m in enumerate(modules)]
    data = parse_curriculum({
        "code": curriculum.code, "title": title, "short_title": curriculum.short_title,
        "target_groups": curriculum.target_groups, "completion_threshold": completion_threshold,
        "decision": curriculum.decision, "source": curriculum.source, "notes": curriculum.notes,
        "confirmed": (curriculum.confirmed or {})
        | ({} if title_confirmed is None else {"title": bool(title_confirmed)}),
        "modules": modules,
    }, curriculum.code)
    was_confirmed = bool((curriculum.confirmed or {}).get("title"))
    _apply(curriculum, data)
    db.session.flush()
    record_audit(actor, "curriculum.update", curriculum, unit_id=None,
                 modules=[m["code"] for m in data["modules"]],
                 **({"title_confirmed": bool(title_confirmed)}
                    if title_confirmed is not None and bool(title_confirmed) != was_confirmed else {}))
    return curriculum
