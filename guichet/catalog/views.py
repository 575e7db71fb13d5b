"""Public pages of the catalog: the list with its filters, and one offering's page."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.types import Visitor
from guichet.catalog import eligibility
from guichet.catalog.forms import (
    CatalogFilterForm,
    RegisterHereForm,
    catalog_offerings,
    catalog_places,
)
from guichet.catalog.models import Offering
from guichet.core.features import feature_required
from guichet.dossiers.models import Dossier, DossierKind, DossierLink
from guichet.presets import Feature

PER_PAGE = 12


@feature_required(Feature.CATALOG)
def offering_list(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None, places=catalog_places())
    if form.is_bound:
        form.is_valid()  # errors are shown beside their field; valid filters still apply
    offerings = form.filter(catalog_offerings())
    page = Paginator(offerings, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


@feature_required(Feature.CATALOG)
def offering_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Staff may preview an offering before it is published; nobody else sees it.
    visible = Offering.objects.all() if request.user.is_staff else Offering.objects.published()
    offering = get_object_or_404(
        visible.prefetch_related("sessions", "options", "questions", "documents"), slug=slug
    )
    now = timezone.now()
    people = [
        (dossier, eligibility.participant_reasons(offering, dossier, at=now))
        for dossier in household(request.user)
    ]
    url = register_url(offering)
    is_open = offering.is_open(now)
    return render(
        request,
        "catalog/detail.html",
        {
            "offering": offering,
            "now": now,
            "is_open": is_open,
            "not_yet_open": now < offering.registration_opens_at,
            "closed": now >= offering.registration_closes_at,
            "rules": eligibility.rules(offering),
            "people": people,
            "register_url": url,
            "register_here": register_here_form(offering, people) if url and is_open else None,
        },
    )


def household(account: Visitor) -> list[Dossier]:
    """The people of the signed-in person's file: the person dossiers they hold or are
    guardian of through a link in force, the same people the page's one-POST form may
    register (``registrations.views.start``). One plain query: the grants' union
    (``Dossier.objects.for_account``) cost most of this page's CPU to compose, and reaches
    people (a delegate's, an organization's) the page's form never registers."""
    if not account.is_authenticated:
        return []
    links = (
        DossierLink.objects.active()
        .filter(account_id=account.pk, dossier__kind=DossierKind.PERSON)
        .select_related("dossier")
        .order_by("-role", "dossier__first_name")
    )
    return list({link.dossier.pk: link.dossier for link in links}.values())


def register_here_form(offering: Offering, people: list) -> RegisterHereForm | None:
    """Registration day in one POST: when the offering asks nothing (no questions, no
    options; both prefetched), the page itself carries the form, with the people of the
    file the rules admit. Otherwise (or for nobody admitted) the « S'inscrire » link leads to
    the registration steps."""
    if offering.questions.all() or offering.options.all():
        return None
    choices = [(dossier.pk, dossier.display_name) for dossier, reasons in people if not reasons]
    if not choices:
        return None
    return RegisterHereForm(choices=choices, initial={"key": uuid.uuid4()})


def register_url(offering: Offering) -> str:
    """The registrations app's entry point (a URL name: catalog imports nothing above it)."""
    return reverse("registrations:start", args=[offering.slug])
