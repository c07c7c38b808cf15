"""Configuration: environment overrides and the production guard."""

from __future__ import annotations

import pytest

from config import ProductionConfig, TestingConfig
from trainer import create_app


def test_every_key_can_be_overridden_by_trainer_env(monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINER_CHECKIN_TOKEN_TTL", "300")
    monkeypatch.setenv("TRAINER_UNIT_SCHEME", "2025")
    monkeypatch.setenv("TRAINER_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app(TestingConfig)
    assert app.config["CHECKIN_TOKEN_TTL"] == 300 and app.config["UNIT_SCHEME"] == "2025"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.db")
    assert app.config["CHECKIN_QR_ROTATE"] == 30


def test_production_refuses_to_start_without_secret_or_database(monkeypatch):
    monkeypatch.delenv("TRAINER_SECRET_KEY", raising=False)
    monkeypatch.delenv("TRAINER_SQLALCHEMY_DATABASE_URI", raising=False)
    with pytest.raises(RuntimeError, match="TRAINER_SECRET_KEY, TRAINER_SQLALCHEMY_DATABASE_URI"):
        create_app(ProductionConfig)
    monkeypatch.setenv("TRAINER_SECRET_KEY", "s" * 40)
    with pytest.raises(RuntimeError, match="TRAINER_SQLALCHEMY_DATABASE_URI"):
        create_app(ProductionConfig)
    monkeypatch.setenv("TRAINER_SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://127.0.0.1/trainer")
    assert create_app(ProductionConfig).config["SESSION_COOKIE_SECURE"] is True
