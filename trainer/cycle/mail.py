"""Reminders by e-mail, when an SMTP server is configured (TRAINER_MAIL_SERVER, TRAINER_MAIL_PORT,
TRAINER_MAIL_USERNAME, TRAINER_MAIL_PASSWORD, TRAINER_MAIL_USE_TLS, TRAINER_MAIL_SENDER): each organizer and
reviewer gets the reminders of their dashboard (a report due within 30 days or overdue, a returned report,
reports of the units below waiting for review) in one message. Run daily by `flask cycle remind`."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.accounts.models import Role, User
from trainer.cycle.queries import reminders
from trainer.extensions import db


@dataclass(frozen=True)
class Outgoing:
    """One reminder message to one staff member."""

    to: str
    subject: str
    body: str


def _line(item: dict[str, Any]) -> str:
    """One reminder as a sentence (the dashboard's wording)."""
    unit, period = item["unit"].name, item["period"].label
    due = item.get("due_on")
    due_text = f"{due:%d/%m/%Y}" if due else ""
    if item["kind"] == "returned":
        return f"- Báo cáo {period} của {unit} bị cấp trên trả lại: sửa và gửi lại."
    if item["kind"] == "overdue":
        return f"- Báo cáo {period} của {unit} đã quá hạn {item['days']} ngày (hạn {due_text})."
    if item["kind"] == "due":
        return f"- Báo cáo {period} của {unit} hạn ngày {due_text} (còn {item['days']} ngày)."
    return f"- {item['count']} báo cáo của đơn vị trực thuộc {unit} đang chờ duyệt."


def compose_reminders(today: date) -> list[Outgoing]:
    """The messages to send today: one per active organizer or reviewer with at least one reminder."""
    users = db.session.scalars(select(User).options(joinedload(User.unit)).where(
        User.is_active_account.is_(True), User.unit_id.is_not(None),
        User.role.in_([Role.ORGANIZER, Role.REVIEWER])).order_by(User.id))
    messages = []
    for user in users:
        items = reminders(user, today)
        if items:
            body = "\n".join(["Kính gửi " + (user.full_name or user.email) + ",", "",
                              "trainer nhắc các báo cáo định kỳ (Dự án 6):", *map(_line, items), "",
                              "Đăng nhập trainer để lập, gửi hoặc duyệt báo cáo."])
            messages.append(Outgoing(user.email, f"[trainer] Nhắc báo cáo định kỳ ({len(items)})", body))
    return messages


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_messages(messages: list[Outgoing]) -> int:
    """Send through the configured SMTP server, one connection for all. Returns how many were sent."""
    config = current_app.config
    sender = config.get("MAIL_SENDER") or "trainer@localhost"
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=30) as smtp:
        if str(config.get("MAIL_USE_TLS", "")).lower() in ("1", "true", "yes"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        for outgoing in messages:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = sender, outgoing.to, outgoing.subject
            message.set_content(outgoing.body)
            smtp.send_message(message)
    return len(messages)
