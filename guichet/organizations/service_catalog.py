"""« Catalogue de services »: the operator's forms, as tiles grouped by category.

A small registry: each ``CatalogForm`` declares its title and description, its category,
the view that serves it, the act one needs over the organization to use it, and whether
it is applied at once or sent to staff review (``reviewed``: a rule on what was submitted).
Its fields, attestations and what happens on submit are its form class (``forms.py``) and
its service (``services/``); a reviewed submission is applied by staff
(``services/review.py``).

Reviewed by staff (guide 003, where the change gives a right over the organization or
touches a person's identity):

- « Ajouter une relation… » when it names a « Personne responsable » (step 7, « Nommer un
  autre responsable »);
- « Modifier les informations personnelles… » when it changes « Informations
  personnelles » (first and last name).

Everything else (contacts' coordinates, end dates, removals, linking codes) applies at
once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.dossiers.grants import READ, Act
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import RelationType

Rule = Callable[[Mapping[str, Any]], bool]


def never(submitted: Mapping[str, Any]) -> bool:
    return False


def names_a_responsible(submitted: Mapping[str, Any]) -> bool:
    return submitted.get("kind") in RelationType.managing()


def changes_personal_information(submitted: Mapping[str, Any]) -> bool:
    return bool(submitted.get("first_name") or submitted.get("last_name"))


@dataclass(frozen=True)
class Category:
    slug: str
    label: str | Promise


@dataclass(frozen=True)
class Catalog:
    """A catalog (« Profil »): categories of forms, the first level of the page."""

    slug: str
    label: str | Promise
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class CatalogForm:
    code: str
    title: str | Promise
    description: str | Promise
    action: str | Promise  # the tile's button
    category: str  # a Category's slug
    url_name: str
    act: Act
    reviewed: Rule = never  # what it is given goes to staff review (else applied at once)


AUTHORIZATIONS = Category("autorisations", _("Authorizations"))
CLIENT_FILE = Category("dossier-client", _("Client file"))
CATEGORIES = (AUTHORIZATIONS, CLIENT_FILE)
# Guide 003, step 5: « Sélectionnez le catalogue « Profil », puis la catégorie « Dossier
# client » ».
PROFILE = Catalog("profil", pgettext_lazy("service catalog", "Profile"), CATEGORIES)
CATALOGS = (PROFILE,)


def catalog(slug: str | None) -> Catalog | None:
    return next((c for c in CATALOGS if c.slug == slug), None)


_FORMS: dict[str, CatalogForm] = {}


def register(*forms: CatalogForm) -> None:
    for form in forms:
        _FORMS[form.code] = form


def forms_in(category: str | None = None) -> list[CatalogForm]:
    return [f for f in _FORMS.values() if category is None or f.category == category]


def form(code: str) -> CatalogForm:
    return _FORMS[code]


def reviewed(code: str, submitted: Mapping[str, Any]) -> bool:
    """Whether this submission of form ``code`` waits for staff."""
    return code in _FORMS and _FORMS[code].reviewed(submitted)


register(
    CatalogForm(
        "add-relation",
        _("Add a relation or authorized subjects to a contact"),
        _(
            "This form adds a relation or authorized subjects to a contact of an "
            "organization. Only the people holding the required authorizations (responsible "
            "persons, administrators, leaders, etc.) may add a relation or authorized "
            "subjects to a contact of an organization."
        ),
        _("Add"),
        AUTHORIZATIONS.slug,
        "organizations:add_relation",
        MANAGE_RELATIONS,
        reviewed=names_a_responsible,
    ),
    CatalogForm(
        "remove-relation",
        _("Remove a relation or authorized subjects from a contact"),
        _(
            "This form removes one or more relations of a contact of the organization, and "
            "authorized subjects. Only the people holding the required authorizations "
            "(responsible persons, administrators, leaders, etc.) may remove them."
        ),
        _("Remove"),
        AUTHORIZATIONS.slug,
        "organizations:remove_relation",
        MANAGE_RELATIONS,
    ),
    CatalogForm(
        "change-address",
        _("Change the address of an authorized individual or a contact"),
        _("This form updates the address of an authorized individual or a contact."),
        _("Change"),
        CLIENT_FILE.slug,
        "organizations:change_address",
        MANAGE_RELATIONS,
    ),
    CatalogForm(
        "change-organization",
        _("Change the information of an organization"),
        _(
            "This form updates the information of an organization: its address, its phone "
            "numbers and its email address. It needs the authorized subject « Profile » in "
            "read and write; in read only, the information is shown."
        ),
        _("Change"),
        CLIENT_FILE.slug,
        "organizations:change_organization",
        READ,  # reading shows it; changing it needs « Profil » in write (the view checks)
    ),
    CatalogForm(
        "change-contact",
        _(
            "Change the personal information and contact details of an authorized "
            "individual or a contact"
        ),
        _(
            "This form updates the personal information and contact details of an "
            "authorized individual or a contact."
        ),
        _("Change"),
        CLIENT_FILE.slug,
        "organizations:change_contact",
        MANAGE_RELATIONS,
        reviewed=changes_personal_information,
    ),
    CatalogForm(
        "send-codes",
        _("Send linking details to contacts"),
        _(
            "This form sends a new linking code to contacts who could not use their former "
            "online access to link their account."
        ),
        _("Send"),
        AUTHORIZATIONS.slug,
        "organizations:send_codes",
        MANAGE_RELATIONS,
    ),
)
