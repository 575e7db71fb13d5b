"""« Catalogue de services » and its forms (4b, 5a, 5b, 5c, 6, 7), and « Mes demandes »."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.core.features import require_feature
from guichet.dossiers import permissions
from guichet.dossiers.grants import READ, WRITE
from guichet.dossiers.models import Dossier, DossierKind
from guichet.organizations import phones, queries, service_catalog
from guichet.organizations.forms import (
    ADDRESS_PARTS,
    AddRelationForm,
    ChangeAddressForm,
    ChangeContactForm,
    ChangeKind,
    ChangeOrganizationForm,
    EndRelationForm,
    RemoveForm,
    RemoveScope,
    SendCodesForm,
)
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import (
    NO_END,
    Access,
    Relation,
    RelationSubject,
    RelationType,
    Submission,
    SubmissionStatus,
)
from guichet.organizations.services import contacts as contact_services
from guichet.organizations.services import organization as organization_services
from guichet.organizations.services import relations as relation_services
from guichet.organizations.services.common import Refused
from guichet.organizations.views.common import acting_for
from guichet.presets import Feature

PAGE_SIZE = 50


def _contacts(organization: Dossier) -> QuerySet[Dossier]:
    return Dossier.objects.filter(
        pk__in=Relation.objects.of(organization.pk).values("contact"),
        kind=DossierKind.PERSON,
    ).order_by("last_name", "first_name")


def _chosen(request: HttpRequest, contacts: QuerySet[Dossier]) -> Dossier | None:
    """The contact the form is about (posted, or chosen with « Afficher… »), if one of
    ``contacts``."""
    chosen = request.POST.get("contact") or request.GET.get("contact") or ""
    return contacts.filter(pk=int(chosen)).first() if chosen.isdigit() else None


def _clients(organization: Dossier) -> QuerySet[Dossier]:
    return queries.delegating_organizations(organization)


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    """« Catalogue de services »: the forms as tiles, by category; each tile's button is
    offered only to who may use its form (the form's page checks it again)."""
    require_feature(Feature.SERVICE_CATALOG)
    chosen_catalog = service_catalog.catalog(request.GET.get("catalogue"))
    categories = chosen_catalog.categories if chosen_catalog else service_catalog.CATEGORIES
    shown = {c.slug for c in categories}
    category = request.GET.get("categorie") or None
    if category not in shown:
        category = None
    organization = queries.acting_organization(request)
    held = {
        act
        for act in {form.act for form in service_catalog.forms_in()}
        if organization is not None
        and permissions.right_over(request.user, organization, act=act) is not None
    }
    usable = {form.code for form in service_catalog.forms_in() if form.act in held}
    context = {
        "catalogs": service_catalog.CATALOGS,
        "catalog": chosen_catalog,
        "categories": categories,
        "category": category,
        "forms": [f for f in service_catalog.forms_in(category) if f.category in shown],
        "usable": usable,
        "organization": organization,
    }
    return render(request, "organizations/catalog.html", context)


def _attestations(form: forms.BaseForm, *names: str) -> list[str]:
    return [str(form.fields[name].label) for name in names]


def _serve(
    request: HttpRequest,
    form: forms.BaseForm,
    apply: Callable[[dict[str, Any]], Submission],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Every form's page: shown, or once posted and valid, applied (``apply`` calls its
    service) and followed to its submission; a change the rules refuse comes back on the
    form with its reason, nothing typed lost. « Afficher les valeurs actuelles » (a POST,
    so that the form's token stays out of the address) shows the chosen contact's."""
    if request.method == "POST" and "afficher" in request.POST:
        chosen = request.POST.get("contact", "")
        query = f"?{urlencode({'contact': chosen})}" if chosen.isdigit() else ""
        return redirect(f"{request.path}{query}")
    if request.method == "POST" and form.is_valid():
        try:
            return _done(request, apply(form.cleaned_data))
        except Refused as refusal:
            form.add_error(None, refusal.reason)
    profiles = queries.organizations_of(request.user)  # « Profil concerné »
    return render(request, template, {"form": form, "profiles": profiles, **context})


def _done(request: HttpRequest, submission: Submission) -> HttpResponse:
    if submission.status == SubmissionStatus.SUBMITTED:
        messages.success(
            request,
            _("Your request was submitted: our staff review it before it takes effect."),
        )
    else:
        messages.success(request, _("Your request was submitted and applied."))
    return redirect("organizations:submission", pk=submission.pk)


@acting_for(MANAGE_RELATIONS)
def add_relation(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """4b, 5b, 7: « Ajouter une relation ou des sujets autorisés à un contact »."""
    form = AddRelationForm(
        request.POST or None,
        contacts=_contacts(organization),
        clients=_clients(organization),
        initial={
            "contact": request.GET.get("contact"),
            "kind": request.GET.get("relation", RelationType.STAFF),
            "start_date": timezone.localdate(),
            "end_date": NO_END,
        },
    )

    def apply(data: dict[str, Any]) -> Submission:
        attestations = _attestations(form, "attest_authorization", "attest_exact")
        new = relation_services.NewRelation(
            contact=data["contact"],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            target=data["target"],
            client=data.get("client"),
            write=list(data["write_subjects"]),
            read=list(data["read_subjects"]),
        )
        if not data["new_contact"]:
            return relation_services.add_relation(
                actor=request.user,
                organization_id=organization.pk,
                new=new,
                attestations=attestations,
                request=request,
            )
        return contact_services.add_new_contact(
            actor=request.user,
            organization_id=organization.pk,
            person=contact_services.NewContact(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                language=data["language"],
                phone=data["phone"],
            ),
            new=new,
            attestations=attestations,
            request=request,
        )

    context = {"organization": organization, "catalog_form": service_catalog.form("add-relation")}
    return _serve(request, form, apply, "organizations/add_relation.html", context)


@acting_for(MANAGE_RELATIONS)
def change_contact(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """5a and 6: « Modifier les informations personnelles et les coordonnées d'un individu
    autorisé ou d'un contact »."""
    contacts = _contacts(organization)
    person = _chosen(request, contacts)
    relations = (
        Relation.objects.of(organization.pk).active().filter(contact=person)
        if person
        else Relation.objects.none()
    )
    holder = queries.holder_account(person) if person else None
    form = ChangeContactForm(
        request.POST or None,
        contacts=contacts,
        relations=relations,
        person=person,
        has_account=holder is not None,
        initial={"contact": person.pk if person else None},
    )

    def apply(data: dict[str, Any]) -> Submission:
        attestations = _attestations(form, "attest_exact")
        if data["what"] == ChangeKind.END_DATE:
            return relation_services.change_end_date(
                actor=request.user,
                organization_id=organization.pk,
                contact_id=data["contact"].pk,
                relation_id=data["relation"].pk,
                end_date=data["end_date"] or NO_END,
                attestations=attestations,
                request=request,
            )
        personal = data["what"] == ChangeKind.PERSONAL
        change = contact_services.ContactChange(
            language=data["language"] or None,
            phones=phones.wanted(data, data["contact"]),
            email=data["email"] or None,
            first_name=(data["first_name"] or None) if personal else None,
            last_name=(data["last_name"] or None) if personal else None,
        )
        return contact_services.change_contact(
            actor=request.user,
            organization_id=organization.pk,
            contact_id=data["contact"].pk,
            change=change,
            new_code=data["new_code"],
            attestations=attestations,
            request=request,
        )

    context = {
        "organization": organization,
        "person": person,
        "holder": holder,
        "catalog_form": service_catalog.form("change-contact"),
    }
    return _serve(request, form, apply, "organizations/change_contact.html", context)


@acting_for(MANAGE_RELATIONS)
def change_address(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """« Modifier l'adresse d'un individu autorisé ou d'un contact »."""
    contacts = _contacts(organization)
    person = _chosen(request, contacts)
    form = ChangeAddressForm(
        request.POST or None,
        contacts=contacts,
        person=person,
        initial={"contact": person.pk if person else None},
    )

    def apply(data: dict[str, Any]) -> Submission:
        return contact_services.change_address(
            actor=request.user,
            organization_id=organization.pk,
            contact_id=data["contact"].pk,
            address={f"home_{part}": data[part] for part in ADDRESS_PARTS},
            attestations=_attestations(form, "attest_exact"),
            request=request,
        )

    context = {
        "organization": organization,
        "person": person,
        "catalog_form": service_catalog.form("change-address"),
    }
    return _serve(request, form, apply, "organizations/change_address.html", context)


@acting_for(READ)
def change_organization(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """« Modifier les informations d'une organisation »: shown to whoever holds « Profil »
    (read); changed only with « Profil » in write — a POST without it is refused (403)."""
    may_change = permissions.right_over(request.user, organization, act=WRITE) is not None
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = ChangeOrganizationForm(request.POST or None, organization=organization)
    if not may_change:
        for field in form.fields.values():
            field.disabled = True

    def apply(data: dict[str, Any]) -> Submission:
        wanted = {f"work_{part}": data[part] for part in ADDRESS_PARTS}
        wanted["email"] = data["email"]
        wanted.update(phones.wanted(data, organization))
        return organization_services.change_organization(
            actor=request.user,
            organization_id=organization.pk,
            wanted=wanted,
            attestations=_attestations(form, "attest_exact"),
            request=request,
        )

    context = {
        "organization": organization,
        "may_change": may_change,
        "catalog_form": service_catalog.form("change-organization"),
    }
    return _serve(request, form, apply, "organizations/change_organization.html", context)


@acting_for(MANAGE_RELATIONS)
def remove_relation(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """5c: « Retirer une relation ou des sujets autorisés à un contact »."""
    contacts = _contacts(organization)
    person = _chosen(request, contacts)
    granted = (
        list(
            Relation.objects.of(organization.pk)
            .active()
            .filter(contact=person)
            .select_related("organization")
        )
        if person
        else []
    )
    subject_rows = (
        RelationSubject.objects.filter(
            relation__in=granted, removed_at__isnull=True
        ).select_related("authorized_subject", "relation")
        if granted
        else []
    )
    relation_choices = [
        (r.pk, f"{RelationType(r.kind).label} — {r.organization.display_name}") for r in granted
    ]
    subject_choices = [
        (
            s.pk,
            f"{s.authorized_subject.name} ({Access(s.level).label}) — "
            f"{RelationType(s.relation.kind).label}",
        )
        for s in subject_rows
    ]
    form = RemoveForm(
        request.POST or None,
        contacts=contacts,
        relation_choices=relation_choices,
        subject_choices=subject_choices,
        initial={"contact": person.pk if person else None},
    )

    def apply(data: dict[str, Any]) -> Submission:
        attestations = _attestations(form, "attest_exact")
        if data["scope"] == RemoveScope.SUBJECTS:
            return relation_services.remove_subjects(
                actor=request.user,
                organization_id=organization.pk,
                contact_id=data["contact"].pk,
                subject_row_ids=data["subjects"],
                attestations=attestations,
                request=request,
            )
        return relation_services.end_relations(
            actor=request.user,
            organization_id=organization.pk,
            contact_id=data["contact"].pk,
            relation_ids=None if data["scope"] == RemoveScope.ALL else data["relations"],
            attestations=attestations,
            request=request,
        )

    context = {
        "organization": organization,
        "person": person,
        "granted": relation_choices,
        "catalog_form": service_catalog.form("remove-relation"),
    }
    return _serve(request, form, apply, "organizations/remove.html", context)


@acting_for(MANAGE_RELATIONS)
def send_codes(request: HttpRequest, organization: Dossier) -> HttpResponse:
    """6, in bulk: a new linking code to each chosen contact."""
    form = SendCodesForm(request.POST or None, contacts=_contacts(organization))

    def apply(data: dict[str, Any]) -> Submission:
        return contact_services.send_codes(
            actor=request.user,
            organization_id=organization.pk,
            contact_ids=[c.pk for c in data["contacts"]],
            attestations=_attestations(form, "attest_exact"),
            request=request,
        )

    context = {"organization": organization, "catalog_form": service_catalog.form("send-codes")}
    return _serve(request, form, apply, "organizations/form.html", context)


@login_required
def end_relation(request: HttpRequest, pk: int) -> HttpResponse:
    """« Retirer cette relation »: a responsible ends one relation of their organization's
    (the page the email about a new responsible leads to, and a contact's page), whatever
    profile they act as; 404 for anyone else. The last responsible stays."""
    require_feature(Feature.ORGANIZATIONS)
    relation = (
        Relation.objects.select_related("contact", "organization", "through").filter(pk=pk).first()
    )
    managing = (relation.through or relation.organization) if relation else None
    if managing is None or (
        permissions.right_over(request.user, managing, act=MANAGE_RELATIONS) is None
    ):
        raise Http404
    form = EndRelationForm(request.POST or None)

    def apply(data: dict[str, Any]) -> Submission:
        return relation_services.end_relations(
            actor=request.user,
            organization_id=managing.pk,
            contact_id=relation.contact_id,
            relation_ids=[relation.pk],
            attestations=_attestations(form, "attest_exact"),
            request=request,
        )

    context = {"relation": relation, "organization": managing}
    return _serve(request, form, apply, "organizations/end_relation.html", context)


@login_required
def submissions(request: HttpRequest) -> HttpResponse:
    """« Mes demandes »: every form the account submitted, with its state."""
    require_feature(Feature.SERVICE_CATALOG)
    rows = Submission.objects.visible_to(request.user).select_related("organization")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    titles = {f.code: f.title for f in service_catalog.forms_in()}
    return render(request, "organizations/submissions.html", {"page": page, "titles": titles})


@login_required
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    require_feature(Feature.SERVICE_CATALOG)
    found = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    titles = {f.code: f.title for f in service_catalog.forms_in()}
    return render(
        request,
        "organizations/submission.html",
        {"submission": found, "title": titles.get(found.form, found.form)},
    )
