"""`make_*` helpers: minimal valid objects, flushed so they have IDs, never committed by themselves."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from trainer.accounts.models import Role, User
from trainer.core.text import fold
from trainer.courses.models import Course, CourseStatus
from trainer.curricula.models import Curriculum, CurriculumModule, TargetGroup
from trainer.extensions import db
from trainer.participants.models import Gender, Participant
from trainer.units.models import Unit, UnitLevel

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


class Factories:
    """Builds objects; `tree()` gives a small administrative tree like the real one."""

    def unit(self, code: str, name: str, level: UnitLevel, parent: Unit | None = None, *,
             scheme: str = "2024", kind: str = "") -> Unit:
        path = f"{parent.path if parent else scheme + '/'}{code}/"
        unit = Unit(scheme=scheme, code=code, name=name, name_search=fold(name), level=level,
                    kind=kind or {"province": "tinh", "district": "huyen", "commune": "xa"}[level.value],
                    parent=parent, path=path)
        db.session.add(unit)
        db.session.flush()
        return unit

    def tree(self) -> dict[str, Unit]:
        """Bắc Giang (24) › Tân Yên (216) › Nhã Nam, Cao Xá; Yên Thế (217) › Bố Hạ; Hà Nội › Ba Đình › Phúc Xá."""
        p = self.unit("24", "Tỉnh Bắc Giang", UnitLevel.PROVINCE)
        d = self.unit("216", "Huyện Tân Yên", UnitLevel.DISTRICT, p)
        d2 = self.unit("217", "Huyện Yên Thế", UnitLevel.DISTRICT, p)
        c = self.unit("07306", "Thị trấn Nhã Nam", UnitLevel.COMMUNE, d, kind="thi_tran")
        c_b = self.unit("07309", "Xã Cao Xá", UnitLevel.COMMUNE, d)
        c2 = self.unit("07210", "Thị trấn Bố Hạ", UnitLevel.COMMUNE, d2, kind="thi_tran")
        hn = self.unit("01", "Thành phố Hà Nội", UnitLevel.PROVINCE, kind="thanh_pho_tw")
        hn_d = self.unit("001", "Quận Ba Đình", UnitLevel.DISTRICT, hn, kind="quan")
        hn_c = self.unit("00001", "Phường Phúc Xá", UnitLevel.COMMUNE, hn_d, kind="phuong")
        new_p = self.unit("24", "Tỉnh Bắc Ninh", UnitLevel.PROVINCE, scheme="2025")
        new_c = self.unit("07306", "Xã Nhã Nam", UnitLevel.COMMUNE, new_p, scheme="2025")
        return {"province": p, "district": d, "district2": d2, "commune": c, "commune_b": c_b, "commune2": c2,
                "hanoi": hn, "hanoi_district": hn_d, "hanoi_commune": hn_c, "new_province": new_p,
                "new_commune": new_c}

    def user(self, role: Role | str, unit: Unit | None = None, *, email: str | None = None,
             password: str = PASSWORD) -> User:
        role = Role(role)
        user = User(email=email or f"{role.value}{next(_seq)}@example.vn", role=role, unit=unit,
                    full_name="Người dùng thử")
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        return user

    def curriculum(self, code: str = "CT1", *, hours: tuple[int, ...] = (2, 2),
                   target_groups: tuple[str, ...] = ("commune_culture_officer",)) -> Curriculum:
        curriculum = Curriculum(code=code, title=f"Chương trình {code} bồi dưỡng thông tin cơ sở",
                                target_groups=list(target_groups), completion_threshold=Decimal("0.8"),
                                confirmed={}, modules=[
                                    CurriculumModule(code=f"{code}.{i}", position=i, title=f"Chuyên đề {i}",
                                                     hours=Decimal(h), confirmed={})
                                    for i, h in enumerate(hours, start=1)])
        db.session.add(curriculum)
        db.session.flush()
        return curriculum

    def course(self, unit: Unit, curriculum: Curriculum | None = None, **overrides: Any) -> Course:
        curriculum = curriculum or self.curriculum(f"X{next(_seq)}")
        values: dict[str, Any] = {"title": "Lớp bồi dưỡng thử", "venue": "Hội trường UBND",
                                  "start_date": date(2024, 10, 1), "end_date": date(2024, 10, 3),
                                  "status": CourseStatus.OPEN, "unit_name": unit.name}
        values.update(overrides)
        course = Course(curriculum=curriculum, unit=unit, **values)
        db.session.add(course)
        db.session.flush()
        return course

    def participant(self, unit: Unit, **overrides: Any) -> Participant:
        n = next(_seq)
        values: dict[str, Any] = {"code": f"P{n:07d}", "full_name": "Nguyễn Thị Hằng", "gender": Gender.FEMALE,
                                  "phone": f"09{n:08d}", "target_group": TargetGroup.COMMUNE_CULTURE_OFFICER,
                                  "ethnic_minority": False}
        values.update(overrides)
        values.setdefault("name_search", fold(values["full_name"]))
        participant = Participant(unit=unit, **values)
        db.session.add(participant)
        db.session.flush()
        return participant
