"""What every « Mon organisation » page starts with: the profile acted as, the right."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from guichet.core.features import require_feature
from guichet.dossiers import permissions
from guichet.dossiers.grants import Act
from guichet.organizations import queries
from guichet.presets import Feature

OrganizationView = Callable[..., HttpResponse]


def acting_for(act: Act) -> Callable[[OrganizationView], Callable[..., HttpResponse]]:
    """The view gets the organization the account acts as, once the account is seen to
    hold ``act`` over it (404 otherwise); acting as oneself leads to the profile choice."""

    def decorator(view: OrganizationView) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_feature(Feature.ORGANIZATIONS)
            organization = queries.acting_organization(request)
            if organization is None:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('organizations:profiles')}?{query}")
            if permissions.right_over(request.user, organization, act=act) is None:
                raise Http404
            return view(request, organization, *args, **kwargs)

        return wrapped

    return decorator


def home_crumb() -> dict[str, str]:
    """« Mon organisation »: where the pages of its menu lead back to."""
    return {"url": reverse("organizations:home"), "label": gettext("My organization")}
