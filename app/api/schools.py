"""BPS schools for coordinators: add, rename and retire (retired schools leave the public form)."""

from __future__ import annotations

from typing import Any

from app.api.base import ApiInterface, ProgramApi
from app.models import School
from app.rules.school import clean_dese_code, clean_school_name


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
        item.name = clean_school_name(item.name)
