"""Public pages: the nomination form and its confirmation, no login."""

from flask import Blueprint, Flask

bp = Blueprint("public", __name__, url_prefix="/nominate", template_folder="templates")


@bp.route("/")
def nominate():
    return "nomination form"


def register_public_pages(app: Flask) -> None:
    app.register_blueprint(bp)
