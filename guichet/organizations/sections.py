"""« Mon organisation »: the second menu of the shell, registered by ``apps.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.core.shell import Menu, Section
from guichet.presets import Feature

ORGANIZATION_MENU = Menu()
ORGANIZATION_MENU.register(
    Section(
        "org_report",
        _("Monthly report"),
        "organizations:report",
        order=10,
        feature=Feature.ORGANIZATIONS,
    ),
    Section(
        "org_statement",
        _("Account statement"),
        "organizations:statement",
        order=20,
        feature=Feature.ORGANIZATIONS,
    ),
    Section(
        "org_documents",
        _("My documents"),
        "organizations:documents",
        order=30,
        feature=Feature.ORGANIZATIONS,
    ),
    Section(
        "org_manage",
        _("Manage my organization"),
        "organizations:manage",
        order=40,
        feature=Feature.ORGANIZATIONS,
    ),
    Section(
        "org_relations",
        _("Relations and authorizations"),
        "organizations:relations",
        order=50,
        feature=Feature.ORGANIZATIONS,
    ),
)
