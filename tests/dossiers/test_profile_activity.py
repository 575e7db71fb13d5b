"""« Activité de mon dossier »: the audit events of the held dossier, who acted and how."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client):
    link = DossierLinkFactory()
    client.force_login(link.account)
    return link


def test_shows_the_events_of_my_dossier_with_who_and_under_which_right(client, link, staff):
    record(
        Action.DOSSIER_LINKED,
        actor=staff,
        subject=link.account,
        dossier=link.dossier,
        right=Right.STAFF,
    )
    record(Action.PROFILE_CHANGED, actor=link.account, dossier=link.dossier)
    record(Action.PROFILE_CHANGED, actor=staff, dossier=DossierFactory(), right=Right.STAFF)
    html = text_of(client.get(reverse("dossiers:activity")))
    assert "Activité de mon dossier" in html
    assert staff.get_full_name() in html
    assert "Vous" in html
    assert html.count("<tr><td>") == 2  # the other dossier's event is not shown


def test_activity_is_paginated(client, link):
    for _ in range(30):
        record(Action.PROFILE_CHANGED, actor=link.account, dossier=link.dossier)
    first = text_of(client.get(reverse("dossiers:activity")))
    assert first.count("<tr><td>") == 25
    second = text_of(client.get(reverse("dossiers:activity"), {"page": 2}))
    assert second.count("<tr><td>") == 5


def test_page_query_count_does_not_grow_with_events(
    client, link, staff, django_assert_max_num_queries
):
    for index in range(25):
        actor = staff if index % 2 else link.account
        record(Action.PROFILE_CHANGED, actor=actor, dossier=link.dossier)
    client.get(reverse("dossiers:activity"))
    # 7 for the session, account and allauth's session record; link, count, events.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("dossiers:activity"))
    assert response.status_code == 200
