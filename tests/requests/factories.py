from __future__ import annotations

import factory

from guichet.dossiers.models import LinkRole
from guichet.requests.models import Request, RequestKind
from tests.dossiers.factories import DossierLinkFactory

NUMBER_REQUEST_DATA = {
    "first_name": "Mélanie",
    "last_name": "Tremblay",
    "birth_date": "1984-02-29",
    "street": "45, avenue Cartier",
    "city": "Baie-Comeau",
    "postal_code": "G4Z 1A1",
    "phone": "418 555-0199",
    "email": "melanie@exemple.ca",
    "family_members": "Léo Tremblay 2015/05/04",
}


class DossierNumberRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    kind = RequestKind.DOSSIER_NUMBER
    submitted_by = factory.SubFactory("tests.factories.AccountFactory")
    data = factory.LazyFunction(lambda: dict(NUMBER_REQUEST_DATA))


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = Request

    kind = RequestKind.DOSSIER_CHANGE
    submitted_by = factory.SubFactory("tests.factories.AccountFactory")
    dossier = factory.SubFactory("tests.dossiers.factories.DossierFactory")
    data = factory.LazyAttribute(
        lambda o: {
            "before": {
                "first_name": o.dossier.first_name,
                "last_name": o.dossier.last_name,
                "birth_date": o.dossier.birth_date.isoformat(),
            },
            "after": {
                "first_name": o.dossier.first_name,
                "last_name": "Nouveau-Nom",
                "birth_date": "1985-06-16",
            },
            "reason": "Nom changé à la suite d'un mariage.",
        }
    )

    @factory.post_generation
    def submitter_holds_the_dossier(
        self, create: bool, extracted: object, **kwargs: object
    ) -> None:
        """Only someone with a right over a dossier can ask to change it."""
        if create and extracted is not False:
            DossierLinkFactory(
                account=self.submitted_by, dossier=self.dossier, role=LinkRole.GUARDIAN
            )
