"""The register of staff views: every time staff open a page that shows sensitive
information on files (registered by each app as a ``SensitiveView``), an event is
recorded on each file it showed, action ``privacy.staff_viewed``.

The person sees in « Activité de mon dossier » that staff consulted their file; whether
it names who is the operator's choice (``Preset.staff_views_named``, overridden by
``GUICHET_STAFF_VIEWS_NAMED``): named, the event's actor is the staff member; not named,
it has no actor (the trail reads « Système »). Either way the staff member is kept in its
data (``viewed_by``), which the privacy officer searches in the register of staff views
(``/personnel/vie-privee/consultations/``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from guichet import presets
from guichet.audit.models import Action, Right
from guichet.audit.services import record_leniently_on_each
from guichet.privacy import registry


def staff_views_named(preset: presets.Preset | None = None) -> bool:
    """Whether « Activité de mon dossier » names the staff member who consulted a file:
    ``GUICHET_STAFF_VIEWS_NAMED`` if set, else the preset's choice (the active one's)."""
    chosen = getattr(settings, "GUICHET_STAFF_VIEWS_NAMED", None)
    if chosen is not None:
        return bool(chosen)
    return (preset or presets.active()).staff_views_named


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
        shown = {dossier.pk: dossier for dossier in view.dossiers(match.kwargs)}
        # An observer of someone else's page: a failure is logged, never breaks the page.
        record_leniently_on_each(
            Action.STAFF_VIEWED,
            list(shown.values()),
            actor=user if staff_views_named() else None,
            right=Right.STAFF,
            request=request,
            data={"what": view.what, "viewed_by": user.pk},
        )
        return response
