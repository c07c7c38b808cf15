"""Read-only queries of accounts: users, their API tokens and sign-in sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.accounts.models import ApiToken, LoginSession, User
from trainer.core.db import utcnow
from trainer.extensions import db


def list_users() -> Sequence[User]:
    """Every staff account, by e-mail, with its unit."""
    return db.session.scalars(select(User).order_by(User.email).options(joinedload(User.unit))).all()


def list_api_tokens(user: User) -> Sequence[ApiToken]:
    """`user`'s API tokens, newest first, revoked and expired ones included (they show their state)."""
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()


def list_login_sessions(user: User, *, now: datetime | None = None) -> Sequence[LoginSession]:
    """`user`'s unexpired sign-in sessions, newest first."""
    return db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id,
                                                         LoginSession.expires_at > (now or utcnow()))
                              .order_by(LoginSession.created_at.desc(), LoginSession.id.desc())).all()
