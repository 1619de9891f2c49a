"""The range of dates the program accepts on program years, weeks without school and check-ins.

A date before 2000 or after 2100 is taken for a typing mistake, because no
program year, week without school or check-in of this program falls there.
Rejecting it also keeps date arithmetic (a week's Sunday, a year's last week)
far from the limits of Python's ``date``, which end at year 9999.
"""

from __future__ import annotations

from datetime import date

from app.rules.errors import N_, RuleViolation

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_FORMAT_HINT = "YYYY-MM-DD, such as 2027-06-14"


def check_date_in_range(value: date, field: str, label: str) -> None:
    """Raise RuleViolation on ``field`` when ``value`` falls outside EARLIEST_DATE..LATEST_DATE.

    ``label`` names the field in the message, as the form shows it.
    """
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise RuleViolation(
            field,
            N_(
                "%(label)s must be between %(earliest)s and %(latest)s. "
                "%(value)s is outside that range."
            ),
            label=label,
            earliest=EARLIEST_DATE.isoformat(),
            latest=LATEST_DATE.isoformat(),
            value=value.isoformat(),
        )
