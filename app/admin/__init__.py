"""Coordinator screens (Flask-AppBuilder ModelViews).

Each menu item's name equals its view's ``class_permission_name``, because the
role rules in app.security grant menus and views by those names.
"""


def register_admin_views(appbuilder) -> None:
    """Add the coordinator screens to ``appbuilder``, in the "Program", "Reports" and
    "Reference data" menus."""
    from app.admin.attention import NeedsAttentionView
    from app.admin.check_ins import CheckInView
    from app.admin.dashboard import DashboardView
    from app.admin.funder_report import FunderReportView
    from app.admin.match_search import MatchSearchView
    from app.admin.matches import MatchView
    from app.admin.mentors import MentorView
    from app.admin.nomination_history import NominationHistoryView
    from app.admin.nominations import NominationView
    from app.admin.outbox import OutboxView
    from app.admin.program_years import ProgramYearBreakView, ProgramYearView
    from app.admin.schools import SchoolView
    from app.admin.sessions import SessionView
    from app.admin.students import StudentView

    program = {"category": "Program", "category_icon": "fa-users"}
    appbuilder.add_view(NominationView, "Nominations", icon="fa-inbox", **program)
    appbuilder.add_view(StudentView, "Students", icon="fa-graduation-cap", **program)
    appbuilder.add_view(MentorView, "Mentors", icon="fa-user", **program)
    appbuilder.add_view(MatchView, "Matches", icon="fa-handshake-o", **program)
    appbuilder.add_view(SessionView, "Sessions", icon="fa-calendar", **program)
    appbuilder.add_view(CheckInView, "CheckIns", label="Check-ins", icon="fa-phone", **program)
    appbuilder.add_view(
        NominationHistoryView,
        "NominationHistory",
        label="Nomination history",
        icon="fa-history",
        **program,
    )
    appbuilder.add_view(OutboxView, "Outbox", icon="fa-envelope", **program)
    reports = {"category": "Reports", "category_icon": "fa-bar-chart"}
    appbuilder.add_view(DashboardView, "Dashboard", icon="fa-tachometer", **reports)
    appbuilder.add_view(
        NeedsAttentionView,
        "NeedsAttention",
        label="Needs attention",
        icon="fa-exclamation-triangle",
        **reports,
    )
    appbuilder.add_view(
        FunderReportView, "FunderReport", label="Funder report", icon="fa-file-text", **reports
    )
    reference = {"category": "Reference data", "category_icon": "fa-book"}
    appbuilder.add_view(
        ProgramYearView,
        "ProgramYears",
        label="Program years",
        icon="fa-calendar-check-o",
        **reference,
    )
    appbuilder.add_view_no_menu(ProgramYearBreakView)
    appbuilder.add_view_no_menu(MatchSearchView)
    appbuilder.add_view(
        SchoolView,
        "Schools",
        icon="fa-building",
        category="Reference data",
        category_icon="fa-book",
    )
