"""The REST API (Flask-AppBuilder ModelRestApi, JWT login, OpenAPI)."""


def register_apis(appbuilder) -> None:
    """Add the REST APIs to ``appbuilder``."""
