"""Refusals of a number and birth date read the same until the pair is proven.

Before, « Seuls les enfants de moins de 18 ans… » and « Le titulaire du compte doit avoir
18 ans ou plus » appeared only when the pair was right, telling a guesser that it was.
They now appear only once the pair is proven by the code sent to the address on file;
until then every refusal reads like a wrong answer. Linking attempts also count per
client address."""

from __future__ import annotations

import datetime
import re

import pytest

from guichet.dossiers.models import DossierLink, LinkAttempt
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

ACTIVATE = "/mon-dossier/activer/numero/"
ADD = "/mon-dossier/famille/ajouter/"
CONFIRM = "/mon-dossier/activer/confirmation/"
ADULT_RULE = "Le titulaire du compte doit avoir 18 ans ou plus"
CHILDREN_ONLY = "Seuls les enfants de moins de 18 ans"


def refusal(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


@pytest.fixture
def adult():
    return DossierFactory(number="104601", birth_date=datetime.date(1979, 11, 3))


@pytest.fixture
def child():
    return ChildDossierFactory(number="104524", birth_date=datetime.date(2015, 9, 14))


def test_adding_an_adult_reads_like_a_wrong_birth_date(client, account, adult, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    client.force_login(account)
    right_pair = client.post(ADD, {"number": "104601", "birth_date": "1979/11/03"})
    wrong_pair = client.post(ADD, {"number": "104601", "birth_date": "1979/11/04"})
    unknown = client.post(ADD, {"number": "999999", "birth_date": "1979/11/03"})

    assert refusal(right_pair) == refusal(wrong_pair) == refusal(unknown)
    assert CHILDREN_ONLY not in text_of(right_pair)
    assert not DossierLink.objects.exists()


def test_a_child_as_holder_reads_like_a_wrong_birth_date(client, account, child, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    client.force_login(account)
    right_pair = client.post(ACTIVATE, {"number": "104524", "birth_date": "2015/09/14"})
    wrong_pair = client.post(ACTIVATE, {"number": "104524", "birth_date": "2015/09/15"})

    assert refusal(right_pair) == refusal(wrong_pair)
    assert ADULT_RULE not in text_of(right_pair)
    assert not DossierLink.objects.exists()


def test_the_generic_refusal_states_the_rules_without_saying_which_applies(
    client, account, settings
):
    settings.GUICHET_PRESET = "baie-comeau"
    client.force_login(account)
    page = text_of(client.post(ADD, {"number": "999999", "birth_date": "1979/11/03"}))
    assert "Vérifiez le numéro de dossier et la date de naissance" in page
    assert "moins de 18 ans" in page


def test_an_account_that_holds_a_dossier_learns_nothing_from_a_guess(client, account, adult):
    DossierLinkFactory(account=account, dossier=DossierFactory())
    client.force_login(account)
    right_pair = client.post(ACTIVATE, {"number": "104601", "birth_date": "1979/11/03"})
    wrong_pair = client.post(ACTIVATE, {"number": "104601", "birth_date": "1979/11/04"})
    assert refusal(right_pair) == refusal(wrong_pair)
    assert "Votre compte est déjà lié à votre propre dossier" in text_of(wrong_pair)


def code_from(mailbox, address: str) -> str:
    body = mailbox.body(mailbox.wait_for(address, "code de confirmation"))
    return re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1)


def test_once_the_code_proves_the_pair_the_adult_rule_is_explained(
    client, account, mailbox, django_capture_on_commit_callbacks
):
    ChildDossierFactory(
        number="104530", birth_date=datetime.date(2015, 9, 14), email="lea@exemple.ca"
    )
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"number": "104530", "birth_date": "2015/09/14"})
    assert response["Location"] == CONFIRM  # like any right pair with an address on file

    page = text_of(client.post(CONFIRM, {"code": code_from(mailbox, "lea@exemple.ca")}))
    assert ADULT_RULE in page
    assert not DossierLink.objects.exists()


def test_once_the_code_proves_the_pair_the_children_rule_is_explained(
    client, account, mailbox, django_capture_on_commit_callbacks
):
    DossierFactory(number="104602", birth_date=datetime.date(1979, 11, 3), email="emile@exemple.ca")
    client.force_login(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, {"number": "104602", "birth_date": "1979/11/03"})
    assert response["Location"] == CONFIRM

    page = text_of(client.post(CONFIRM, {"code": code_from(mailbox, "emile@exemple.ca")}))
    assert CHILDREN_ONLY in page
    assert not DossierLink.objects.exists()


# Per client address ------------------------------------------------------------------------
def test_attempts_count_per_client_address_across_accounts(client, adult, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    here = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(4):  # four accounts, five failures each: none reaches its own limit
        client.force_login(AccountFactory())
        for day in range(1, 6):
            client.post(ACTIVATE, {"number": f"90000{day}", "birth_date": "1979/11/03"}, **here)
    assert LinkAttempt.objects.filter(ip_address="203.0.113.7", succeeded=False).count() == 20

    newcomer = AccountFactory()
    client.force_login(newcomer)
    page = text_of(client.post(ACTIVATE, {"number": "104601", "birth_date": "1979/11/03"}, **here))
    assert "Trop de tentatives" in page
    assert not DossierLink.objects.exists()

    elsewhere = {"REMOTE_ADDR": "198.51.100.4"}
    client.post(ACTIVATE, {"number": "104601", "birth_date": "1979/11/03"}, **elsewhere)
    assert DossierLink.objects.filter(account=newcomer).exists()
