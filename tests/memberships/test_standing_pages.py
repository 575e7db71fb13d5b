"""« Devenir membre » in « Mon dossier »: the statuses as COMAQ's guide shows them, the
renewal button, and the members' note on « Mes abonnements»; French and English."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from guichet.dossiers.services.identity import mirror_membership
from guichet.memberships.models import Membership, MembershipStatus
from tests.billing.cast import holder
from tests.memberships.cast import member_types

pytestmark = pytest.mark.django_db


def signed_in(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def test_a_participant_is_a_site_user_not_yet_a_member():
    account, _dossier = holder()
    member_types()
    page = signed_in(account).get(reverse("memberships:standing")).content.decode()
    assert "Votre statut :" in page and "Utilisateur du site" in page
    assert "Type de membre :" in page and "Pas encore membre" in page
    assert reverse("memberships:apply", args=[1]) in page
    home = signed_in(account).get(reverse("dossiers:home")).content.decode()
    assert "Devenir membre" in home  # in « Mon dossier »'s menu


def test_a_member_sees_type_end_date_renewal_and_the_subscriptions_note():
    account, dossier = holder()
    regular = member_types()["membre-regulier"]
    ends_on = date(2027, 12, 31)
    Membership.objects.create(
        dossier=dossier,
        member_type=regular,
        status=MembershipStatus.ACTIVE,
        starts_on=date(2027, 1, 1),
        ends_on=ends_on,
        grace_ends_on=ends_on + timedelta(days=30),
        fee=regular.fee,
    )
    mirror_membership(dossier, ends_on)
    with time_machine.travel(datetime(2027, 12, 24, 10, tzinfo=ZoneInfo("America/Montreal"))):
        client = signed_in(account)
        page = client.get(reverse("memberships:standing")).content.decode()
        assert "Membre régulier" in page and "31 décembre 2027" in page
        assert "Renouveler mon adhésion" in page
        notes = client.get(reverse("dossiers:subscriptions")).content.decode()
        assert "NOTE AUX MEMBRES" in notes
        account.language = "en"
        account.save(update_fields=["language"])
        page = client.get(reverse("memberships:standing")).content.decode()
        assert "Regular member" in page and "Renew my membership" in page


def test_the_public_page_shows_both_paths_and_the_member_types():
    member_types()
    page = Client().get(reverse("memberships:standing")).content.decode()
    assert "Formulaire d&#x27;adhésion" in page or "Formulaire d'adhésion" in page
    assert "Membre retraité" in page and "Membre étudiant" in page
    assert "Créer votre dossier de participant" in page
