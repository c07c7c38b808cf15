"""JSON API of accounts: who am I, and user creation by admins."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_login import current_user

from trainer.accounts.models import Role, User
from trainer.accounts.services import create_user, generate_password
from trainer.core.api import json_body
from trainer.core.errors import ValidationError
from trainer.core.permissions import Need, require
from trainer.extensions import db
from trainer.units.services import get_unit

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


def user_json(user: User) -> dict[str, Any]:
    """A user as the API shows it (never the password hash)."""
    unit = user.unit
    return {"id": user.id, "email": user.email, "full_name": user.full_name, "role": user.role.value,
            "unit": {"code": unit.code, "name": unit.name, "level": unit.level.value, "scheme": unit.scheme}
            if unit else None}


@bp.get("/me")
def me():
    """The authenticated user and their scope."""
    return user_json(current_user)


@bp.post("/users")
def create_user_api():
    """Create a staff account (admins): `{email, role, unit_code?, scheme?, full_name?, password?}`."""
    require(Need.ADMINISTER)
    data = json_body()
    try:
        role = Role(data.get("role"))
    except ValueError:
        message = "Vai trò phải là admin, organizer hoặc reviewer."
        raise ValidationError("invalid_role", message, fields={"role": message}) from None
    unit = get_unit(data.get("unit_code"), scheme=data.get("scheme")) if data.get("unit_code") else None
    password = data.get("password") or generate_password()
    if not isinstance(password, str) or not isinstance(data.get("email"), str):
        raise ValidationError("validation_error", "Email và mật khẩu phải là chuỗi ký tự.")
    user = create_user(data["email"], role, unit=unit, password=password,
                       full_name=str(data.get("full_name") or ""), actor=current_user)
    db.session.commit()
    body = user_json(user)
    if not data.get("password"):
        body["password"] = password  # generated: shown this once
    return body, 201
