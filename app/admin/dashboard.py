"""The coordinator dashboard: this program year's figures, as charts and tables."""

from __future__ import annotations

from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from app.admin.base import program_date, render_without_year
from app.services.program_years import span_of, year_on
from app.services.reports import dashboard, pipeline_figures

MAX_SCHOOLS_CHARTED = 15
"""The school chart shows the schools with the most matches; its table lists every school."""


def share_rows(groups: dict, key=None) -> list[tuple[str, float | None]]:
    return [(str(name), share.ratio) for name, share in sorted(groups.items(), key=key)]


class DashboardView(BaseView):
    """Nominations, waitlist, matches, hours and the weekly target for the current year."""

    route_base = "/dashboard"
    default_view = "index"
    class_permission_name = "Dashboard"

    @expose("/")
    @has_access
    def index(self):
        today = program_date()
        year = year_on(today)
        if year is None:
            return render_without_year(self, "Dashboard", today, pipeline=pipeline_figures())
        figures = dashboard(span_of(year), today)
        groups = figures.breakdowns
        schools = sorted(groups.by_school.items(), key=lambda item: (-item[1].matches, item[0]))
        return self.render_template(
            "admin/dashboard.html",
            title=f"Dashboard: {year.name}",
            year=year,
            today=today,
            figures=figures,
            by_grade=[
                (f"Grade {grade}", share.ratio) for grade, share in sorted(groups.by_grade.items())
            ],
            by_subject=share_rows(groups.by_subject),
            by_school=[(name, share.ratio) for name, share in schools[:MAX_SCHOOLS_CHARTED]],
            schools=schools,
            week_rows=[
                (monday.isoformat(), count) for monday, count in figures.nominations_by_week
            ],
        )
