"""Role × scope expectations of the materials endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

import io
from typing import Any

from tests.matrix_helpers import LOGIN, all_staff, only_admin, organizers, scoped_manage, scoped_view  # noqa: F401

MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "materials.index": ("GET", "/materials/", None, all_staff()),
    "materials.course_materials": ("GET", lambda w: f"/materials/course/{w['course'].id}", None, scoped_view()),
    # Curricula are national: every staff member reads a module's materials (admins add them).
    "materials.module_materials": ("GET", lambda w: f"/materials/module/{w['curriculum'].modules[0].id}", None,
                                   all_staff()),
    "materials.download": ("GET", lambda w: f"/materials/{w['material'].id}/download", None, scoped_view()),
    "materials.delete": ("POST", lambda w: f"/materials/{w['material_to_delete'].id}/delete", {},
                         scoped_manage(302)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """Add the objects these endpoints need to the world: two PDFs of the world's course."""
    from trainer.materials.services import add_material

    uploader = f.user("admin")
    for key in ("material", "material_to_delete"):
        world[key] = add_material(io.BytesIO(b"%PDF-1.7\n%%EOF\n"), f"{key}.pdf", actor=uploader,
                                  course=world["course"])
