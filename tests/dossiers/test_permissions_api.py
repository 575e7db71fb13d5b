"""The permissions API as a table: for each member of the cast, each act and each object,
the right it gives or None; then every ``visible_to`` (and ``for_account``) agrees with
the API on a mixed data set, with and without guardians sharing; then a new kind of grant
plugs in from outside dossiers.

Each table is checked in one test that lists every row that disagrees, so the cast (made
through the real services) is built once per table."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db.models import F, Value
from django.http import Http404

from guichet import presets
from guichet.accounts.models import Account
from guichet.audit.models import Right
from guichet.billing.models import CreditNote, Invoice, Payment, PaymentMethod, TaxSlipRL24
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.rl24_batch import issue_slip
from guichet.dossiers import grants, permissions
from guichet.dossiers.models import Delegation, Dossier, DossierKind
from guichet.registrations.models import Registration
from guichet.requests.models import Request
from tests.billing.cast import child_of, holder, invoiced
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.requests.factories import ChangeRequestFactory, DossierNumberRequestFactory

pytestmark = pytest.mark.django_db

SELF, GUARDIAN, DELEGATE, STAFF = Right.SELF, Right.GUARDIAN, Right.DELEGATE, Right.STAFF
MEMBERS = ("holder", "guardian", "second_guardian", "delegate", "staff", "outsider")


@dataclasses.dataclass
class Cast:
    accounts: dict[str, Account]
    dossiers: dict[str, Dossier]
    registrations: dict[str, Registration]
    invoices: dict[str, Invoice]


@pytest.fixture
def cast() -> Cast:
    """Paul holds his dossier; Marie and Jean-François are Léa's two guardians; Maxime is
    a delegate for the Ville de Sept-Îles; Sophie is staff; Olivier holds his own dossier
    and nothing else. Each registration is made and invoiced through the real services."""
    paul, paul_dossier = holder(first_name="Paul")
    marie, marie_dossier = holder(first_name="Marie")
    jean_francois, jf_dossier = holder(first_name="Jean-François")
    lea = child_of(marie, jean_francois, first_name="Léa")
    olivier, olivier_dossier = holder(first_name="Olivier")
    city = DossierFactory(kind=DossierKind.ORGANIZATION, organization_name="Ville de Sept-Îles")
    maxime = AccountFactory(first_name="Maxime")
    Delegation.objects.create(account=maxime, organization=city)
    sophie = AccountFactory(first_name="Sophie", is_staff=True)
    made = {
        "paul_own": invoiced(paul, paul_dossier),
        "by_delegate": invoiced(maxime, paul_dossier),
        "lea_by_marie": invoiced(marie, lea),
        "lea_by_jf": invoiced(jean_francois, lea),
        "olivier_own": invoiced(olivier, olivier_dossier),
    }
    return Cast(
        accounts={
            "holder": paul,
            "guardian": marie,
            "second_guardian": jean_francois,
            "delegate": maxime,
            "staff": sophie,
            "outsider": olivier,
        },
        dossiers={
            "paul": paul_dossier,
            "marie": marie_dossier,
            "jean_francois": jf_dossier,
            "lea": lea,
            "olivier": olivier_dossier,
            "city": city,
        },
        registrations={name: registration for name, (registration, _) in made.items()},
        invoices={name: invoice for name, (_, invoice) in made.items()},
    )


@pytest.fixture
def sharing(settings, monkeypatch):
    """Switches to an operator whose preset says guardians share what each made."""

    def share() -> None:
        shared = dataclasses.replace(presets.PRESETS["demo"], slug="partage", guardians_share=True)
        monkeypatch.setitem(presets.PRESETS, "partage", shared)
        settings.GUICHET_PRESET = "partage"

    return share


# Rights over a dossier --------------------------------------------------------------------
ACTS = {
    "read": permissions.READ,
    "write": permissions.WRITE,
    "register": permissions.REGISTER,
    "billing": permissions.WRITE_BILLING,
}
# member, dossier: the right for each act (read, write, register, billing)
OVER = [
    ("holder", "paul", SELF, SELF, SELF, SELF),
    ("holder", "lea", None, None, None, None),
    ("guardian", "lea", GUARDIAN, GUARDIAN, GUARDIAN, GUARDIAN),
    ("guardian", "marie", SELF, SELF, SELF, SELF),
    ("guardian", "jean_francois", None, None, None, None),  # the other guardian's own file
    ("second_guardian", "lea", GUARDIAN, GUARDIAN, GUARDIAN, GUARDIAN),
    ("delegate", "paul", None, None, DELEGATE, None),  # registers him, sees nothing else
    ("delegate", "olivier", None, None, DELEGATE, None),
    ("delegate", "lea", None, None, None, None),  # a child holds no account
    ("delegate", "city", None, None, None, None),  # an organization is not registered
    ("staff", "paul", None, None, None, None),  # staff act on what was made, not as a person
    ("outsider", "paul", None, None, None, None),
    ("outsider", "lea", None, None, None, None),
]


def test_the_right_each_member_has_over_each_dossier(cast):
    wrong = []
    for member, dossier, *expected in OVER:
        account = cast.accounts[member]
        for (act_name, act), right in zip(ACTS.items(), expected, strict=True):
            got = permissions.right_over(account, cast.dossiers[dossier], act=act)
            if got != right:
                wrong.append((member, dossier, act_name, right, got))
    assert wrong == []


def test_a_dossier_one_may_not_act_for_is_a_404(cast):
    paul = cast.dossiers["paul"]
    assert permissions.dossier_for(cast.accounts["holder"], paul.pk) == (paul, SELF)
    for member in ("delegate", "staff", "outsider"):
        with pytest.raises(Http404):
            permissions.dossier_for(cast.accounts[member], paul.pk)
    with pytest.raises(Http404):
        permissions.dossier_for(cast.accounts["holder"], 0)


# Rights on what was made for a dossier -------------------------------------------------------
# member, registration: the right to read it, to read it where guardians share, to change it
ON = [
    ("holder", "paul_own", SELF, SELF, SELF),
    ("holder", "by_delegate", SELF, SELF, SELF),  # the person registered sees and changes it
    ("holder", "lea_by_marie", None, None, None),
    ("guardian", "lea_by_marie", GUARDIAN, GUARDIAN, GUARDIAN),
    ("guardian", "lea_by_jf", None, GUARDIAN, None),  # read where they share, never changed
    ("second_guardian", "lea_by_marie", None, GUARDIAN, None),
    ("second_guardian", "lea_by_jf", GUARDIAN, GUARDIAN, GUARDIAN),
    ("delegate", "by_delegate", DELEGATE, DELEGATE, DELEGATE),
    ("delegate", "paul_own", None, None, None),  # only what the delegate made
    ("staff", "paul_own", None, None, STAFF),  # staff change anyone's
    ("staff", "lea_by_marie", None, None, STAFF),
    ("outsider", "paul_own", None, None, None),
    ("outsider", "lea_by_jf", None, None, None),
]


def _rights_on(cast: Cast) -> dict[tuple[str, str], tuple[Any, Any]]:
    found = {}
    for member, name, *_expected in ON:
        account, registration = cast.accounts[member], cast.registrations[name]
        made = {"made_by": registration.registered_by_id}
        read = permissions.right_over(
            account, registration.participant, act=permissions.READ_REGISTRATIONS, **made
        )
        change = permissions.right_on(
            account, registration.participant, act=permissions.REGISTER, **made
        )
        found[member, name] = (read, change)
    return found


def test_the_right_each_member_has_on_each_registration(cast, sharing):
    alone = _rights_on(cast)
    sharing()
    shared = _rights_on(cast)
    wrong = []
    for member, name, read, read_shared, change in ON:
        got = (alone[member, name][0], shared[member, name][0], alone[member, name][1])
        if got != (read, read_shared, change) or shared[member, name][1] != change:
            wrong.append((member, name, (read, read_shared, change), got))
    assert wrong == []


def test_paying_is_for_oneself_and_staff_record_as_staff(cast):
    lea_by_marie, by_delegate = cast.invoices["lea_by_marie"], cast.invoices["by_delegate"]

    def right(member: str, invoice: Invoice) -> Right:
        return permissions.right_on_addressed(
            cast.accounts[member], addressee=invoice.payer_account_id, made_by=invoice.caused_by_id
        )

    assert right("guardian", lea_by_marie) == SELF
    assert right("delegate", by_delegate) == SELF  # the delegate is the payer
    assert right("staff", lea_by_marie) == STAFF


# Every visible_to agrees with the API ----------------------------------------------------------
def _made(account: Account, *makers: int | None) -> bool:
    return account.pk in makers


def _over(account: Account, dossier_id: int | None, act: grants.Act, made_by: Any) -> Any:
    return (
        None
        if dossier_id is None
        else permissions.right_over(account, dossier_id, act=act, made_by=made_by)
    )


def _invoice_seen(account: Account, invoice: Invoice) -> bool:
    billing, maker = permissions.READ_BILLING, invoice.caused_by_id
    return (
        _made(account, invoice.payer_account_id, maker)
        or _over(account, invoice.payer_dossier_id, billing, maker) is not None
        or _over(account, invoice.participant_id, billing, maker) == GUARDIAN
    )


# What the API says each row is, for one account: (queryset, row → seen?)
SEEN = {
    "registrations": (
        lambda a: Registration.objects.visible_to(a),
        lambda a, r: (
            _made(a, r.registered_by_id)
            or _over(a, r.participant_id, permissions.READ_REGISTRATIONS, r.registered_by_id)
            is not None
        ),
    ),
    "invoices": (lambda a: Invoice.objects.visible_to(a), _invoice_seen),
    "credit notes": (
        lambda a: CreditNote.objects.visible_to(a),
        lambda a, note: _invoice_seen(a, note.invoice),
    ),
    "payments": (
        lambda a: Payment.objects.visible_to(a),
        lambda a, payment: _invoice_seen(a, payment.invoice),
    ),
    "Relevé 24": (
        lambda a: TaxSlipRL24.objects.visible_to(a),
        lambda a, slip: _over(a, slip.payer_id, permissions.READ_BILLING, None) == SELF,
    ),
    "requests": (
        lambda a: Request.objects.visible_to(a),
        lambda a, request: _made(a, request.submitted_by_id),
    ),
    "dossiers": (
        lambda a: Dossier.objects.for_account(a),
        lambda a, dossier: _over(a, dossier.pk, permissions.READ, None) is not None,
    ),
}


def _disagreements(cast: Cast) -> list[tuple[str, str, int, bool]]:
    wrong = []
    for member in MEMBERS:
        account = cast.accounts[member]
        for kind, (visible_to, seen) in SEEN.items():
            listed = set(visible_to(account).values_list("pk", flat=True))
            for row in visible_to(account).model.objects.all():
                if (row.pk in listed) != bool(seen(account, row)):
                    wrong.append((member, kind, row.pk, row.pk in listed))
    return wrong


@pytest.fixture
def mixed(cast) -> Cast:
    """The cast, with a credit note, payments, a Relevé 24 and requests besides."""
    staff = cast.accounts["staff"]
    credit_invoice(cast.invoices["lea_by_marie"], actor=staff, reason="Séance annulée")
    for name in ("paul_own", "by_delegate", "lea_by_jf"):
        invoice = cast.invoices[name]
        record_payment(invoice, amount=invoice.total, method=PaymentMethod.CHEQUE, actor=staff)
    lea, marie = cast.dossiers["lea"], cast.dossiers["marie"]
    issue_slip(year=2025, payer=marie, child=lea, amount=Decimal("200.00"), has_sin=True)
    ChangeRequestFactory(
        submitted_by=cast.accounts["guardian"], dossier=lea, submitter_holds_the_dossier=False
    )
    DossierNumberRequestFactory(submitted_by=cast.accounts["outsider"])
    return cast


def test_every_visible_to_agrees_with_the_api(mixed):
    assert _disagreements(mixed) == []
    # and the data set is mixed: each member sees some rows and misses others
    for member in ("holder", "guardian", "second_guardian", "delegate"):
        account = mixed.accounts[member]
        assert Invoice.objects.visible_to(account).exists()
        assert Invoice.objects.visible_to(account).count() < Invoice.objects.count()


def test_every_visible_to_agrees_with_the_api_where_guardians_share(mixed, sharing):
    sharing()
    assert _disagreements(mixed) == []
    second = mixed.accounts["second_guardian"]
    assert Registration.objects.visible_to(second).filter(registered_by__first_name="Marie")


# A new kind of grant, from outside dossiers --------------------------------------------------
def test_a_grant_source_registered_elsewhere_counts_everywhere(cast, monkeypatch):
    """What the organizations app will do: a relation with dates, read-only on one subject.
    Here Olivier reads Paul's registrations during April 2026, and only then."""
    olivier, paul = cast.accounts["outsider"], cast.dossiers["paul"]

    def april_relations(account: Any, day: datetime.date) -> Any:
        """Olivier's relation to Paul's file, in force from April 1 to April 30, 2026."""
        april = datetime.date(2026, 4, 1) <= day <= datetime.date(2026, 4, 30)
        in_force = account.pk == olivier.pk and april
        return Dossier.objects.filter(pk=paul.pk if in_force else None).annotate(
            dossier=F("pk"),
            right=Value(Right.DELEGATE),
            access=Value(grants.Access.READ),
            subject=Value(grants.Subject.REGISTRATIONS),
            others=Value(grants.Access.READ),
        )

    monkeypatch.setattr(grants, "_SOURCES", list(grants._SOURCES))
    grants.register_source(april_relations)
    paul_own = cast.registrations["paul_own"]
    read = permissions.READ_REGISTRATIONS

    with time_machine.travel(datetime.datetime(2026, 4, 15, 12, tzinfo=datetime.UTC)):
        assert permissions.right_over(olivier, paul, act=read) == DELEGATE
        assert permissions.right_over(olivier, paul, act=permissions.REGISTER) is None  # read only
        assert permissions.right_over(olivier, paul) is None  # not the profile
        assert paul_own in Registration.objects.visible_to(olivier)
        assert paul not in Dossier.objects.for_account(olivier)
    with time_machine.travel(datetime.datetime(2026, 5, 2, 12, tzinfo=datetime.UTC)):
        assert permissions.right_over(olivier, paul, act=read) is None
        assert paul_own not in Registration.objects.visible_to(olivier)
