"""Program rules as plain functions: no Flask, no database, "today" always passed in.

The public form, the admin forms, the REST API and the services all call these, so
each rule and its message exist once.
"""

from app.rules.errors import N_, RuleViolation

__all__ = ["N_", "RuleViolation"]
