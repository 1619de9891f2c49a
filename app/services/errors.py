"""Exceptions raised by the services, each with the field its message belongs to."""

from __future__ import annotations

from app.rules.errors import RuleViolation


class ServiceError(RuleViolation):
    """A request the program rules allow in form but the current data does not.

    For example: the mentor became full while the coordinator was filling the form.
    Screens show the message next to ``field``; the API returns it with 409 or 422.
    """


class ConflictError(ServiceError):
    """Another request changed the same rows first (HTTP 409)."""
