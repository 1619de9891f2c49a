"""The mentor portal: a mentor's own students, matches and sessions."""


def register_portal_views(appbuilder) -> None:
    """Add the mentor portal screens to ``appbuilder``."""
