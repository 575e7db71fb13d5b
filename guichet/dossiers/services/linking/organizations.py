"""Linking to an organization's dossier: never « held » like a person's.

An organization's legacy credentials (or a code issued for it) prove that the account's
person is one of its contacts: the organizations app, above this one, registers the
function that makes that relation (``register_organization_linker`` from its
``AppConfig.ready``); without it, or where the preset has no organizations, an
organization's dossier cannot be linked at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from guichet import presets
from guichet.dossiers.models import Dossier, DossierKind, LinkMethod
from guichet.dossiers.services.linking.outcomes import Outcome
from guichet.presets import Feature

OrganizationLinker = Callable[[Any, Dossier, LinkMethod, HttpRequest | None], Outcome]
_LINKERS: list[OrganizationLinker] = []


def register_organization_linker(linker: OrganizationLinker) -> None:
    if linker not in _LINKERS:
        _LINKERS.append(linker)


def links_organizations() -> bool:
    """Whether an organization's dossier may be linked here (a contact's relation)."""
    return bool(_LINKERS) and presets.active().has(Feature.ORGANIZATIONS)


def is_organization(dossier: Dossier | None) -> bool:
    return dossier is not None and dossier.kind == DossierKind.ORGANIZATION


def link_organization(
    account: Any, dossier: Dossier, method: LinkMethod, request: HttpRequest | None
) -> Outcome | None:
    """The registered linker's outcome, or None where organizations are not linked."""
    if not links_organizations():
        return None
    return _LINKERS[0](account, dossier, method, request)
