"""The REST API under /api/v1/ (Flask-AppBuilder ModelRestApi, JWT login, OpenAPI).

Clients log in with ``POST /api/v1/security/login`` and send the access token as
``Authorization: Bearer <token>``. Coordinator APIs share their permission names
with the coordinator screens; the mentor APIs show only the mentor's own rows.
"""


def register_apis(appbuilder) -> None:
    """Add the REST APIs to ``appbuilder``."""
    from app.api.matches import MatchApi
    from app.api.my_students import MyStudentsApi
    from app.api.nominations import NominationApi
    from app.api.people import MentorApi, StudentApi
    from app.api.schools import SchoolApi
    from app.api.sessions import MySessionsApi, SessionApi

    apis = (
        NominationApi,
        StudentApi,
        MentorApi,
        MatchApi,
        SessionApi,
        SchoolApi,
        MyStudentsApi,
        MySessionsApi,
    )
    for api in apis:
        appbuilder.add_api(api)
