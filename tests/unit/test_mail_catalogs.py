"""Every family e-mail string has a finished translation in every catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.rules.choices import LANGUAGES

ROOT = Path(__file__).parents[2]
FAMILY_TEMPLATES = [
    path
    for path in sorted((ROOT / "app/templates/mail").iterdir())
    if path.stem in ("nomination_received", "match_activated_family", "match_closed_family")
]
_MSGID = re.compile(r'_\("((?:[^"\\]|\\.)+)"')


def family_msgids() -> set[str]:
    msgids = set()
    for path in FAMILY_TEMPLATES:
        msgids.update(_MSGID.findall(path.read_text(encoding="utf-8")))
    return msgids


def test_family_templates_found():
    assert len(FAMILY_TEMPLATES) == 9
    assert "ILS mentoring: the sessions are ending" in family_msgids()


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_family_strings_translated(language):
    folder = ROOT / "translations" / language.replace("-", "_") / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as file:
        catalog = read_po(file)

    for msgid in sorted(family_msgids()):
        message = catalog.get(msgid)
        assert message is not None, f"{language}: {msgid!r} missing"
        assert message.string, f"{language}: {msgid!r} untranslated"
        assert not message.fuzzy, f"{language}: {msgid!r} marked fuzzy"
