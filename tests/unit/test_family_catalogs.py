"""Every message a family can see has a finished translation in every catalog.

"What a family sees" is every message in ``FAMILY_SOURCES``: the public pages and
their form, the rules that reject a nomination, the choice labels on the form, and
the family e-mails. ``test_public_pages_use_family_messages`` renders the public
pages and fails when one of them shows a message from anywhere else, so a new
source cannot slip past this list.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask_babel import get_translations

from app.languages import SESSION_KEY
from app.rules.choices import LANGUAGES

ROOT = Path(__file__).parents[2]
TRANSLATIONS = ROOT / "translations"

FAMILY_SOURCES = (
    "app/public/*.py",
    "app/public/templates/public/*.html",
    "app/rules/choices.py",
    "app/rules/email.py",
    "app/rules/nomination.py",
    "app/services/nomination_cleaning.py",
    "app/services/nominations.py",
    "app/templates/mail/nomination_received.*",
    "app/templates/mail/match_activated_family.*",
    "app/templates/mail/match_closed_family.*",
)

# Babel's default keywords plus the ones `make translations` adds with -k.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "_l": None,
    "lazy_gettext": None,
}

TRANSLATED_LANGUAGES = [code for code in LANGUAGES if code != "en"]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _extract(path: Path) -> list[str]:
    method = "python" if path.suffix == ".py" else "jinja2"
    messages = []
    for _line, message, _comments, _context in extract_from_file(method, str(path), KEYWORDS):
        messages.extend([message] if isinstance(message, str) else message)
    return messages


@cache
def family_msgids() -> frozenset[str]:
    msgids = set()
    for pattern in FAMILY_SOURCES:
        paths = sorted(ROOT.glob(pattern))
        assert paths, f"{pattern} matches no file"
        for path in paths:
            msgids.update(_extract(path))
    return frozenset(msgids)


@cache
def catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def test_family_sources_found():
    msgids = family_msgids()

    assert "Send the nomination" in msgids
    assert "Choose the student's school from the list." in msgids
    assert "Homework help" in msgids
    assert "ILS mentoring: the sessions are ending" in msgids
    assert len(msgids) > 150


def test_family_messages_in_template():
    with (TRANSLATIONS / "messages.pot").open("rb") as file:
        template = read_po(file)

    missing = sorted(msgid for msgid in family_msgids() if msgid not in template)

    assert not missing, f"run `make translations`: not in messages.pot: {missing}"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_family_messages_translated(language):
    messages = catalog(language)
    missing, empty, fuzzy = [], [], []

    for msgid in sorted(family_msgids()):
        message = messages.get(msgid)
        if message is None:
            missing.append(msgid)
        elif not message.string:
            empty.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)

    assert not missing, f"{language}: missing from the catalog: {missing}"
    assert not empty, f"{language}: not translated: {empty}"
    assert not fuzzy, f"{language}: marked fuzzy: {fuzzy}"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_keep_placeholders(language):
    """A translation uses the same placeholders as its English message, by name.

    A plural form may leave out the count (``%(num)d``), as "one match" does, but
    keeps every other placeholder.
    """
    changed = []
    for message in catalog(language):
        if not message.id:
            continue
        if message.pluralizable:
            expected = set(placeholders(message.id[1]))
            for string in message.string:
                found = set(placeholders(string))
                if string and (found - expected or expected - found - {"%(num)d"}):
                    changed.append((message.id[0], string))
        elif message.string and placeholders(message.string) != placeholders(message.id):
            changed.append((message.id, message.string))

    assert not changed, f"{language}: placeholders dropped or renamed: {changed}"


def test_placeholder_check_catches_rename():
    assert placeholders("Enter %(start)s or a later date.") == ["%(start)s"]
    assert placeholders("Entre %(inicio)s.") != placeholders("Enter %(start)s.")
    assert placeholders("Entre.") != placeholders("Enter %(start)s.")


class RecordingCatalog(dict):
    """A catalog dictionary that records every message looked up in it."""

    def __init__(self, entries: dict, looked_up: set) -> None:
        super().__init__(entries)
        self.looked_up = looked_up

    def get(self, key, default=None):
        self.looked_up.add(key[0] if isinstance(key, tuple) else key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.looked_up.add(key[0] if isinstance(key, tuple) else key)
        return super().__getitem__(key)


def _invalid_nomination() -> dict[str, str]:
    """A parent's nomination with an invalid value in nearly every field."""
    return {
        "nominator_kind": "parent_guardian",
        "nominator_first_name": "",
        "nominator_email": "not an address",
        "nominator_phone": "12",
        "student_first_name": "A" * 300,
        "student_date_of_birth_day": "40",
        "student_date_of_birth_month": "2",
        "student_date_of_birth_year": "2015",
        "student_grade": "14",
        "student_school": "99999999",
        "language": "xx",
        "needs": "flying",
        "needs_description": "x" * 2100,
        "availability": "never",
    }


def _valid_nomination() -> dict[str, str]:
    from tests.integration.test_public_nomination import parent_form

    return parent_form()


def test_public_pages_use_family_messages(app):
    """Render the public pages in Spanish and check each message shown is a family one."""
    client = app.test_client()
    client.get("/nominate/?lang=es")
    with app.test_request_context("/nominate/"):
        from flask import session

        session[SESSION_KEY] = "es"
        translations = get_translations()
    assert translations.gettext("Send the nomination") != "Send the nomination", (
        "the Spanish catalog is not compiled"
    )
    original = translations._catalog
    looked_up: set[str] = set()
    translations._catalog = RecordingCatalog(original, looked_up)
    try:
        pages = [
            client.get("/"),
            client.get("/nominate/"),
            client.post("/nominate/", data={}),
            client.post("/nominate/", data=_invalid_nomination()),
            client.post("/nominate/", data={"nominator_kind": "self"}),
            client.post("/nominate/", data={"nominator_kind": "school_staff"}),
            client.post("/nominate/", data={"switch_language": "es"}),
            client.get("/nominate/no-such-page"),
            client.put("/nominate/"),
            client.post("/nominate/", data=_valid_nomination(), follow_redirects=True),
        ]
    finally:
        translations._catalog = original

    statuses = [page.status_code for page in pages]
    assert statuses == [200, 200, 200, 200, 200, 200, 200, 404, 405, 200]
    assert "Received on %(date)s" in looked_up
    assert "Send the nomination" in looked_up
    outside = sorted(msgid for msgid in looked_up if msgid and msgid not in family_msgids())
    assert not outside, f"public pages show messages from outside FAMILY_SOURCES: {outside}"


def test_public_form_has_no_wtforms_validators(app):
    """The form's fields carry no WTForms validators, whose messages come from WTForms' own
    catalogs (none for ht, kea or so). Every check is a rule with a message in ours."""
    from app.public.forms import NominationForm

    with app.test_request_context("/nominate/"):
        form = NominationForm(formdata=None)
        with_validators = [
            field.name for field in form if field.validators and field.name != "csrf_token"
        ]

    assert not with_validators, f"fields with WTForms validators: {with_validators}"


def test_staff_language_labels():
    from app.rules.choices import staff_language_label

    assert staff_language_label("es") == "Spanish (Español)"
    assert staff_language_label("zh_Hans") == "Simplified Chinese (简体中文)"
    assert staff_language_label("en") == "English"
    assert staff_language_label("xx") == "xx"
