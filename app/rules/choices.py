"""The program's fixed vocabularies: statuses, kinds, needs, time bands and languages.

Each enum member's name is the code stored in the database and used by the public
form and the REST API (``parent_guardian``). Its value is the English label shown
on screens. SQLAlchemy's ``Enum`` type stores member names, and Flask-AppBuilder's
select fields show values, so both get what they need from one class.
"""

from __future__ import annotations

import enum

from app.rules.errors import N_


class LabeledEnum(enum.Enum):
    """An enum whose name is the stored code and whose value is the English label."""

    def __str__(self) -> str:
        return self.value

    @property
    def code(self) -> str:
        return self.name

    @classmethod
    def codes(cls) -> list[str]:
        return list(cls.__members__)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """Return ``(code, label)`` pairs in declaration order, for select fields."""
        return [(member.name, member.value) for member in cls]


class NominatorKind(LabeledEnum):
    parent_guardian = N_("Parent or guardian")
    school_staff = N_("BPS school staff member")
    self = N_("Student (18 or older)")


class NominationStatus(LabeledEnum):
    new = "New"
    in_review = "In review"
    accepted = "Accepted"
    matched = "Matched"
    waitlisted = "Waitlisted"
    declined = "Declined"
    withdrawn = "Withdrawn"


class MentorStatus(LabeledEnum):
    applicant = "Applicant"
    screening = "Screening"
    ready = "Ready"
    matched = "Matched"
    inactive = "Inactive"


class CheckStatus(LabeledEnum):
    """Status of a CORI or SORI background check. The report itself is never stored."""

    not_started = "Not started"
    submitted = "Submitted"
    cleared = "Cleared"
    not_cleared = "Not cleared"


class MatchStatus(LabeledEnum):
    proposed = "Proposed"
    active = "Active"
    closed = "Closed"


class CloseReason(LabeledEnum):
    school_year_ended = "School year ended"
    goals_met = "Goals met"
    student_withdrew = "Student or family withdrew"
    mentor_withdrew = "Mentor withdrew"
    scheduling = "Scheduling"
    program_decision = "Program decision"
    other = "Other"


class SessionOutcome(LabeledEnum):
    held = "Held"
    student_no_show = "Student no-show"
    cancelled_by_student = "Cancelled by student"
    cancelled_by_mentor = "Cancelled by mentor"


class Weekday(LabeledEnum):
    mon = N_("Monday")
    tue = N_("Tuesday")
    wed = N_("Wednesday")
    thu = N_("Thursday")
    fri = N_("Friday")
    sat = N_("Saturday")
    sun = N_("Sunday")


class Need(LabeledEnum):
    reading = N_("Reading")
    writing = N_("Writing")
    math = N_("Math")
    science = N_("Science")
    social_studies = N_("Social studies and history")
    english_language = N_("English language development")
    study_skills = N_("Study skills and organization")
    homework = N_("Homework help")
    test_prep = N_("Test preparation")
    college_career = N_("College and career planning")
    other = N_("Other")


class TimeBand(LabeledEnum):
    afternoon = N_("After school (3-5 pm)")
    early_evening = N_("Early evening (5-7 pm)")
    evening = N_("Evening (7-9 pm)")


AVAILABILITY_CODES: tuple[str, ...] = tuple(
    f"{day.name}_{band.name}" for day in Weekday for band in TimeBand
)
"""Weekly availability slots such as ``mon_afternoon``; weekend days count as "weekend"."""


LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "ht": "Kreyòl Ayisyen",
    "kea": "Kabuverdianu",
    "pt": "Português",
    "vi": "Tiếng Việt",
    "zh_Hant": "繁體中文",
    "zh_Hans": "简体中文",
    "ar": "العربية",
    "so": "Soomaali",
    "fr": "Français",
}
"""Languages for messages to families, each under its own name, keyed by locale code."""

LANGUAGE_ENGLISH_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "ht": "Haitian Creole",
    "kea": "Cape Verdean Creole",
    "pt": "Portuguese",
    "vi": "Vietnamese",
    "zh_Hant": "Traditional Chinese",
    "zh_Hans": "Simplified Chinese",
    "ar": "Arabic",
    "so": "Somali",
    "fr": "French",
}
"""The same languages named in English, for the staff screens."""


def staff_language_label(code: str) -> str:
    """Name a language for staff: "Spanish (Español)", "English", or the code if unknown."""
    english = LANGUAGE_ENGLISH_NAMES.get(code)
    if english is None:
        return code
    own = LANGUAGES[code]
    return english if own == english else f"{english} ({own})"


class MailEvent(LabeledEnum):
    """A program event that sends e-mail."""

    nomination_received = "Nomination received"
    match_activated = "Match activated"
    match_closed = "Match closed"


class RecipientRole(LabeledEnum):
    """The recipient of a message, by their part in the event."""

    nominator = "Nominator"
    mentor = "Mentor"
    family = "Family"
    student = "Student"
    proctor = "Proctor"


class OutboxStatus(LabeledEnum):
    """Delivery state of an outbox message: pending until sent, failed or cancelled."""

    pending = "Pending"
    sent = "Sent"
    failed = "Failed"
    cancelled = "Cancelled"


class CheckInContact(LabeledEnum):
    """Who a coordinator spoke with in a match support check-in."""

    mentor = "Mentor"
    family = "Family"
    student = "Student"


class CheckInChannel(LabeledEnum):
    phone = "Phone"
    email = "E-mail"
    video_call = "Video call"
    in_person = "In person"
    text_message = "Text message"
