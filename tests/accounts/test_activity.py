"""The audit trail: a person reads their own account's activity, nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_sign_in_is_recorded_with_where_from(client, account, password):
    client.post(reverse("account_login"), {"login": account.email, "password": password})
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert (event.actor, event.subject, event.ip_address) == (account, account, "127.0.0.1")


def test_activity_page_shows_only_my_events(client, account, outsider, password):
    client.post(reverse("account_login"), {"login": outsider.email, "password": password})
    client.logout()
    client.post(reverse("account_login"), {"login": account.email, "password": password})

    response = client.get(reverse("accounts:activity"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Connexion au compte" in html or "Connexion" in html
    mine = AuditEvent.objects.concerning(account).count()
    assert list(response.context["page"].object_list) == list(
        AuditEvent.objects.concerning(account)
    )
    assert mine >= 1
    assert not any(e.subject == outsider for e in response.context["page"].object_list)


def test_activity_page_query_count_is_flat(client, account, django_assert_max_num_queries):
    client.force_login(account)
    client.get(reverse("accounts:activity"))  # the session's first request records it
    for _ in range(30):
        AuditEvent.objects.create(action=Action.LOGIN, actor=account, subject=account)
    # session, account, allauth's session tracking (2 savepoints, 3 queries), count, and
    # one query for the page of 25 events with their people: none per row.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("accounts:activity"))
    assert len(response.context["page"].object_list) == 25
