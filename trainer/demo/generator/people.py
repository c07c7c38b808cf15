"""Synthetic officers: about six per commune, a few managers at district and province offices."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from trainer.core.text import fold
from trainer.curricula.models import TargetGroup
from trainer.demo.generator.bulk import BulkWriter, Progress, ProgressFactory, next_id, sync_sequence
from trainer.demo.generator.world import Scale, UnitInfo, World
from trainer.demo.names import Namer, pick_position
from trainer.extensions import db
from trainer.participants.models import Gender, Participant

DEMO_EMAIL_DOMAIN = "demo.invalid"  # RFC 2606: never a real address; marks the demo participants
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # the personal codes' alphabet (no 0/O, 1/I/L)
CODE_LENGTH = 8
# Mobile prefixes in use (Viettel, VinaPhone, MobiFone); 7 more digits make the 10-digit number.
PHONE_PREFIXES = ("096", "097", "098", "086", "032", "033", "034", "035", "036", "037", "038", "039", "091", "094",
                  "088", "081", "082", "083", "084", "085", "090", "093", "089", "070", "076", "077", "078", "079")
PHONE_SPACE = 10 ** 7
PHONE_STEP = 7_654_321  # coprime with 10**7: i -> (i * STEP + offset) mod 10**7 is a bijection
COMMUNE_GROUPS = {TargetGroup.COMMUNE_CULTURE_OFFICER: 30, TargetGroup.PARTY_INFO_STAFF: 25,
                  TargetGroup.MASS_ORG_STAFF: 45}
FEMALE_SHARE = 0.55
BIRTH_FIRST, BIRTH_LAST = date(1965, 1, 1), date(2000, 12, 31)
# The registry was built in the second half of 2021, before the first classes (January 2022).
REGISTERED_FROM, REGISTERED_DAYS = datetime(2021, 7, 1, tzinfo=UTC), 150


@dataclass
class People:
    """The generated officers, as the course planner needs them (indexes into the lists)."""

    ids: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    name_keys: list[str] = field(default_factory=list)  # folded names, to list certificates in name order
    snapshot: list[tuple[str, str | None, str, str]] = field(default_factory=list)  # name, birth, unit, position
    pools: dict[int, list[int]] = field(default_factory=dict)  # organizing unit id -> indexes of its officers


class _Identity:
    """Unique phones (a bijection of the row number, so collision-free by construction) and codes."""

    def __init__(self, rng: random.Random) -> None:
        """Load the phones and codes already stored (by real users), which demo rows must not reuse."""
        self.rng = rng
        self.offset = rng.randrange(PHONE_SPACE)
        self.index = 0
        self.taken_phones = set(db.session.scalars(select(Participant.phone).where(Participant.phone.is_not(None))))
        self.taken_codes = set(db.session.scalars(select(Participant.code)))

    def phone(self) -> str:
        """The next mobile number: the row number mapped through a bijection of the 7-digit space."""
        while True:  # only the numbers already stored by real users can make this loop twice
            number = (self.index * PHONE_STEP + self.offset) % PHONE_SPACE
            self.index += 1
            phone = f"{self.rng.choice(PHONE_PREFIXES)}{number:07d}"
            if phone not in self.taken_phones:
                return phone

    def code(self) -> str:
        """A random personal code not used yet."""
        while True:
            code = "".join(self.rng.choices(CODE_ALPHABET, k=CODE_LENGTH))
            if code not in self.taken_codes:
                self.taken_codes.add(code)
                return code


def _officer_slots(world: World, scale: Scale, rng: random.Random) -> list[tuple[UnitInfo, TargetGroup, list[int]]]:
    """(unit, target group, organizing units whose pools the officer joins) for every officer to create."""
    slots = []
    groups, weights = list(COMMUNE_GROUPS), list(COMMUNE_GROUPS.values())
    for province in world.provinces:
        pool = [province.id]
        slots += [(province, TargetGroup.INFO_MANAGER, pool)] * rng.randint(2, 3)
        slots += [(province, TargetGroup.PRESS_STAFF, pool)] * rng.randint(2, 4)
    for district in world.districts:
        pool = [district.id, district.parent_id or 0]
        slots += [(district, TargetGroup.INFO_MANAGER, pool)] * rng.randint(1, 2)
        for commune in world.communes.get(district.id, []):
            count = rng.randint(*scale.officers_per_commune)
            slots += [(commune, group, pool) for group in rng.choices(groups, weights=weights, k=count)]
    return slots


def generate_people(world: World, scale: Scale, rng: random.Random, writer: BulkWriter,
                    progress: ProgressFactory) -> People:
    """Insert the officers of the world's communes and offices in bulk; return what planning needs."""
    slots = _officer_slots(world, scale, rng)
    with progress("Participants", len(slots)) as bar:
        return _write_people(slots, rng, writer, bar)


def _write_people(slots: list[tuple[UnitInfo, TargetGroup, list[int]]], rng: random.Random, writer: BulkWriter,
                  bar: Progress) -> People:
    """Insert one participant row per slot."""
    namer, identity, people = Namer(rng), _Identity(rng), People()
    table = Participant.__table__
    first_id = next_id(table)
    notice = current_app.config["PRIVACY_NOTICE_VERSION"]
    birth_span = (BIRTH_LAST - BIRTH_FIRST).days
    for index, (unit, group, pool) in enumerate(slots):
        province_code = unit.province_code
        female = rng.random() < FEMALE_SHARE
        minority = rng.random() < namer.minority_share(province_code)
        name = namer.full_name(female, province_code, minority)
        position = pick_position(rng, group, female=female, province_level=unit.level.value == "province",
                                 place=_place(unit.name))
        birth = BIRTH_FIRST + timedelta(days=rng.randrange(birth_span))
        code = identity.code()
        registered = REGISTERED_FROM + timedelta(minutes=rng.randrange(REGISTERED_DAYS * 24 * 60))
        folded = fold(name)
        email_local = folded.replace(" ", "").replace("'", "")
        pid = first_id + index
        writer.add(table, {
            "id": pid, "code": code, "full_name": name, "name_search": folded,
            "gender": Gender.FEMALE if female else Gender.MALE, "birth_date": birth, "ethnic_minority": minority,
            "phone": identity.phone(), "email": f"{email_local}{pid % 1000:03d}@{DEMO_EMAIL_DOMAIN}",
            "unit_id": unit.id, "position": position, "target_group": group, "notice_version": notice,
            "anonymised_at": None, "created_at": registered, "updated_at": registered,
        })
        people.ids.append(pid)
        people.groups.append(group.value)
        people.name_keys.append(folded)
        people.snapshot.append((name, birth.isoformat(), unit.name, position))
        for organizer_id in pool:
            people.pools.setdefault(organizer_id, []).append(index)
        if index % 1000 == 999:
            bar.update(1000)
    writer.flush(table)
    sync_sequence(table)
    bar.update(len(slots) % 1000)
    return people


def _place(unit_name: str) -> str:
    """"Tỉnh Bắc Giang" -> "Bắc Giang", for "Báo Bắc Giang"."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if unit_name.startswith(prefix):
            return unit_name[len(prefix):]
    return unit_name
