"""Configuration classes. Every key can be overridden by a `TRAINER_<KEY>` environment variable."""

from __future__ import annotations

import os


class Config:
    """Settings shared by every environment."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite in the instance folder
    # hide_parameters: SQL errors and echo never quote the values (names, phones) of a statement.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    # Sign-in (trainer/accounts/login_sessions.py): the session cookie is HttpOnly, SameSite=Lax, and
    # Secure in production and on any HTTPS request; it holds a key checked against the server on each
    # request. Without "remember me" a sign-in lasts LOGIN_SESSION_LIFETIME (one working day) and its
    # cookie dies with the browser; with it, PERMANENT_SESSION_LIFETIME. Flask-Login's remember cookie
    # is never set (its flags below only matter for clearing an old one).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_REFRESH_EACH_REQUEST = False  # the server's row decides, no need to re-send the cookie
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    LOGIN_SESSION_LIFETIME = 8 * 3600
    PERMANENT_SESSION_LIFETIME = 30 * 24 * 3600
    API_TOKEN_DAYS = 90  # a new API token's lifetime unless chosen otherwise
    API_TOKEN_MAX_DAYS = 365
    THROTTLE_RETENTION = 24 * 3600  # seconds failed attempts are kept: the longest throttle window
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # uploads: training materials and Excel lists

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    BOOTSTRAP_SERVE_LOCAL = True  # communes may be offline: never a CDN

    # Which administrative-unit scheme `unit_code` refers to unless `scheme` is given.
    UNIT_SCHEME = "2024"
    CHECKIN_TOKEN_TTL = 120  # seconds a session QR token stays valid
    CHECKIN_QR_ROTATE = 30  # seconds between QR refreshes on the projector page
    COMPLETION_THRESHOLD = 0.8
    API_MAX_PER_PAGE = 200
    API_DEFAULT_PER_PAGE = 50
    PRIVACY_NOTICE_VERSION = "2026-01"
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    # Public address printed in certificates' QR codes; without it, the address of the request.
    PUBLIC_BASE_URL: str | None = None
    # TTF files for PDFs (e.g. Times New Roman, the administrative standard); None: Liberation Serif
    # (materials/fonts, metric-compatible with Times New Roman, covers Vietnamese). A missing style falls
    # back to the regular file.
    PDF_FONT_REGULAR: str | None = None
    PDF_FONT_BOLD: str | None = None
    PDF_FONT_ITALIC: str | None = None
    PDF_FONT_BOLDITALIC: str | None = None
    MATERIALS_DIR: str | None = None  # None: <instance>/materials
    MATERIALS_MAX_BYTES = 20 * 1024 * 1024
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host (werkzeug's ProxyFix).
    PROXY_FIX = 0
    HSTS_MAX_AGE = 365 * 24 * 3600  # sent on HTTPS requests only; 0: no Strict-Transport-Security
    HSTS_INCLUDE_SUBDOMAINS = False
    # pg_dump/pg_restore/psql of `flask backup|restore` on PostgreSQL; None: the server's version
    # under /usr/lib/postgresql/<major>/bin, else PATH.
    PG_BIN_DIR: str | None = None


class DevelopmentConfig(Config):
    """Local use with `make run`: SQLite under instance/, a key kept in instance/."""

    DEBUG = False
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"


class TestingConfig(Config):
    """The test suite: the database comes from TEST_DATABASE_URL (SQLite by default)."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = True
    # Hashing every test user with scrypt costs seconds per run; tests check hashing, not its cost.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a method name


class ProductionConfig(Config):
    """Production: refuses to start without a secret key and a database URL (see `validate`)."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10, "hide_parameters": True}

    @staticmethod
    def validate(config: dict) -> None:
        """Raise RuntimeError when the settings production cannot do without are missing."""
        missing = [key for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not config.get(key)]
        if missing:
            names = ", ".join(f"TRAINER_{key}" for key in missing)
            raise RuntimeError(f"Production configuration needs {names}")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str) -> type[Config]:
    """The configuration class named `name` (development, testing, production)."""
    try:
        return CONFIGS[name.lower()]
    except KeyError:
        raise RuntimeError(f"Unknown TRAINER_CONFIG {name!r}; use one of {', '.join(CONFIGS)}") from None
