"""Coordinator screens (Flask-AppBuilder ModelViews)."""


def register_admin_views(appbuilder) -> None:
    """Add the coordinator screens to ``appbuilder``."""
