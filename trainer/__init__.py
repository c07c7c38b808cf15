"""trainer: capacity-building courses for grassroots communication officers (Project 6)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, ProductionConfig, config_for
from trainer.extensions import babel, bootstrap, csrf, db, login_manager, migrate


def _blueprints() -> tuple:
    """Every blueprint, listed explicitly (no auto-discovery)."""
    import trainer.reports.headcount_views  # noqa: F401 - the headcount pages, on the reports blueprint
    from trainer.accounts.api import bp as accounts_api
    from trainer.accounts.views import bp as accounts
    from trainer.api.views import bp as api
    from trainer.attendance.api import bp as attendance_api
    from trainer.attendance.views import bp as attendance
    from trainer.certificates.api import bp as certificates_api
    from trainer.certificates.views import bp as certificates
    from trainer.certificates.views import public_bp as certificates_public
    from trainer.courses.api import bp as courses_api
    from trainer.courses.views import bp as courses
    from trainer.curricula.api import bp as curricula_api
    from trainer.curricula.views import bp as curricula
    from trainer.cycle.api import bp as cycle_api
    from trainer.cycle.views import bp as cycle
    from trainer.dashboard.views import bp as dashboard
    from trainer.documents.views import bp as documents
    from trainer.finance.api import bp as finance_api
    from trainer.finance.course_views import bp as course_money
    from trainer.finance.views import bp as finance
    from trainer.materials.views import bp as materials
    from trainer.participants.api import bp as participants_api
    from trainer.participants.views import bp as participants
    from trainer.public.me import bp as me
    from trainer.public.views import bp as public
    from trainer.reports.api import bp as reports_api
    from trainer.reports.views import bp as reports
    from trainer.schedule.api import bp as schedule_api
    from trainer.schedule.views import bp as schedule
    from trainer.units.api import bp as units_api
    from trainer.units.views import bp as units

    return (accounts, public, me, dashboard, curricula, units, participants, courses, schedule, materials, documents,
            attendance, certificates, certificates_public, reports, finance, course_money,
            api, accounts_api, curricula_api, units_api, participants_api, courses_api, schedule_api, attendance_api,
            certificates_api, reports_api, cycle, cycle_api, finance_api)


def _instance_secret_key(app: Flask) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application; no database side effects here (migrations are `flask db upgrade`)."""
    app = Flask(__name__, instance_relative_config=True)
    config_class = config_class or config_for(os.environ.get("TRAINER_CONFIG", "development"))
    app.config.from_object(config_class)
    app.config.from_prefixed_env("TRAINER")
    if config_class is ProductionConfig or issubclass(config_class, ProductionConfig):
        ProductionConfig.validate(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'trainer.db'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app)
    app.config["UNIT_SCHEME"] = str(app.config["UNIT_SCHEME"])

    import trainer.models  # noqa: F401 - every mapper, for relationships and Alembic
    from trainer.accounts.auth import init_auth
    from trainer.api.openapi import build_spec
    from trainer.cli import register_cli
    from trainer.core.api import install_request_checks, use_bounded_ids
    from trainer.core.dbsetup import init_engine_options
    from trainer.core.errors import register_error_handlers
    from trainer.core.logs import install_log_privacy
    from trainer.core.permissions import install_login_guard
    from trainer.core.security import install_security_headers, proxy_hops
    from trainer.core.templating import init_templating, select_locale

    install_log_privacy()  # no phone, name, e-mail or token in any log record (domain/privacy.md)
    init_engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    # The templates get Flask-Login's lazy `current_user` (core.templating), not the loaded user: a page that
    # never shows it (the trainee's) never loads it.
    login_manager.init_app(app, add_context_processor=False)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    init_auth(app)
    use_bounded_ids(app)  # before the routes: an id above 2^31-1 matches none (404)
    blueprints = _blueprints()
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
        if blueprint.url_prefix == "/api/v1":
            csrf.exempt(blueprint)  # checked in the login guard unless a bearer token is used
    install_login_guard(app)
    install_request_checks(app, build_spec)
    register_error_handlers(app)
    init_templating(app)
    install_security_headers(app)
    register_cli(app)
    hops = proxy_hops(app)  # TRAINER_PROXY_FIX: werkzeug's ProxyFix, outermost, only behind a proxy
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    return app
