"""The landing page: mentors go to their students, staff to nominations."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose

from config import ADMIN_ROLE, COORDINATOR_ROLE, MENTOR_ROLE


class HomeView(IndexView):
    """Send each logged-in user to the screen they use most; show a welcome page otherwise."""

    index_template = "home.html"

    @expose("/")
    def index(self):
        user = g.user
        if user is not None and user.is_authenticated:
            role_names = {role.name for role in user.roles}
            if role_names & {ADMIN_ROLE, COORDINATOR_ROLE}:
                return redirect(url_for("NominationView.list"))
            if MENTOR_ROLE in role_names:
                return redirect(url_for("MyStudentsView.list"))
        return self.render_template(self.index_template, appbuilder=self.appbuilder)
