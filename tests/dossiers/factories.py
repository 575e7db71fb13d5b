from __future__ import annotations

import datetime

import factory

from guichet.dossiers.models import Dossier, DossierKind, DossierLink, LinkMethod, LinkRole


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    number = factory.Sequence(lambda n: f"{10000 + n}")
    kind = DossierKind.PERSON
    first_name = factory.Faker("first_name", locale="fr_CA")
    last_name = factory.Faker("last_name", locale="fr_CA")
    birth_date = datetime.date(1985, 6, 15)
    email = factory.Sequence(lambda n: f"dossier{n}@exemple.ca")
    home_street = "123, rue Principale"
    home_city = "Baie-Comeau"
    home_province = "QC"
    home_postal_code = "G4Z 1A1"
    home_phone = "418 555-0100"
    language = "fr"


class ChildDossierFactory(DossierFactory):
    birth_date = datetime.date(2016, 3, 2)
    email = ""


class DossierLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierLink

    account = factory.SubFactory("tests.factories.AccountFactory")
    dossier = factory.SubFactory(DossierFactory)
    role = LinkRole.HOLDER
    method = LinkMethod.STAFF
