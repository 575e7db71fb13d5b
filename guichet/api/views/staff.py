"""« API et webhooks » for staff holding the Administration role, outside the admin:
make a key (its token shown once), revoke one; add a webhook endpoint (its signing secret
shown once), archive one; each endpoint's latest deliveries (or failures only) with every
attempt, and « Envoyer de nouveau »."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guichet.api import keys
from guichet.api.forms import NewEndpointForm, NewKeyForm, scope_label
from guichet.api.models import (
    ApiKey,
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from guichet.api.webhooks import endpoints as endpoint_services
from guichet.api.webhooks import events
from guichet.core.roles import Role
from guichet.core.staff import role_required

DELIVERIES_SHOWN = 50

administration = role_required(Role.ADMINISTRATION)


@administration
def index(request: HttpRequest) -> HttpResponse:
    api_keys = list(
        ApiKey.objects.select_related("account", "organization").order_by("-created_at", "-id")
    )
    for key in api_keys:
        key.scope_labels = [scope_label(scope) for scope in key.scopes]
    # Archived endpoints last; each with its latest delivery and what is failing.
    endpoints = WebhookEndpoint.objects.annotate(
        last_delivery_at=Max("deliveries__created_at"),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        retrying=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.RETRYING)),
    ).order_by("-archived_at", "url", "id")
    return render(request, "api/staff/index.html", {"keys": api_keys, "endpoints": endpoints})


@administration
@never_cache
def new_key(request: HttpRequest) -> HttpResponse:
    form = NewKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = keys.create_key(
            name=data["name"],
            account=data["account"],
            scopes=data["scopes"],
            allowed_ips=data["allowed_ips"],
            expires_at=data["expires_on"],
            rate_per_minute=data["rate_per_minute"],
            organization=data["organization"],
            actor=request.user,
        )
        # The token is in this answer only (never stored, never cached).
        return render(request, "api/staff/key_made.html", {"key": made.key, "token": made.token})
    return render(request, "api/staff/new_key.html", {"form": form})


@administration
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = keys.revoke_key(get_object_or_404(ApiKey, pk=pk), actor=request.user)
    messages.success(request, _("The key « %(name)s » is revoked.") % {"name": key.name})
    return redirect("api:staff")


@administration
@never_cache
def new_endpoint(request: HttpRequest) -> HttpResponse:
    form = NewEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = endpoint_services.add_endpoint(
            url=data["url"],
            events=data["events"],
            description=data["description"],
            notify_email=data["notify_email"],
            actor=request.user,
        )
        # The secret is shown in this answer only (never cached); signing needs it kept.
        return render(
            request,
            "api/staff/endpoint_made.html",
            {"endpoint": made.endpoint, "secret": made.secret},
        )
    return render(request, "api/staff/new_endpoint.html", {"form": form})


@administration
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    target = endpoint_services.archive_endpoint(
        get_object_or_404(WebhookEndpoint, pk=pk), actor=request.user
    )
    messages.success(
        request,
        _("The endpoint %(url)s is archived: nothing is sent to it any more.")
        % {"url": target.url},
    )
    return redirect("api:staff")


@administration
def endpoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Its latest deliveries, or (``?echecs=1``) only those failed or awaiting a retry."""
    target = get_object_or_404(WebhookEndpoint, pk=pk)
    failures_only = request.GET.get("echecs") == "1"
    deliveries = WebhookDelivery.objects.filter(endpoint=target)
    if failures_only:
        deliveries = deliveries.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.RETRYING])
    deliveries = (
        deliveries.select_related("message")
        .prefetch_related(Prefetch("tries", queryset=DeliveryAttempt.objects.order_by("id")))
        .order_by("-created_at", "-id")[:DELIVERIES_SHOWN]
    )
    return render(
        request,
        "api/staff/endpoint.html",
        {"endpoint": target, "deliveries": deliveries, "failures_only": failures_only},
    )


@administration
@require_POST
def redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    events.redeliver(delivery, actor=request.user)
    messages.success(request, _("The delivery is sent again."))
    return redirect("api:staff_endpoint", pk=delivery.endpoint_id)
