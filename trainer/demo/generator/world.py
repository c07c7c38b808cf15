"""What the generator builds on: the scales, the real units of the seed and the four curricula."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from trainer.core.errors import DomainError
from trainer.curricula.models import Curriculum, CurriculumModule
from trainer.extensions import db
from trainer.units.models import Unit, UnitLevel

SCHEME = "2024"  # the 2021-2025 programme ran in the three-level structure
CURRICULUM_CODES = ("CT1", "CT2", "CT3", "CT4")
SEED_HINT = "chạy `flask --app trainer seed` trước"


@dataclass(frozen=True)
class Scale:
    """How much to generate and where: the organizing root and the shape of the courses."""

    name: str
    root_code: str | None  # a district or province code of the 2024 scheme; None: the whole country
    courses: int
    province_share: float  # courses organized by provinces rather than districts
    capacity: tuple[int, int]
    enrolled: tuple[int, int]
    day_weights: dict[int, int]
    officers_per_commune: tuple[int, int]


# small and province: about 7.5 officers per commune (150 in Tân Yên's 19 communes); national: about
# 6 (60,000 for 10,051 communes). 60,000 officers and 3,000 courses give over a million attendance
# records only with fuller and longer classes (3,000 × 50 × 6 sessions of 2-3-day classes make at
# most 900,000), so national classes last 3-5 days (the ministry's maximum is 5) and fill 45-60 of
# 50-60 places.
SCALES: dict[str, Scale] = {
    "small": Scale("small", "216", 10, 0.0, (40, 60), (20, 50), {2: 1, 3: 1}, (5, 10)),
    "province": Scale("province", "24", 80, 0.15, (40, 60), (20, 50), {2: 1, 3: 1}, (5, 10)),
    "national": Scale("national", None, 3000, 0.15, (50, 60), (45, 60), {4: 1, 5: 1}, (4, 8)),
}


@dataclass(frozen=True)
class UnitInfo:
    """The few fields of a unit the generator needs."""

    id: int
    code: str
    name: str
    level: UnitLevel
    parent_id: int | None
    path: str

    @property
    def province_code(self) -> str:
        """The province's code, from the path ("2024/24/216/07306/")."""
        return self.path.split("/")[1]


@dataclass(frozen=True)
class CurriculumInfo:
    """A curriculum and its modules as plain values."""

    id: int
    code: str
    short_title: str
    title: str
    threshold: Decimal
    target_groups: frozenset[str]
    modules: tuple[tuple[str, int, str, Decimal], ...]  # code, position, title, hours


@dataclass
class World:
    """The units in the scale's scope and the curricula."""

    provinces: list[UnitInfo]  # organizing provinces (none at the small scale)
    districts: list[UnitInfo]
    communes: dict[int, list[UnitInfo]]  # by district id
    units: dict[int, UnitInfo]  # every unit in scope, and the parents of the districts
    curricula: dict[str, CurriculumInfo]
    districts_of: dict[int, list[UnitInfo]] = field(default_factory=dict)  # by province id


def _not_seeded(what: str) -> DomainError:
    """The refusal when the seed's data is missing, naming what is missing."""
    return DomainError("not_seeded", f"Chưa có {what} trong cơ sở dữ liệu: {SEED_HINT}.", status=409)


def load_curricula() -> dict[str, CurriculumInfo]:
    """The four curricula with their modules (two queries). Raises DomainError('not_seeded')."""
    curricula = {c.code: c for c in db.session.scalars(select(Curriculum).where(
        Curriculum.code.in_(CURRICULUM_CODES)))}
    missing = [code for code in CURRICULUM_CODES if code not in curricula]
    if missing:
        raise _not_seeded(f"các chương trình bồi dưỡng {', '.join(missing)}")
    modules: dict[int, list[tuple[str, int, str, Decimal]]] = {}
    for m in db.session.scalars(select(CurriculumModule).where(
            CurriculumModule.curriculum_id.in_([c.id for c in curricula.values()]))
            .order_by(CurriculumModule.position, CurriculumModule.id)):
        modules.setdefault(m.curriculum_id, []).append((m.code, m.position, m.title, Decimal(m.hours)))
    result = {}
    for code, c in curricula.items():
        if not modules.get(c.id):
            raise _not_seeded(f"chuyên đề của chương trình {code}")
        result[code] = CurriculumInfo(c.id, code, c.short_title or code, c.title, Decimal(c.completion_threshold),
                                      frozenset(c.target_groups or ()), tuple(modules[c.id]))
    return result


def load_world(scale: Scale) -> World:
    """Units of the scale's scope (one query) and the curricula. Raises DomainError('not_seeded')."""
    stmt = select(Unit.id, Unit.code, Unit.name, Unit.level, Unit.parent_id, Unit.path).where(Unit.scheme == SCHEME)
    root_path = None
    if scale.root_code is not None:
        root_path = db.session.scalar(select(Unit.path).where(Unit.scheme == SCHEME, Unit.code == scale.root_code))
        if root_path is None:
            raise _not_seeded(f"đơn vị hành chính mã {scale.root_code} (danh mục {SCHEME})")
        # The root's parents are loaded too: names of provinces are needed for places and names.
        prefix = root_path.split("/")[0] + "/" + root_path.split("/")[1] + "/"
        stmt = stmt.where(Unit.path.startswith(prefix))
    rows = [UnitInfo(*row) for row in db.session.execute(stmt.order_by(Unit.path))]
    if not any(u.level is UnitLevel.COMMUNE for u in rows):
        raise _not_seeded(f"danh mục đơn vị hành chính {SCHEME}")
    units = {u.id: u for u in rows}
    in_scope = [u for u in rows if root_path is None or u.path.startswith(root_path)]
    world = World(provinces=[], districts=[], communes={}, units=units, curricula=load_curricula())
    for unit in in_scope:
        if unit.level is UnitLevel.PROVINCE:
            world.provinces.append(unit)
        elif unit.level is UnitLevel.DISTRICT:
            world.districts.append(unit)
            world.districts_of.setdefault(unit.parent_id or 0, []).append(unit)
        elif unit.parent_id is not None:
            world.communes.setdefault(unit.parent_id, []).append(unit)
    if not world.communes:
        raise _not_seeded(f"xã, phường thuộc đơn vị mã {scale.root_code}")
    return world
