"""Every part of the demo, for the active preset's operator.

Each preset is its own operator, so each gets the demo that fits it: each app's ``demo``
module loads only what the preset has (a city's families where there are households, a
super-user where there are delegates, offerings of the kinds the catalog holds, invoices
where there is billing). Each step is idempotent: it finds its records by their natural
key, creates what is missing and puts the rest back in its demo state, so
``manage.py load_demo`` can run on every ``make demo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from guichet import presets
from guichet.accounts import demo as accounts_demo
from guichet.accounts.demo import DemoAccount
from guichet.accounts.models import Account
from guichet.backoffice.people import demo as backoffice_people_demo
from guichet.billing import demo as billing_demo
from guichet.catalog import demo as catalog_demo
from guichet.credentials import demo as credentials_demo
from guichet.dossiers import demo as dossiers_demo
from guichet.memberships import demo as memberships_demo
from guichet.organizations import demo as organizations_demo
from guichet.presets import Feature
from guichet.registrations import demo as registrations_demo


@dataclass
class Demo:
    """What ``load()`` put in place, for the command's summary."""

    accounts: list[tuple[DemoAccount, Account]] = field(default_factory=list)
    # (what to try, the values to type) for each way of linking a dossier, then each
    # app's own lines
    dossier_lines: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def load() -> Demo:
    """Create or refresh every part of the demo, each app's after those it builds on."""
    operator = presets.active()
    demo = Demo()
    demo.accounts = accounts_demo.load(operator)  # first: dossiers link to these accounts
    demo.dossier_lines = dossiers_demo.load(operator)
    if operator.has(Feature.ORGANIZATIONS):
        org_accounts, org_lines = organizations_demo.load(operator)
        demo.accounts += org_accounts
        demo.dossier_lines += org_lines
    if operator.has(Feature.CATALOG):
        demo.dossier_lines += catalog_demo.load(kinds=operator.offering_kinds)
    if operator.has(Feature.BILLING):
        # Last summer's history (and its Relevé 24) first, so the invoice numbers stay the
        # demo's own; then this season's registrations, made through the real services and
        # invoiced by billing.
        demo.dossier_lines += billing_demo.load()
        demo.dossier_lines += registrations_demo.load()
    if operator.has(Feature.MEMBERSHIPS):
        demo.dossier_lines += memberships_demo.load(operator)
        # After this season's registrations: Marie's past OMA courses, her attestations,
        # the members directory (only where the operator has a title).
        demo.dossier_lines += credentials_demo.load()
    if operator.has(Feature.CATALOG):
        demo.dossier_lines += backoffice_people_demo.load()  # who leads the activities
    return demo
