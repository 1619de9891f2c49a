"""Coordinator screens (Flask-AppBuilder ModelViews).

Each menu item's name equals its view's ``class_permission_name``, because the
role rules in app.security grant menus and views by those names.
"""


def register_admin_views(appbuilder) -> None:
    """Add the coordinator screens to ``appbuilder``, under "Program" and "Reference data"."""
    from app.admin.matches import MatchView
    from app.admin.mentors import MentorView
    from app.admin.nomination_history import NominationHistoryView
    from app.admin.nominations import NominationView
    from app.admin.outbox import OutboxView
    from app.admin.schools import SchoolView
    from app.admin.sessions import SessionView
    from app.admin.students import StudentView

    program = {"category": "Program", "category_icon": "fa-users"}
    appbuilder.add_view(NominationView, "Nominations", icon="fa-inbox", **program)
    appbuilder.add_view(StudentView, "Students", icon="fa-graduation-cap", **program)
    appbuilder.add_view(MentorView, "Mentors", icon="fa-user", **program)
    appbuilder.add_view(MatchView, "Matches", icon="fa-handshake-o", **program)
    appbuilder.add_view(SessionView, "Sessions", icon="fa-calendar", **program)
    appbuilder.add_view(
        NominationHistoryView,
        "NominationHistory",
        label="Nomination history",
        icon="fa-history",
        **program,
    )
    appbuilder.add_view(OutboxView, "Outbox", icon="fa-envelope", **program)
    appbuilder.add_view(
        SchoolView,
        "Schools",
        icon="fa-building",
        category="Reference data",
        category_icon="fa-book",
    )
