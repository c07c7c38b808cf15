"""Read-only queries of training materials."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import contains_eager

from trainer.accounts.models import User
from trainer.core.permissions import Need, scoped
from trainer.courses.models import Course, CourseModule
from trainer.curricula.models import Curriculum, CurriculumModule
from trainer.extensions import db
from trainer.materials.models import Material


def course_materials_stmt(course: Course) -> Select:
    """Materials of `course`, then those of the curriculum modules it was planned with (matched by
    module code within the course's curriculum), each module's in module order."""
    planned_codes = select(CourseModule.code).where(CourseModule.course_id == course.id)
    return (select(Material)
            .outerjoin(Material.curriculum_module)
            .where(or_(Material.course_id == course.id,
                       and_(CurriculumModule.curriculum_id == course.curriculum_id,
                            CurriculumModule.code.in_(planned_codes))))
            .options(contains_eager(Material.curriculum_module))
            .order_by(case((Material.course_id.is_not(None), 0), else_=1), CurriculumModule.position,
                      Material.title, Material.id))


@cache
def _trainee_materials_stmt() -> Select:
    """A trainee's page lists the class's materials on every check-in: the rows of course_materials_stmt, as
    plain rows (no ORM objects), by a statement built once (at first use, when the mappers are ready)."""
    planned = select(CourseModule.code).where(CourseModule.course_id == bindparam("course_id"))
    return (select(Material.id, Material.title, Material.content_type, Material.size_bytes)
            .outerjoin(CurriculumModule, CurriculumModule.id == Material.curriculum_module_id)
            .where(or_(Material.course_id == bindparam("course_id"),
                       and_(CurriculumModule.curriculum_id == bindparam("curriculum_id"),
                            CurriculumModule.code.in_(planned))))
            .order_by(case((Material.course_id.is_not(None), 0), else_=1), CurriculumModule.position,
                      Material.title, Material.id))


def list_trainee_materials(course_id: int, curriculum_id: int) -> list[Row]:
    """(id, title, content_type, size_bytes) of a course's materials for its trainees' pages, in the order of
    `course_materials_stmt`: one statement, built once."""
    return list(db.session.connection().execute(_trainee_materials_stmt(),
                                                {"course_id": course_id, "curriculum_id": curriculum_id}))


def module_materials_stmt(module: CurriculumModule) -> Select:
    """Materials attached to one curriculum module."""
    return select(Material).where(Material.curriculum_module_id == module.id).order_by(Material.title, Material.id)


def modules_with_counts() -> Select:
    """Every curriculum module with its curriculum's code and its number of materials (one aggregate)."""
    counts = (select(Material.curriculum_module_id, func.count(Material.id).label("materials"))
              .where(Material.curriculum_module_id.is_not(None))
              .group_by(Material.curriculum_module_id).subquery())
    return (select(CurriculumModule, Curriculum.code.label("curriculum_code"),
                   func.coalesce(counts.c.materials, 0).label("materials"))
            .join(Curriculum, CurriculumModule.curriculum_id == Curriculum.id)
            .outerjoin(counts, counts.c.curriculum_module_id == CurriculumModule.id)
            .where(Curriculum.is_active)
            .order_by(Curriculum.code, CurriculumModule.position))


def recent_course_materials(user: User, limit: int = 50) -> Select:
    """The latest materials of courses `user` may view, with their course loaded."""
    stmt = (select(Material).join(Material.course).options(contains_eager(Material.course))
            .order_by(Material.created_at.desc(), Material.id.desc()).limit(limit))
    return scoped(stmt, Course.unit_id, Need.VIEW, user)
