"""The nomination form, its confirmation, and the pages shown when a POST is refused.

Every check lives in the nomination service, and this module shows the result. The
confirmation is reached by POST/redirect/GET, with the reference code carried in
the session so that no URL holds anything about the submission.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound, TooManyRequests

from app.languages import (
    SESSION_KEY,
    date_part_order,
    date_parts_example,
    is_public_path,
    language_from_tag,
    language_menu,
    language_tag,
    local_date,
    text_direction,
    visit_language,
)
from app.models.types import utcnow
from app.public import bp
from app.public.forms import NominationForm
from app.rules.choices import NominatorKind, TimeBand, Weekday
from app.rules.timezone import program_today
from app.services.nominations import (
    NominationInvalid,
    NominationNotSaved,
    new_reference,
    submit_nomination,
)

logger = logging.getLogger(__name__)

REFERENCE_SESSION_KEY = "nomination_reference"
RECEIVED_SESSION_KEY = "nomination_received_on"
SWITCH_LANGUAGE_FIELD = "switch_language"
PAGE_LANGUAGE_FIELD = "page_language"
"""The language the form was shown in, posted back so a switch can tell whether the
nominator changed the family's language."""


def render_public_page(template: str, **context: object) -> str:
    """Render a public page with its language, text direction and language menu."""
    language = visit_language()
    return render_template(
        template,
        page_lang=language_tag(language),
        page_dir=text_direction(language),
        page_language=language,
        page_languages=language_menu(language),
        form_url=url_for("public.nominate", lang=language),
        login_url=current_app.appbuilder.get_url_for_login,
        # A logged-in user without a staff role lands on the public pages, and the login
        # link would only bring them back, so they get a way to log out instead.
        logout_url=current_app.appbuilder.get_url_for_logout if _logged_in() else None,
        **context,
    )


def _logged_in() -> bool:
    user = getattr(g, "user", None)
    return user is not None and user.is_authenticated


def page_not_found(error: NotFound):
    """Show a public 404 page in the visit's language under the public paths.

    Other paths keep Werkzeug's plain 404, as the staff screens always had.
    """
    if not is_public_path(request.path):
        return error
    return render_public_page("public/not_found.html"), 404


def public_error(error: HTTPException):
    """Explain any other refused request or server error on a public path in the visit's language.

    The 404, the rate limit and an expired form have pages of their own. Staff paths
    keep Werkzeug's plain pages.
    """
    if not is_public_path(request.path) or error.code is None:
        return error
    if error.code >= 500:
        logger.error("public page failed with %s on endpoint %s", error.code, request.endpoint)
    page = render_public_page("public/error.html", server_error=error.code >= 500)
    # Keep the exception's own headers, such as Allow on a 405, but not its content type.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    return page, error.code, headers


@bp.after_request
def keep_out_of_caches(response):
    """Keep the form and the confirmation out of every cache, the browser's included.

    They can show a student's details, and a school or library computer is shared.
    Without the browser's copy, Back after a sent nomination cannot show it again.
    """
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/", methods=["GET", "POST"])
def nominate():
    if request.method != "POST":
        # The family's language starts as the page's language, and the nominator can change it.
        return _render_form(NominationForm(formdata=None, language=visit_language()))
    # Read only form fields: Flask-WTF would otherwise take a JSON body as form data.
    form = NominationForm(formdata=request.form)

    if SWITCH_LANGUAGE_FIELD in request.form:
        return _switch_language(form)

    if form.website.data:
        # Only a bot fills the hidden field. It gets the usual confirmation, so it cannot tell
        # that nothing was stored.
        logger.warning("nomination honeypot filled, nothing stored")
        return _confirm(new_reference())

    try:
        nomination = submit_nomination(form.submission(), now=utcnow())
    except NominationInvalid as invalid:
        logger.warning("nomination rejected, invalid fields: %s", ", ".join(invalid.errors))
        form.show_violations(invalid.errors)
        return _render_form(form)
    except NominationNotSaved:
        problem = _("Your nomination was not saved. Please try again.")
        return _render_form(form, problem=problem), 503
    return _confirm(nomination.reference)


@bp.route("/thanks")
def confirmation():
    reference = session.get(REFERENCE_SESSION_KEY)
    if reference is None:
        return redirect(url_for("public.nominate"))
    try:
        received_on = dt.date.fromisoformat(session.get(RECEIVED_SESSION_KEY, ""))
    except (TypeError, ValueError):
        received_on = program_today(utcnow())
    return render_public_page(
        "public/confirmation.html",
        reference=reference,
        received_on=local_date(received_on, visit_language()),
    )


@bp.errorhandler(CSRFError)
def session_expired(error: CSRFError):
    """Show the form again with what was typed and a fresh token, instead of a bare 400."""
    form = NominationForm(formdata=request.form or None)
    if SWITCH_LANGUAGE_FIELD in request.form:
        # A language switch stores nothing, so it needs no valid token. The page it
        # shows carries a fresh one.
        return _switch_language(form)
    logger.warning("nomination rejected: CSRF check failed (%s)", error.description)
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        problem = _(
            "The nomination was not sent, because your browser did not keep this site's "
            "cookie. Allow cookies for this site, then submit the form again."
        )
    else:
        problem = _(
            "Your session expired, so the nomination was not sent. Check your answers and "
            "submit the form again."
        )
    return _render_form(form, problem=problem), 400


@bp.errorhandler(TooManyRequests)
def too_many_requests(error: TooManyRequests):
    logger.warning("nomination rejected: rate limit %s reached", error.description)
    return render_public_page("public/rate_limited.html"), 429


def _switch_language(form: NominationForm) -> str:
    """Show the posted form again in the language chosen from the menu.

    The language menu posts the form (nominate.js), so what was typed survives the
    switch. Nothing is checked or stored until the form is sent. The family's
    language follows the page unless the nominator had chosen another one.
    """
    language = language_from_tag(request.form.get(SWITCH_LANGUAGE_FIELD, ""))
    if language is not None:
        if form.language.data == request.form.get(PAGE_LANGUAGE_FIELD):
            form.language.data = language
        session[SESSION_KEY] = language
        refresh()
    return _render_form(form)


def _confirm(reference: str):
    session[REFERENCE_SESSION_KEY] = reference
    session[RECEIVED_SESSION_KEY] = program_today(utcnow()).isoformat()
    return redirect(url_for("public.confirmation"))


def _render_form(form: NominationForm, problem: str | None = None) -> str:
    form.load_schools()
    order = date_part_order(visit_language())
    return render_public_page(
        "public/nominate.html",
        form=form,
        date_order=order,
        date_example=date_parts_example(order),
        problem=problem,
        kinds=NominatorKind,
        weekdays=list(Weekday),
        time_bands=list(TimeBand),
    )
