"""« Mes intérêts »: the topics staff offer, saved on the profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import Interest, Profile
from tests.dossiers.factories import DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client):
    link = DossierLinkFactory()
    client.force_login(link.account)
    return link


@pytest.fixture
def offered():
    return [
        Interest.objects.create(name="Gestion financière", position=1),
        Interest.objects.create(name="Urbanisme", position=2),
        Interest.objects.create(name="Ressources humaines", position=3),
    ]


def test_choosing_interests_saves_them_on_the_profile_and_audits(client, link, offered):
    response = client.post(
        reverse("dossiers:interests"), {"interests": [offered[0].pk, offered[2].pk]}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(dossier=link.dossier)
    assert set(profile.interests.all()) == {offered[0], offered[2]}
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert event.data["before"] == {"interests": []}
    assert event.data["after"] == {"interests": ["Gestion financière", "Ressources humaines"]}


def test_unchecking_every_interest_clears_them(client, link, offered):
    client.post(reverse("dossiers:interests"), {"interests": [offered[1].pk]})
    client.post(reverse("dossiers:interests"), {})
    assert not Profile.objects.get(dossier=link.dossier).interests.exists()


def test_only_offered_interests_are_shown_and_accepted(client, link, offered):
    retired = Interest.objects.create(name="Sujet retiré", active=False)
    html = text_of(client.get(reverse("dossiers:interests")))
    assert "Urbanisme" in html and "Sujet retiré" not in html
    response = client.post(reverse("dossiers:interests"), {"interests": [retired.pk]})
    assert response.status_code == 200
    assert not Profile.objects.filter(dossier=link.dossier, interests=retired).exists()


def test_page_query_count(client, link, offered, django_assert_max_num_queries):
    for position in range(10):
        Interest.objects.create(name=f"Sujet {position}", position=10 + position)
    client.post(reverse("dossiers:interests"), {"interests": [offered[0].pk]})
    # 7 for the session, account and allauth's session record; link, profile, chosen, offered.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dossiers:interests"))
    assert response.status_code == 200
