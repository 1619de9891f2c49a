"""The nomination form, its confirmation, and the pages shown when a POST is refused.

Every check lives in the nomination service, and this module shows the result. The
confirmation is reached by POST/redirect/GET, with the reference code carried in
the session so that no URL holds anything about the submission.
"""

from __future__ import annotations

import logging

from babel import Locale
from flask import redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests

from app.models.types import utcnow
from app.public import bp
from app.public.forms import NominationForm
from app.rules.choices import NominatorKind, TimeBand, Weekday
from app.services.nominations import (
    NominationInvalid,
    NominationNotSaved,
    new_reference,
    submit_nomination,
)

logger = logging.getLogger(__name__)

REFERENCE_SESSION_KEY = "nomination_reference"


@bp.context_processor
def page_language() -> dict[str, str]:
    """Give templates the page's language tag and text direction (Arabic is right to left)."""
    locale = get_locale() or Locale("en")
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return {"page_lang": str(locale).replace("_", "-"), "page_dir": direction}


@bp.route("/", methods=["GET", "POST"])
def nominate():
    # Read only form fields: Flask-WTF would otherwise take a JSON body as form data.
    form = NominationForm(formdata=request.form if request.method == "POST" else None)
    if not form.is_submitted():
        return _render_form(form)

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
    return render_template("public/confirmation.html", reference=reference)


@bp.errorhandler(CSRFError)
def session_expired(error: CSRFError):
    """Show the form again with what was typed and a fresh token, instead of a bare 400."""
    logger.warning("nomination rejected: CSRF check failed (%s)", error.description)
    problem = _(
        "Your session expired, so the nomination was not sent. Check your answers and "
        "submit the form again."
    )
    form = NominationForm(formdata=request.form or None)
    return _render_form(form, problem=problem), 400


@bp.errorhandler(TooManyRequests)
def too_many_requests(error: TooManyRequests):
    logger.warning("nomination rejected: rate limit %s reached", error.description)
    return render_template("public/rate_limited.html"), 429


def _confirm(reference: str):
    session[REFERENCE_SESSION_KEY] = reference
    return redirect(url_for("public.confirmation"))


def _render_form(form: NominationForm, problem: str | None = None) -> str:
    form.load_schools()
    return render_template(
        "public/nominate.html",
        form=form,
        problem=problem,
        kinds=NominatorKind,
        weekdays=list(Weekday),
        time_bands=list(TimeBand),
    )
