"""Public pages: the nomination form and its confirmation, no login."""

from __future__ import annotations

from flask import Blueprint, Flask
from werkzeug.exceptions import HTTPException

bp = Blueprint(
    "public",
    __name__,
    url_prefix="/nominate",
    template_folder="templates",
    static_folder="static",
)


def register_public_pages(app: Flask) -> None:
    """Register the public blueprint and limit its POSTs per client address.

    Needs Flask-AppBuilder set up first, because the limit uses its limiter
    (``RATELIMIT_STORAGE_URI`` sets where the counts live) and the language
    selection replaces its locale selector.
    """
    from app.languages import register_language_selection
    from app.public import views  # noqa: F401  (attaches the routes to bp)

    register_language_selection(app)
    app.register_blueprint(bp)
    app.register_error_handler(404, views.page_not_found)
    app.register_error_handler(HTTPException, views.public_error)
    limiter = app.appbuilder.sm.limiter
    # Only stored nominations (those that end in a redirect) count, so a family fixing
    # mistakes on a rejected form, or a school sharing one address, is not locked out.
    limiter.limit(
        app.config["ILS_NOMINATION_RATE_LIMIT"],
        methods=["POST"],
        deduct_when=lambda response: response.status_code == 302,
    )(bp)
