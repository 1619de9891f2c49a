"""Shared state of the demo builders: the seeded random source, the clock, names and schools.

E-mail addresses use the reserved example domains and phone numbers the 555-01xx
range set aside for fiction, so no demo row can reach a real person.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select

from app.demo.content import Community
from app.extensions import db
from app.models import School
from app.rules.choices import AVAILABILITY_CODES, Need
from app.rules.timezone import PROGRAM_TZ, school_year_start
from app.services.nominations import REFERENCE_ALPHABET, REFERENCE_LENGTH, REFERENCE_PREFIX

EMAIL_DOMAINS = ("example.org", "example.com", "example.net")

HIGH_SCHOOL_MARKERS = (
    "High", "Latin", "9-12", "Another Course", "O'Bryant", "Snowden", "Leadership Academy",
    "Arts Academy", "Urban Science", "West Roxbury Academy", "TechBoston", "Community Academy",
    "Muniz Academy",
)  # fmt: skip
MIDDLE_SCHOOL_MARKERS = ("Middle", "K-8", "Upper")
NEED_CODES = tuple(code for code in Need.codes() if code != Need.other.name)
WEEKDAY_CODES = tuple(code for code in AVAILABILITY_CODES if not code.startswith(("sat", "sun")))


@dataclass
class DemoContext:
    """Shared state of the demo builders: the seeded random source, the clock and the staff.

    ``now`` is an aware UTC time and ``today`` the date in Boston at that moment.
    """

    rng: random.Random
    now: dt.datetime
    today: dt.date
    coordinator_id: int
    clearance_years: int
    schools_by_level: dict[str, list[int]]
    used_emails: set[str] = field(default_factory=set)
    used_references: set[str] = field(default_factory=set)
    used_identities: set[tuple[str, dt.date]] = field(default_factory=set)

    @property
    def first_day(self) -> dt.date:
        return school_year_start(self.today)

    def moment(self, day: dt.date, hours: tuple[int, int] = (9, 17)) -> dt.datetime:
        """Return a UTC time on ``day`` in Boston between ``hours``, never later than now."""
        local = dt.time(self.rng.randint(*hours), self.rng.choice((0, 10, 20, 30, 40, 50)))
        moment = dt.datetime.combine(day, local, tzinfo=PROGRAM_TZ).astimezone(dt.UTC)
        return min(moment, self.now - dt.timedelta(minutes=self.rng.randint(5, 90)))

    def email(self, first_name: str, last_name: str) -> str:
        local = f"{_ascii_slug(first_name)}.{_ascii_slug(last_name)}"
        domain = self.rng.choice(EMAIL_DOMAINS)
        address = f"{local}@{domain}"
        number = 2
        while address in self.used_emails:
            address = f"{local}{number}@{domain}"
            number += 1
        self.used_emails.add(address)
        return address

    def person(self, community: Community) -> tuple[str, str]:
        """Return a given name and a surname from ``community``."""
        return self.rng.choice(community.given_names), self.rng.choice(community.surnames)

    def availability(self) -> list[str]:
        """Return two to four weekly slots, mostly on school days."""
        codes = set(self.rng.sample(WEEKDAY_CODES, self.rng.randint(2, 3)))
        if self.rng.random() < 0.3:
            codes.add(self.rng.choice(AVAILABILITY_CODES))
        return sorted(codes)

    def phone(self) -> str:
        return f"(617) 555-01{self.rng.randint(0, 99):02d}"

    def reference(self) -> str:
        """Return an unused reference in the format of ``new_reference``, drawn from ``rng``."""
        while True:
            code = REFERENCE_PREFIX + "".join(
                self.rng.choices(REFERENCE_ALPHABET, k=REFERENCE_LENGTH)
            )
            if code not in self.used_references:
                self.used_references.add(code)
                return code


def _ascii_slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def school_levels() -> dict[str, list[int]]:
    """Return the ids of open schools by level, guessed from the school names.

    NOTE: the DESE list has no grade span, so the level comes from words such as
    "High" or "K-8" in the name; K-8 schools count as elementary and middle.
    """
    rows = db.session.execute(
        select(School.id, School.name).where(School.retired.is_(False)).order_by(School.id)
    ).all()
    if not rows:
        raise RuntimeError("No open schools: run `flask ils setup` first.")
    levels: dict[str, list[int]] = {"elementary": [], "middle": [], "high": []}
    for school_id, name in rows:
        if any(marker in name for marker in HIGH_SCHOOL_MARKERS):
            levels["high"].append(school_id)
            continue
        if any(marker in name for marker in MIDDLE_SCHOOL_MARKERS):
            levels["middle"].append(school_id)
        if "Middle" not in name and "Upper" not in name:
            levels["elementary"].append(school_id)
    all_ids = [school_id for school_id, _name in rows]
    return {level: ids or all_ids for level, ids in levels.items()}
