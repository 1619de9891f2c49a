"""The mentor portal: a mentor's own students, matches and sessions."""


def register_portal_views(appbuilder) -> None:
    """Add the mentor portal screens to ``appbuilder``.

    Menu names are checked as ``menu_access`` permissions, so they must stay
    equal to the names granted to the Mentor role in ``app.security``.
    """
    from app.portal.sessions import MySessionsView
    from app.portal.students import MyStudentsView

    appbuilder.add_view(MyStudentsView, "My students", icon="fa-users")
    appbuilder.add_view(MySessionsView, "My sessions", icon="fa-calendar-check-o")
