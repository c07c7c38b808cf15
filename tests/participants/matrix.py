"""Role × scope expectations of the participants endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import LOGIN, all_staff, only_admin, organizers, scoped_manage, scoped_view  # noqa: F401

NEW_PERSON = {"full_name": "Lê Thị Thu", "gender": "female", "ethnicity": "Kinh", "phone": "0987654321",
              "unit_code": "07306", "target_group": "commune_culture_officer"}
# Creating in Thị trấn Nhã Nam: only who manages it; the Hà Nội organizer manages units, just not this one.
CREATE = {"anon": 401, "admin": 201, "organizer_in": 201, "organizer_out": 403, "reviewer_in": 403,
          "reviewer_out": 403}


def _person(world: dict[str, Any]) -> int:
    return world["participant"].id


MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "participants.index": ("GET", "/participants/?q=nguyen+thi+hang", None, all_staff()),
    "participants.export": ("GET", "/participants/export.xlsx", None, all_staff()),
    "participants.detail": ("GET", lambda w: f"/participants/{_person(w)}", None, scoped_view()),
    "participants.new": ("GET", "/participants/new", None, organizers()),
    "participants.edit": ("GET", lambda w: f"/participants/{_person(w)}/edit", None, scoped_manage()),
    "participants.template": ("GET", "/participants/template.xlsx", None, organizers()),
    "participants.import_upload": ("GET", "/participants/import", None, organizers()),
    # An unknown token sends the organizer back to the upload page.
    "participants.import_confirm": ("POST", "/participants/import/confirm", {"token": "x" * 32}, organizers(302)),
    "participants.import_identities": ("POST", "/participants/import/identities", {"token": "x" * 32},
                                       organizers(302)),
    # An unknown (or used, or expired) error file link: back to the upload page too.
    "participants.import_error_file": ("GET", f"/participants/import/error-file/{'x' * 32}.xlsx", None,
                                       organizers(302)),
    "participants_api.create_participant_api": ("POST", "/api/v1/participants", NEW_PERSON, CREATE),
    "participants_api.list_participants_api": ("GET", "/api/v1/participants?q=nguyen", None, all_staff(api=True)),
    "participants_api.get_participant_api": ("GET", lambda w: f"/api/v1/participants/{_person(w)}", None,
                                             scoped_view(api=True)),
    "participants_api.update_participant_api": ("PATCH", lambda w: f"/api/v1/participants/{_person(w)}",
                                                {"position": "Cán bộ văn hóa"}, scoped_manage(api=True)),
    "participants.personal_data": ("GET", lambda w: f"/participants/{_person(w)}/personal-data.json", None,
                                   scoped_manage()),
    # Without a reason (422): the shared participant stays as the later endpoints need them.
    "participants.anonymise": ("POST", lambda w: f"/participants/{_person(w)}/anonymise", {"reason": ""},
                               scoped_manage(422)),
    "participants_api.personal_data_api": ("GET", lambda w: f"/api/v1/participants/{_person(w)}/personal-data", None,
                                           scoped_manage(api=True)),
    "participants_api.anonymise_participant_api": ("POST", lambda w: f"/api/v1/participants/{_person(w)}/anonymise",
                                                   {}, scoped_manage(422, api=True)),
    # JSON instead of a multipart file: organizers reach the check (422), reviewers are stopped first.
    "participants_api.import_participants_api": ("POST", "/api/v1/participants/import?dry_run=1", {"full_name": "x"},
                                                 organizers(422, api=True)),
}


def build(world: dict[str, Any], f: Any) -> None:
    """Add the objects these endpoints need to the world (the shared participant is enough)."""
