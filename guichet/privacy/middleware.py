"""The register of staff views: every time staff open a page that shows sensitive
information on files (registered by each app as a ``SensitiveView``), an event is
recorded on each file it showed, action ``privacy.staff_viewed``.

The person sees in « Activité de mon dossier » that staff consulted their file, but not
who: the event names no actor (the trail reads « Système »); the staff member is kept in
its data (``viewed_by``), which the privacy officer reads in the journal (action « File
consulted by staff », a file number).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from guichet.audit.models import Action, Right
from guichet.audit.services import record_leniently
from guichet.privacy import registry


class StaffViewRegister:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (
            user is None
            or not user.is_authenticated
            or not user.is_staff
            or request.method != "GET"
            or response.status_code != 200
            or match is None
        ):
            return response
        view = registry.sensitive_view(match.view_name)
        if view is None:
            return response
        # An observer of someone else's page: a failure is logged, never breaks the page.
        for dossier in view.dossiers(match.kwargs):
            record_leniently(
                Action.STAFF_VIEWED,
                dossier=dossier,
                right=Right.STAFF,
                request=request,
                data={"what": view.what, "viewed_by": user.pk},
            )
        return response
