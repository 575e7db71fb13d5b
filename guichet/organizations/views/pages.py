"""« Mon organisation »: its menu's pages, « Relations et autorisations » and a contact."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.billing.models import Invoice
from guichet.core.features import require_feature
from guichet.core.shell import page_context, render_empty
from guichet.dossiers.grants import READ, READ_BILLING, Access, Act
from guichet.dossiers.models import Dossier
from guichet.organizations import queries
from guichet.organizations.grants import READ_RELATIONS
from guichet.organizations.models import Relation
from guichet.organizations.sections import ORGANIZATION_MENU
from guichet.organizations.services.relations import contact_in
from guichet.organizations.views.common import acting_for, home_crumb
from guichet.presets import Feature

PAGE_SIZE = 50
READ_MONTHLY_REPORT = Act("monthly_report", Access.READ)


def _active(prefix: str = "") -> Q:
    day = timezone.localdate()
    return Q(
        **{
            f"{prefix}removed_at__isnull": True,
            f"{prefix}start_date__lte": day,
            f"{prefix}end_date__gte": day,
        }
    )


def _is_active(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """« Mon organisation »: its menu, for the organization the account acts as (one of
    its profiles: an active contact's)."""
    require_feature(Feature.ORGANIZATIONS)
    organization = queries.acting_organization(request)
    if organization is None:
        return redirect("organizations:profiles")
    context = {
        "organization": organization,
        "menu": ORGANIZATION_MENU.entries(current=""),
        "title": organization.display_name,
    }
    return render(request, "organizations/home.html", context)


@acting_for(READ)
def manage(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """« Gérer mon organisation »: the organization's file (« Profil »)."""
    context = page_context("org_manage", organization=organization, breadcrumb=home_crumb())
    return render(request, "organizations/manage.html", context)


@acting_for(READ_MONTHLY_REPORT)
def report(request: HttpRequest, organization: Dossier) -> HttpResponse:
    return render_empty(
        request,
        "org_report",
        message=_("No monthly report to show."),
        explanation=_("The monthly reports of %(name)s will appear here once they are filed.")
        % {"name": organization.display_name},
        organization=organization,
        breadcrumb=home_crumb(),
    )


@acting_for(READ)
def documents(request: HttpRequest, organization: Dossier) -> HttpResponse:
    return render_empty(
        request,
        "org_documents",
        message=_("No document to show."),
        explanation=_("The documents the operator sends %(name)s will appear here.")
        % {"name": organization.display_name},
        organization=organization,
        breadcrumb=home_crumb(),
    )


@acting_for(READ_BILLING)
def statement(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """« État de compte » (« Paiements et relevés »): the organization's invoices, read
    through billing's own scoped queryset; paying needs the subject in write."""
    invoices = (
        Invoice.objects.visible_to(request.user)
        .filter(payer_dossier=organization)
        .order_by("-issued_at", "-pk")
    )
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = page_context(
        "org_statement", organization=organization, page=page, breadcrumb=home_crumb()
    )
    return render(request, "organizations/statement.html", context)


CONTACT_SORTS = {
    "contact": ("contact__last_name", "contact__first_name", "contact__organization_name", "pk"),
    "fonction": ("kind", "contact__last_name", "pk"),
    "actif": ("-active", "contact__last_name", "pk"),
    "organisation": ("organization__organization_name", "contact__last_name", "pk"),
}
AUTHORIZATION_SORTS = {
    "sujet": ("own", "authorized_subject__order", "relation__contact__last_name", "pk"),
    "contact": ("own", "relation__contact__last_name", "relation__contact__first_name", "pk"),
    "actif": ("own", "-active", "authorized_subject__order", "pk"),
}


def _contacts(organization: Dossier, request: HttpRequest) -> tuple[QuerySet[Relation], str]:
    rows = queries.contacts_of(organization).annotate(active=_is_active(_active()))
    if search := request.GET.get("q", "").strip():
        rows = rows.filter(
            Q(contact__last_name__icontains=search)
            | Q(contact__first_name__icontains=search)
            | Q(contact__organization_name__icontains=search)
        )
    sort = request.GET.get("tri", "contact")
    return rows.order_by(*CONTACT_SORTS.get(sort, CONTACT_SORTS["contact"])), sort


def _authorizations(
    organization: Dossier, request: HttpRequest
) -> tuple[QuerySet, str, int | None]:
    own_first = Case(
        When(relation__contact_id=organization.pk, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = queries.authorizations_of(organization).annotate(
        own=own_first,
        active=_is_active(Q(removed_at__isnull=True) & _active("relation__")),
    )
    contact = request.GET.get("contact", "")
    chosen = int(contact) if contact.isdigit() else None
    if chosen is not None:
        rows = rows.filter(relation__contact_id=chosen)
    sort = request.GET.get("tri", "sujet")
    return rows.order_by(*AUTHORIZATION_SORTS.get(sort, AUTHORIZATION_SORTS["sujet"])), sort, chosen


@acting_for(READ_RELATIONS)
def relations(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """« Relations et autorisations »: the two tabs, paged, filtered and sorted, each in a
    fixed number of queries."""
    tab = "autorisations" if request.GET.get("onglet") == "autorisations" else "contacts"
    chosen = None
    if tab == "contacts":
        rows, sort = _contacts(organization, request)
    else:
        rows, sort, chosen = _authorizations(organization, request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    query = "&".join(f"{k}={v}" for k, v in kept.items())
    contacts = None
    if tab == "autorisations":
        contacts = Dossier.objects.filter(
            pk__in=Relation.objects.of(organization.pk).values("contact")
        ).order_by("last_name", "first_name", "organization_name")
    context = page_context(
        "org_relations",
        organization=organization,
        breadcrumb=home_crumb(),
        tab=tab,
        page=page,
        sort=sort,
        search=request.GET.get("q", ""),
        chosen=chosen,
        contacts=contacts,
        query=query,
    )
    return render(request, "organizations/relations.html", context)


@acting_for(READ_RELATIONS)
def contact(request: HttpRequest, organization: Dossier, pk: int) -> HttpResponse:
    person = contact_in(organization, pk)
    relations = (
        Relation.objects.of(organization.pk)
        .filter(contact=person)
        .select_related("organization")
        .prefetch_related("subjects__authorized_subject")
        .order_by("-start_date", "pk")
    )
    context = page_context(
        "org_relations",
        organization=organization,
        breadcrumb=home_crumb(),
        person=person,
        relations=relations,
        holder=queries.holder_account(person),
    )
    return render(request, "organizations/contact.html", context)
