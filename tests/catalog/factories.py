from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from guichet.catalog.models import (
    Offering,
    OfferingDocument,
    OfferingKind,
    Option,
    OptionKind,
    Question,
    Session,
)


class OfferingFactory(factory.django.DjangoModelFactory):
    """A published activity, open for registration now, starting in a month."""

    class Meta:
        model = Offering

    kind = OfferingKind.ACTIVITY
    title = factory.Sequence(lambda n: f"Activité {n}")
    slug = factory.Sequence(lambda n: f"activite-{n}")
    summary = "Une activité pour tous."
    description = "Description de l'activité."
    place = "Centre communautaire des Érables"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=49))
    schedule = "mardis 18 h 30"
    capacity = 20
    member_price = Decimal("65.00")
    non_member_price = Decimal("95.00")
    registration_opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=1)
    )
    registration_closes_at = factory.LazyAttribute(
        lambda o: o.registration_opens_at + datetime.timedelta(days=20)
    )
    change_deadline = factory.LazyAttribute(
        lambda o: o.registration_opens_at + datetime.timedelta(days=10)
    )
    published = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    offering = factory.SubFactory(OfferingFactory)
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(
            datetime.datetime.combine(o.offering.starts_on, datetime.time(18, 30))
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    offering = factory.SubFactory(OfferingFactory)
    kind = OptionKind.OPTION
    name = factory.Sequence(lambda n: f"Option {n}")
    price = Decimal("150.00")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    offering = factory.SubFactory(OfferingFactory)
    label = factory.Sequence(lambda n: f"Question {n}")


class OfferingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferingDocument

    offering = factory.SubFactory(OfferingFactory)
    title = factory.Sequence(lambda n: f"Cahier du participant {n}")
    file = factory.django.FileField(filename="cahier.pdf", data=b"%PDF-1.4 demo")
