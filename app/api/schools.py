"""BPS schools for coordinators: add, rename and retire (retired schools leave the public form)."""

from __future__ import annotations

import re
from typing import Any

from app.api.base import ApiInterface, ProgramApi
from app.api.checks import clean_line
from app.models import School
from app.rules.errors import N_, RuleViolation

DESE_CODE = re.compile(r"\d{8}")
MAX_NAME_LENGTH = 200


def clean_dese_code(code: str | None) -> str:
    """Return the DESE school code without surrounding spaces, or raise RuleViolation.

    The code must be 8 digits, as in the DESE school directory.
    """
    text = (code or "").strip()
    if not DESE_CODE.fullmatch(text):
        raise RuleViolation(
            "dese_code", N_("Enter the 8-digit DESE school code, such as 00350001.")
        )
    return text


class SchoolApi(ProgramApi):
    """Every school. No DELETE: nominations and students keep pointing at retired schools."""

    resource_name = "schools"
    class_permission_name = "Schools"
    datamodel = ApiInterface(School)
    exclude_route_methods = {"delete"}

    list_columns = ["id", "dese_code", "name", "retired"]
    show_columns = list_columns
    add_columns = ["dese_code", "name", "retired"]
    edit_columns = add_columns
    search_columns = ["dese_code", "name"]
    order_columns = ["id", "dese_code", "name"]
    base_order = ("name", "asc")

    def pre_add(self, item: School) -> None:
        self._check(item)

    def check_update(self, item: School, original: dict[str, Any]) -> None:
        self._check(item)

    def _check(self, item: School) -> None:
        item.dese_code = clean_dese_code(item.dese_code)
        item.name = clean_line(item.name, "name", MAX_NAME_LENGTH)
        if item.name is None:
            raise RuleViolation("name", N_("Enter the school's name."))
