"""The application factory: each ``_register_*`` step wires one concern."""

from __future__ import annotations

import logging
import os
import re

from flask import Flask, flash, jsonify, redirect, render_template, request
from flask_appbuilder import AppBuilder
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import csrf, db, migrate
from app.extensions import mail as mail_extension
from config import BASE_DIR, INSTANCE_DIR, load_config

logger = logging.getLogger(__name__)


def create_app(overrides: dict[str, object] | None = None) -> Flask:
    """Create the Flask app. ``overrides`` replace settings after the environment is read."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.update(load_config())
    if overrides:
        app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)

    _configure_logging(app)
    _trust_proxies(app)
    _register_extensions(app)
    _keep_figures_current()
    _register_url_converters(app)
    with app.app_context():
        _register_appbuilder(app)
    _register_public_pages(app)
    _register_mail(app)
    _register_commands(app)
    _register_error_handlers(app)
    return app


# Loggers of other packages that write personal data at INFO: FAB logs "Added user
# <username>", and a mentor's username is the mentor's e-mail address.
QUIETED_LOGGERS = ("flask_appbuilder.security.sqla.manager", "flask_appbuilder.security.manager")

# Response headers for every page: no framing by other sites (clickjacking), no
# content-type guessing, and no full URLs sent to other sites.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


QUERY_STRING = re.compile(r"\?[^ ]*")


class QueryStringFilter(logging.Filter):
    """Remove query strings from the development server's access log.

    List searches put names in the query string, and logs keep no personal data.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # Werkzeug logs '"%s" %s %s' with the request line ("GET /path?query HTTP/1.1") first.
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (QUERY_STRING.sub("", record.args[0]), *record.args[1:])
        return True


def _keep_figures_current() -> None:
    from app.services import figures, status_counts

    figures.register_listener()
    status_counts.register_listener()


def _configure_logging(app: Flask) -> None:
    for name in QUIETED_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # FAB warns at every start that Time columns have no list filter; they are not searched.
    logging.getLogger("flask_appbuilder.models.filters").setLevel(logging.ERROR)
    werkzeug_logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, QueryStringFilter) for f in werkzeug_logger.filters):
        werkzeug_logger.addFilter(QueryStringFilter())
    if app.config["TESTING"] or logging.getLogger().handlers:
        return
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _trust_proxies(app: Flask) -> None:
    """Read the client address from X-Forwarded-For when the app runs behind proxies.

    Rate limits count per client address, so behind a proxy without this every
    visitor would share the proxy's address and its limit.
    """
    proxies = app.config["ILS_TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def _register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (registers the tables on FAB's metadata)
    from app.database import configure_sqlite_engine

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    mail_extension.init_app(app)
    csrf.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite_engine(db.engine)


def _register_url_converters(app: Flask) -> None:
    """Bound ``<int:...>`` in every route to the database integer range (before routes exist)."""
    from app.url_values import RecordIdConverter

    app.url_map.converters["int"] = RecordIdConverter


def _register_appbuilder(app: Flask) -> None:
    from app.admin import register_admin_views
    from app.api import register_apis
    from app.portal import register_portal_views
    from app.security import FAB_ROLES

    app.config["FAB_ROLES"] = FAB_ROLES
    appbuilder = AppBuilder()
    appbuilder.init_app(app, db.session)
    register_admin_views(appbuilder)
    register_portal_views(appbuilder)
    register_apis(appbuilder)


def _register_public_pages(app: Flask) -> None:
    from app.public import register_public_pages

    register_public_pages(app)


def _register_mail(app: Flask) -> None:
    from app.mail import init_mail

    init_mail(app)


def _register_commands(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)


def _register_error_handlers(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(429)
    def too_many_requests(error):
        """Explain a rate limit on the staff login; the public form has its own page."""
        logger.warning("rate limit reached on endpoint %s", request.endpoint)
        if request.path.startswith("/api/"):
            return jsonify(message="Too many requests. Wait a few minutes and try again."), 429
        body = render_template(
            "too_many_requests.html",
            limit=error.description,
            appbuilder=app.appbuilder,
            base_template=app.appbuilder.base_template,
        )
        return body, 429

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        """Send a staff form with a missing or expired token back with an explanation.

        The public form has its own handler that keeps the input. Staff go back to
        the page they came from, with the reason on top, and fill the form in again.
        """
        logger.warning("form rejected: %s (endpoint %s)", error.description, request.endpoint)
        if request.path.startswith("/api/") or request.method != "POST":
            return jsonify(message=error.description), 400
        flash(
            "Your session expired or the form was out of date, so nothing was saved. "
            "Please fill in the form again.",
            "danger",
        )
        referrer = request.referrer or ""
        if referrer.startswith(request.host_url):
            return redirect(referrer)
        # "/" sends staff to their list, which shows the message. A visitor who is not
        # logged in gets the public landing page there, which shows no flashed messages.
        if current_user.is_authenticated:
            return redirect(request.host_url)
        return redirect(app.appbuilder.get_url_for_login)

    @app.teardown_request
    def rollback_on_error(error: BaseException | None) -> None:
        if error is not None:
            db.session.rollback()
