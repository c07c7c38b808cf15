"""JSON API of the lecturers' registry and of the provinces' rates (API.md "Lecturers, rates and payments")."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer.core.api import choice_arg, json_body, paginated
from trainer.extensions import db
from trainer.finance.lecturers import (
    create_lecturer,
    get_lecturer_for,
    lecturer_json,
    list_lecturers,
    registry_province,
)
from trainer.finance.rates import check_rates, list_rates, rate_json, rates_province, set_rates
from trainer.units.models import SCHEMES

bp = Blueprint("finance_api", __name__, url_prefix="/api/v1")


@bp.post("/lecturers")
def create_lecturer_api() -> ResponseReturnValue:
    """Add a lecturer to the registry of the caller's province (`unit_code` names the province for an admin)."""
    data = json_body()
    province = registry_province(current_user, data.get("unit_code"), scheme=choice_arg("scheme", SCHEMES))
    lecturer = create_lecturer(current_user, province, full_name=data.get("full_name"), agency=data.get("agency"),
                               tier=data.get("tier"), phone=data.get("phone"), email=data.get("email"))
    db.session.commit()
    return lecturer_json(lecturer), 201


@bp.get("/lecturers")
def list_lecturers_api() -> ResponseReturnValue:
    """The registry the caller sees; `q` matches names without regard to diacritics or case."""
    return paginated(list_lecturers(current_user, request.args.get("q")), lecturer_json)


@bp.get("/lecturers/<int:lecturer_id>")
def get_lecturer_api(lecturer_id: int) -> ResponseReturnValue:
    """One lecturer of a registry the caller sees."""
    return lecturer_json(get_lecturer_for(current_user, lecturer_id))


@bp.put("/units/<code>/rates")
def put_rates_api(code: str) -> ResponseReturnValue:
    """Enter a province's rates from `valid_from` (reviewers in scope, admins); an entry of the same date is
    replaced (200), a new one is created (201)."""
    data = json_body()
    province = rates_province(current_user, code, scheme=choice_arg("scheme", SCHEMES))
    values = check_rates(data.get("valid_from"), data.get("lecturer_fee_per_session"),
                         data.get("trainee_support_per_day"), data.get("source"))
    rate, created = set_rates(current_user, province, values)
    db.session.commit()
    return rate_json(rate), 201 if created else 200


@bp.get("/units/<code>/rates")
def list_rates_api(code: str) -> ResponseReturnValue:
    """A province's rate entries, newest first (everyone working in the province)."""
    province = rates_province(current_user, code, scheme=choice_arg("scheme", SCHEMES), manage=False)
    return paginated(list_rates(province), rate_json)
