"""Program years and their weeks without school, and the year-end closing of matches.

Coordinators enter each school year as BPS publishes it. The weeks without
school are edited from the year's page (a related list), and the year's page
links to its funder report and to the year end.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access, permission_name
from flask_babel import ngettext
from sqlalchemy import select
from wtforms import StringField

from app.admin.base import AdminInterface, AdminModelView, current_user_id, program_date
from app.admin.fields import BoundedSelectField, date_field
from app.extensions import db
from app.models import ProgramYear, ProgramYearBreak
from app.rules.errors import N_, RuleViolation
from app.rules.program_year import (
    check_break_week,
    check_year_days,
    clean_break_label,
    clean_year_name,
)
from app.services.year_end import YEAR_END_BATCH_SIZE, close_year, year_end_preview
from app.url_values import MAX_RECORD_ID, parse_whole_number

logger = logging.getLogger(__name__)

YEAR_END_PAGE_SIZE = 100


def preview_count_line(count: int, proposed: int) -> str:
    """Say how many matches the year end will close, and how many of them never started."""
    line = ngettext(
        "%(num)d open match will be closed.", "%(num)d open matches will be closed.", count
    )
    if proposed:
        line += " " + ngettext(
            "%(num)d of them is proposed and never started.",
            "%(num)d of them are proposed and never started.",
            proposed,
        )
    return line


def batch_button_label(count: int, *, continuing: bool) -> str:
    """Label the year-end button: all matches, or the next batch when there are more."""
    if count <= YEAR_END_BATCH_SIZE and not continuing:
        return ngettext("Close %(num)d match", "Close %(num)d matches", count)
    batch = min(count, YEAR_END_BATCH_SIZE)
    if continuing:
        return ngettext(
            "Continue: close the next %(num)d match of %(total)d",
            "Continue: close the next %(num)d matches of %(total)d",
            batch,
            total=count,
        )
    return ngettext(
        "Close the next %(num)d match of %(total)d",
        "Close the next %(num)d matches of %(total)d",
        batch,
        total=count,
    )


def closed_message(closed: int, proposed: int) -> str:
    """Report a year-end run: matches closed, and how many of them were only proposed."""
    message = ngettext("%(num)d match closed.", "%(num)d matches closed.", closed)
    if proposed:
        message += " " + ngettext(
            "%(num)d of them was proposed and never started.",
            "%(num)d of them were proposed and never started.",
            proposed,
        )
    return message


def years_newest_first() -> list[ProgramYear]:
    """Return every program year, newest first. There is one per school year, so few."""
    return list(
        db.session.execute(select(ProgramYear).order_by(ProgramYear.first_day.desc())).scalars()
    )


class ProgramYearBreakView(AdminModelView):
    """Weeks without school: the Monday of each week and a label such as "February vacation"."""

    route_base = "/programyearbreakview"
    datamodel = AdminInterface(ProgramYearBreak)
    class_permission_name = "ProgramYearBreaks"
    exclude_route_methods = {"download", "action", "action_post"}
    list_title = "Weeks without school"
    show_title = "Week without school"
    add_title = "Add a week without school"
    edit_title = "Edit week without school"
    add_row_message = "Week without school added."
    edit_row_message = "Week without school updated."
    delete_row_message = "Week without school deleted."

    list_columns = ["program_year", "week_start", "label"]
    order_columns = ["week_start", "label"]
    base_order = ("week_start", "asc")
    search_columns = ["program_year", "week_start", "label"]
    label_columns = {"program_year": "Program year", "week_start": "Week starting (Monday)"}
    add_columns = ["program_year", "week_start", "label"]
    edit_columns = ["week_start", "label"]
    show_columns = add_columns
    edit_form_extra_fields = {
        "week_start": date_field("Week starting (Monday)", "the Monday of the week"),
    }
    add_form_extra_fields = {
        # FAB's own select rejects an unknown year id with "This field is required."
        "program_year": BoundedSelectField(
            "Program year",
            model=ProgramYear,
            choices_query=years_newest_first,
            message="Choose the program year from the list.",
        ),
        **edit_form_extra_fields,
    }

    def check_item(self, item: ProgramYearBreak, is_created: bool) -> None:
        year = item.program_year or (
            db.session.get(ProgramYear, item.program_year_id) if item.program_year_id else None
        )
        if year is None:
            raise RuleViolation("program_year", N_("Choose the program year."))
        check_break_week(item.week_start, year.first_day, year.last_day)
        duplicate = db.session.execute(
            select(ProgramYearBreak.id).where(
                ProgramYearBreak.program_year_id == year.id,
                ProgramYearBreak.week_start == item.week_start,
                ProgramYearBreak.id != (item.id or -1),
            )
        ).first()
        if duplicate is not None:
            raise RuleViolation(
                "week_start",
                N_("The week of %(week)s is already a week without school in %(year)s."),
                week=item.week_start.isoformat(),
                year=year.name,
            )
        item.label = clean_break_label(item.label)


class ProgramYearView(AdminModelView):
    """Program years: first and last day of school, weeks without school, year end."""

    route_base = "/programyearview"
    datamodel = AdminInterface(ProgramYear)
    class_permission_name = "ProgramYears"
    exclude_route_methods = {"download", "action", "action_post"}
    related_views = [ProgramYearBreakView]
    show_template = "admin/program_year_show.html"
    list_title = "Program years"
    show_title = "Program year"
    add_title = "Add program year"
    edit_title = "Edit program year"
    add_row_message = "Program year added."
    edit_row_message = "Program year updated."
    delete_row_message = "Program year deleted."

    list_columns = ["name", "first_day", "last_day"]
    order_columns = ["name", "first_day", "last_day"]
    base_order = ("first_day", "desc")
    search_columns = ["name", "first_day", "last_day"]
    label_columns = {"first_day": "First day of school", "last_day": "Last day of school"}
    add_columns = ["name", "first_day", "last_day"]
    edit_columns = add_columns
    show_columns = add_columns
    add_form_extra_fields = edit_form_extra_fields = {
        "name": StringField("Name", description="For example 2026-2027."),
        "first_day": date_field("First day of school", "the first day of school"),
        "last_day": date_field("Last day of school", "the last day of school"),
    }

    def check_item(self, item: ProgramYear, is_created: bool) -> None:
        item.name = clean_year_name(item.name)
        others = db.session.execute(
            select(ProgramYear.name, ProgramYear.first_day, ProgramYear.last_day).where(
                ProgramYear.id != (item.id or -1)
            )
        ).all()
        if any(name == item.name for name, _, _ in others):
            raise RuleViolation(
                "name", N_("A program year named %(name)s already exists."), name=item.name
            )
        check_year_days(item.first_day, item.last_day, others)
        if item.id is None:
            return
        outside = db.session.execute(
            select(ProgramYearBreak.week_start)
            .where(
                ProgramYearBreak.program_year_id == item.id,
                (ProgramYearBreak.week_start > item.last_day)
                | (ProgramYearBreak.week_start < item.first_day - dt.timedelta(days=6)),
            )
            .limit(1)
        ).scalar()
        if outside is not None:
            raise RuleViolation(
                "first_day",
                N_(
                    "The week without school of %(week)s would fall outside the year. "
                    "Move or delete it first."
                ),
                week=outside.isoformat(),
            )

    @expose("/yearend/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("year_end")
    def year_end(self, pk: int):
        """Preview the open matches of the year, then close them in batches on each POST.

        A POST closes at most YEAR_END_BATCH_SIZE matches, those with an id above the
        ``after`` URL value, and returns to the page with a Continue button while more
        may remain. So no request runs into the server timeout, and a run cut off
        halfway is finished by pressing the button again.
        """
        year = db.session.get(ProgramYear, pk)
        if year is None:
            abort(404, description=f"Program year {pk} not found.")
        today = program_date()
        # ``after`` is a match id, so it may have as many digits as any primary key.
        after = parse_whole_number(
            request.args.get("after", "0"), max_digits=len(str(MAX_RECORD_ID))
        )
        if after is None or after > MAX_RECORD_ID:
            abort(
                400,
                description=f"Invalid after value: use a match id from 0 to {MAX_RECORD_ID}.",
            )
        if request.method == "POST":
            if year.last_day > today:
                flash(f"The year ends on {year.last_day}. Close it on or after that day.", "danger")
                return redirect(url_for(".year_end", pk=pk))
            outcome = close_year(
                year,
                today=today,
                user_id=current_user_id(),
                after_id=after,
                batch_size=YEAR_END_BATCH_SIZE,
            )
            flash(closed_message(len(outcome.closed), outcome.proposed_closed), "success")
            for skipped in outcome.skipped:
                flash(f"Match {skipped.match_id} was not closed: {skipped.message}", "warning")
            logger.info(
                "year %s end batch after match %s: %s closed, %s skipped",
                pk,
                after,
                len(outcome.closed),
                len(outcome.skipped),
            )
            if outcome.more:
                return redirect(url_for(".year_end", pk=pk, after=outcome.last_match_id))
            return redirect(url_for(".year_end", pk=pk))
        page = parse_whole_number(request.args.get("page", "0"))
        if page is None:
            abort(400, description="Invalid page number: use a whole number such as 2.")
        if year.last_day > today:
            return self.render_template(
                "admin/year_end.html", title=f"Year end: {year.name}", year=year, can_close=False
            )
        preview = year_end_preview(year, page, YEAR_END_PAGE_SIZE)
        return self.render_template(
            "admin/year_end.html",
            title=f"Year end: {year.name}",
            year=year,
            preview=preview,
            count_line=preview_count_line(preview.count, preview.proposed_count),
            button_label=batch_button_label(preview.count, continuing=after > 0),
            blocked_line=ngettext(
                "%(num)d open match cannot close",
                "%(num)d open matches cannot close",
                preview.blocked_count,
            ),
            page=page,
            page_size=YEAR_END_PAGE_SIZE,
            after=after,
            batch_size=YEAR_END_BATCH_SIZE,
            can_close=True,
        )
