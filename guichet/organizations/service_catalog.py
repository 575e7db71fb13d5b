"""« Catalogue de services »: the operator's forms, as tiles grouped by category.

A small registry: each ``CatalogForm`` declares its title and description, its category,
the view that serves it, the act one needs over the organization to use it, and whether
it is applied at once or sent to staff review. Its fields, attestations and what happens
on submit are its form class (``forms.py``) and its service (``services/``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.grants import Act
from guichet.organizations.grants import MANAGE_RELATIONS


@dataclass(frozen=True)
class Category:
    slug: str
    label: str | Promise


@dataclass(frozen=True)
class CatalogForm:
    code: str
    title: str | Promise
    description: str | Promise
    action: str | Promise  # the tile's button
    category: str  # a Category's slug
    url_name: str
    act: Act
    reviewed_by_staff: bool = False  # applied at once otherwise


AUTHORIZATIONS = Category("autorisations", _("Authorizations"))
CLIENT_FILE = Category("dossier-client", _("Client file"))
CATEGORIES = (AUTHORIZATIONS, CLIENT_FILE)

_FORMS: dict[str, CatalogForm] = {}


def register(*forms: CatalogForm) -> None:
    for form in forms:
        _FORMS[form.code] = form


def forms_in(category: str | None = None) -> list[CatalogForm]:
    return [f for f in _FORMS.values() if category is None or f.category == category]


def form(code: str) -> CatalogForm:
    return _FORMS[code]


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
