"""Render a message's subject and bodies in the recipient's language.

Templates live in ``app/templates/mail/``: ``<name>.subject`` for the subject line,
``<name>.txt`` for the plain text body and ``<name>.html`` for the HTML body
(autoescaped). Templates format values with ``local_date``, ``local_time`` and
``local_weekday``, which render_message binds to the recipient's language. They
use the locale's own data, or numbers (2026-09-14, 16:00) where Babel has none
for the language: for Haitian Creole, Babel would otherwise fall back to French
month names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_time, get_day_names
from flask import render_template
from flask_babel import force_locale, gettext

from app.languages import has_own_calendar_data, local_date
from app.rules.choices import Weekday


@dataclass(frozen=True)
class RenderedMessage:
    """Subject, plain text body and HTML body of one message, in one language."""

    subject: str
    text_body: str
    html_body: str


def local_time(value: dt.time, language: str) -> str:
    """Format a time of day for ``language`` ("4:00 PM", "16:00"), or as 24-hour HH:MM."""
    if not has_own_calendar_data(language):
        return value.strftime("%H:%M")
    return format_time(value, format="short", locale=Locale.parse(language))


def local_weekday(weekday: Weekday, language: str) -> str:
    """Name the weekday in ``language``; the app's catalog names it where Babel cannot."""
    if not has_own_calendar_data(language):
        return gettext(weekday.value)
    index = list(Weekday).index(weekday)
    return get_day_names("wide", locale=Locale.parse(language))[index]


def render_message(template: str, language: str, **context: object) -> RenderedMessage:
    """Render ``mail/<template>`` in ``language``.

    Needs an app context. Each run of whitespace in the subject, line breaks
    included, becomes one space. The header checks run on it when it is queued and sent.
    """
    locale = Locale.parse(language)
    helpers = {
        "html_lang": str(locale).replace("_", "-"),
        "html_dir": "rtl" if locale.character_order == "right-to-left" else "ltr",
        "local_date": lambda day: local_date(day, language),
        "local_time": lambda value: local_time(value, language),
        "local_weekday": lambda weekday: local_weekday(weekday, language),
    }
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject", **helpers, **context)
        text_body = render_template(f"mail/{template}.txt", **helpers, **context)
        html_body = render_template(f"mail/{template}.html", **helpers, **context)
    return RenderedMessage(
        subject=" ".join(subject.split()), text_body=text_body.strip() + "\n", html_body=html_body
    )
