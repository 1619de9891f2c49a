"""The landing page: mentors go to their students, staff to nominations."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose

from app.public.views import render_public_page
from config import ADMIN_ROLE, COORDINATOR_ROLE, MENTOR_ROLE


class HomeView(IndexView):
    """Send each logged-in user to the screen they use most; show a welcome page otherwise."""

    @expose("/")
    def index(self):
        user = g.user
        if user is not None and user.is_authenticated:
            role_names = {role.name for role in user.roles}
            if role_names & {ADMIN_ROLE, COORDINATOR_ROLE}:
                return redirect(url_for("NominationView.list"))
            if MENTOR_ROLE in role_names:
                return redirect(url_for("MyStudentsView.list"))
        # Anonymous visitors are families and schools: the public landing page speaks
        # their language (the public paths include "/").
        return render_public_page("public/home.html")
