"""The read-only record of every nomination status change, searchable by reference."""

from __future__ import annotations

from sqlalchemy.orm import joinedload
from wtforms import StringField

from app.admin.base import AdminInterface, AdminModelView, boston_time
from app.admin.filters import nomination_reference_filter
from app.models import NominationStatusChange


class NominationHistoryView(AdminModelView):
    """Every status change of every nomination, read-only, newest first."""

    route_base = "/nominationhistoryview"
    datamodel = AdminInterface(
        NominationStatusChange,
        list_load_options=[
            joinedload(NominationStatusChange.nomination),
            joinedload(NominationStatusChange.changed_by),
        ],
        text_filters={"nomination": [nomination_reference_filter()]},
    )
    class_permission_name = "NominationHistory"
    exclude_route_methods = {"add", "edit", "delete", "download", "action", "action_post"}
    list_title = "Nomination history"
    show_title = "Nomination status change"
    list_columns = ["nomination", "from_status", "to_status", "changed_at", "changed_by", "note"]
    show_columns = list_columns
    order_columns = ["changed_at", "to_status"]
    base_order = ("changed_at", "desc")
    search_columns = ["nomination", "to_status", "changed_at"]
    search_form_extra_fields = {"nomination": StringField("Nomination reference")}
    label_columns = {
        "nomination": "Nomination",
        "changed_at": "When (Boston time)",
        "changed_by": "By",
        "from_status": "From",
        "to_status": "To",
    }
    formatters_columns = {"changed_at": boston_time}
