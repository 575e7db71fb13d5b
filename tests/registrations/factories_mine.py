"""Offerings and registrations made directly with the ORM, for the reading side's tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.catalog.models import Offering, OfferingDocument, OfferingKind, Session
from guichet.registrations.models import Registration, RegistrationStatus
from tests.dossiers.factories import DossierFactory, DossierLinkFactory


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    kind = OfferingKind.TRAINING
    title = factory.Sequence(lambda n: f"Gestion documentaire municipale {n}")
    slug = factory.Sequence(lambda n: f"formation-{n}")
    code = factory.Sequence(lambda n: f"F{100 + n}")
    place = "Québec"
    starts_on = factory.LazyFunction(lambda: days_from_today(30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=1))
    capacity = 30
    member_price = Decimal("100.00")
    non_member_price = Decimal("125.00")
    hours = Decimal("7.0")
    registration_opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=10)
    )
    registration_closes_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=20)
    )
    change_deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    published = True


class EventFactory(OfferingFactory):
    kind = OfferingKind.EVENT
    title = factory.Sequence(lambda n: f"Congrès annuel {n}")
    slug = factory.Sequence(lambda n: f"evenement-{n}")
    hours = None


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    offering = factory.SubFactory(OfferingFactory)
    starts_at = factory.LazyAttribute(
        lambda s: timezone.make_aware(
            datetime.datetime.combine(s.offering.starts_on, datetime.time(9))
        )
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=7))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferingDocument

    offering = factory.SubFactory(OfferingFactory)
    title = "Cahier du participant"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 cahier", name="cahier.pdf"))
    after_attendance = False


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    offering = factory.SubFactory(OfferingFactory)
    participant = factory.SubFactory(DossierFactory)
    registered_by = factory.SubFactory("tests.factories.AccountFactory")
    right = "self"
    status = RegistrationStatus.CONFIRMED
    unit_price = Decimal("125.00")


def holder_of(account, **dossier_fields):
    """Link a fresh dossier to the account as its holder and return the dossier."""
    return DossierLinkFactory(account=account, dossier=DossierFactory(**dossier_fields)).dossier
