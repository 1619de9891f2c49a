"""The language of each page and the locale formats of dates.

The public pages (the landing page, the nomination form, its confirmation and their
error pages) speak the family languages. The visitor's language comes from, in order:

1. ``?lang=<code>`` on any public page, which also keeps the choice in the session
   for the rest of the visit. An unknown code is ignored, so an old or mistyped link
   still opens the page.
2. The choice kept in the session.
3. The browser's ``Accept-Language`` header (``es-ES`` means Spanish, ``zh-TW``
   Traditional Chinese, ``zh-CN`` or plain ``zh`` Simplified Chinese).
4. English.

Staff screens are always in English, so everything outside the public paths gets
``en``. Flask-AppBuilder's own ``?_l_=`` and ``/lang/<code>`` choice is not used.
E-mails pick their language with ``force_locale`` and never reach the selector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, get_date_format
from flask import Flask, g, has_request_context, request, session

from app.rules.choices import LANGUAGES

DEFAULT_LANGUAGE = "en"
SESSION_KEY = "public_language"
LANGUAGE_PARAMETER = "lang"

TRADITIONAL_CHINESE_TERRITORIES = frozenset({"TW", "HK", "MO"})
"""Territories whose Chinese is written in Traditional characters when a browser sends
``zh-TW`` style tags without a script."""

MAX_BROWSER_LANGUAGES = 20
"""Accept-Language entries read. Browsers send a handful."""

NUMERIC_DATE_LANGUAGES = frozenset({"ht"})
"""Languages for which Babel 2.18 has no month or day names of their own: for Haitian
Creole it falls back to French ones. Dates there are written as numbers."""


@dataclass(frozen=True)
class MenuLanguage:
    """One entry of the language menu."""

    code: str
    name: str
    tag: str
    current: bool


def is_public_path(path: str) -> bool:
    """Return whether ``path`` belongs to the public side (landing page and nomination)."""
    return path == "/" or path == "/nominate" or path.startswith("/nominate/")


def language_from_tag(tag: str) -> str | None:
    """Map a language tag (``es``, ``es-ES``, ``vi-US``, ``zh-TW``) to a program language.

    Only the language subtag counts, with the script or region for Chinese, so a
    region the locale data does not pair with the language (``vi-US``) still
    matches. Returns None for a tag that names no language of the program.
    """
    tag = tag.strip()
    if tag in LANGUAGES:
        return tag
    subtags = tag.replace("_", "-").split("-")
    language = subtags[0].lower()
    if language != "zh":
        return language if language in LANGUAGES else None
    scripts = [subtag.title() for subtag in subtags[1:] if len(subtag) == 4]
    regions = {subtag.upper() for subtag in subtags[1:] if len(subtag) == 2}
    if scripts:
        code = f"zh_{scripts[0]}"
    elif regions & TRADITIONAL_CHINESE_TERRITORIES:
        code = "zh_Hant"
    else:
        code = "zh_Hans"
    return code if code in LANGUAGES else None


def browser_language() -> str:
    """Return the first program language in the request's Accept-Language, else English.

    Only the ``MAX_BROWSER_LANGUAGES`` entries of highest quality are mapped, so a
    padded header costs little more than Werkzeug's parsing of it (about 5 ms for
    2,000 entries), which the server's header size limit bounds.
    """
    for tag, _quality in request.accept_languages[:MAX_BROWSER_LANGUAGES]:
        language = language_from_tag(tag)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


def visit_language() -> str:
    """Return the public pages' language for this request (see the module docstring).

    ``?lang=`` is read here too, not only by ``remember_chosen_language``, because a
    request refused before that hook runs (a failed CSRF check) still shows a page.
    """
    requested = language_from_tag(request.args.get(LANGUAGE_PARAMETER, ""))
    if requested is not None:
        return requested
    chosen = session.get(SESSION_KEY)
    if isinstance(chosen, str) and chosen in LANGUAGES:
        return chosen
    if "browser_language" not in g:
        g.browser_language = browser_language()
    return g.browser_language


def select_locale() -> str:
    """Pick the locale for Flask-Babel: the visit's language on public paths, else English.

    Without a request (a flask command) it is English too, as with Flask-AppBuilder's
    selector. E-mails set their own language with ``force_locale``, which bypasses it.
    """
    if has_request_context() and is_public_path(request.path):
        return visit_language()
    return DEFAULT_LANGUAGE


def remember_chosen_language() -> None:
    """Keep a ``?lang=`` choice made on a public page for the rest of the visit."""
    if not is_public_path(request.path):
        return
    requested = request.args.get(LANGUAGE_PARAMETER)
    if requested is None:
        return
    language = language_from_tag(requested)
    if language is not None and session.get(SESSION_KEY) != language:
        session[SESSION_KEY] = language


def register_language_selection(app: Flask) -> None:
    """Replace Flask-AppBuilder's locale selector and remember ``?lang=`` choices.

    Needs Flask-AppBuilder set up first, because its Babel set-up installs its own selector.
    """
    app.extensions["babel"].locale_selector = select_locale
    app.before_request(remember_chosen_language)
    app.after_request(vary_on_browser_language)


def vary_on_browser_language(response):
    """Tell caches that a public page depends on the browser's Accept-Language."""
    if is_public_path(request.path):
        response.vary.add("Accept-Language")
    return response


def language_tag(language: str) -> str:
    """Return the BCP 47 tag for HTML ``lang`` attributes (``zh_Hant`` becomes ``zh-Hant``)."""
    return language.replace("_", "-")


def text_direction(language: str) -> str:
    """Return ``rtl`` for languages written right to left (Arabic), else ``ltr``."""
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"


def language_menu(current: str) -> list[MenuLanguage]:
    """List every program language under its own name, marking the current one."""
    return [
        MenuLanguage(code=code, name=name, tag=language_tag(code), current=code == current)
        for code, name in LANGUAGES.items()
    ]


def has_own_calendar_data(language: str) -> bool:
    """Return whether Babel names months and days in the language itself."""
    return Locale.parse(language).language not in NUMERIC_DATE_LANGUAGES


def local_date(day: dt.date, language: str) -> str:
    """Format a date in full for ``language`` ("14 de septiembre de 2026"), or as ISO 8601."""
    if not has_own_calendar_data(language):
        return day.isoformat()
    return format_date(day, format="long", locale=Locale.parse(language))


DATE_PARTS = ("year", "month", "day")


def date_part_order(language: str) -> tuple[str, ...]:
    """Order the day, month and year boxes of a date as the locale writes a short date.

    English gives month, day, year, Spanish day, month, year, Chinese year, month, day.
    Babel has a short date pattern for every program language, Haitian Creole
    included (day, month, year), even where it lacks month names.
    """
    pattern = get_date_format("short", locale=Locale.parse(language)).pattern
    letters = {"year": "yY", "month": "ML", "day": "d"}

    def position(part: str) -> int:
        found = [pattern.find(letter) for letter in letters[part] if letter in pattern]
        return min(found) if found else len(pattern)

    return tuple(sorted(DATE_PARTS, key=position))


EXAMPLE_DATE_PARTS = {"year": "2012", "month": "3", "day": "15"}


def date_parts_example(order: tuple[str, ...]) -> str:
    """Write the example date 15 March 2012 as numbers in the boxes' order ("15 3 2012")."""
    return " ".join(EXAMPLE_DATE_PARTS[part] for part in order)
