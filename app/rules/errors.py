"""The exception every rule raises, and the marker that makes its message translatable."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for extraction by pybabel without translating it here.

    Rules have no Flask import, so they cannot call gettext. Screens translate the
    message when they show it (``gettext(error.message)``).
    """
    return message


class RuleViolation(ValueError):
    """A program rule rejected a value.

    ``field`` is the form and API field name the message belongs to (for example
    ``student_grade``), so every caller can show the message next to that field.
    ``params`` fills ``%(name)s`` placeholders after translation.
    """

    def __init__(self, field: str, message: str, **params: object) -> None:
        self.field = field
        self.message = message
        self.params = params
        super().__init__(f"{field}: {message % params if params else message}")

    def render(self, translate=lambda text: text) -> str:
        """Return the message translated by ``translate`` with its placeholders filled."""
        text = translate(self.message)
        return text % self.params if self.params else text
