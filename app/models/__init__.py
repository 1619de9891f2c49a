"""The program's tables. Importing this package registers them on FAB's metadata."""

from app.models.matching import Match, MentoringSession
from app.models.nomination import Nomination, NominationStatusChange, NominationStatusCount
from app.models.outbox import OutboxMessage
from app.models.people import Mentor, Student
from app.models.program_year import MatchCheckIn, MatchYearFigures, ProgramYear, ProgramYearBreak
from app.models.school import School

__all__ = [
    "Match",
    "MatchCheckIn",
    "MatchYearFigures",
    "Mentor",
    "MentoringSession",
    "Nomination",
    "NominationStatusChange",
    "NominationStatusCount",
    "OutboxMessage",
    "ProgramYear",
    "ProgramYearBreak",
    "School",
    "Student",
]
