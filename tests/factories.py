from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from guichet.accounts.models import Account


class AccountFactory(factory.django.DjangoModelFactory):
    """A confirmed account (verified primary email), ready to sign in."""

    class Meta:
        model = Account
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fr_CA")
    last_name = factory.Faker("last_name", locale="fr_CA")
    email = factory.Sequence(lambda n: f"personne{n}@exemple.ca")
    language = "fr"
    terms_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or "Un mot de passe assez long 2026")
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
