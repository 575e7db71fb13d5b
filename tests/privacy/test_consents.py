"""Consents are append-only, with the exact wording shown, its language, time, who and where."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.privacy.models import Consent, MailingList
from guichet.privacy.services import (
    granted_lists,
    record_consents,
    unsubscribing,
    wording_fingerprint,
)
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def answers(lists, *checked):
    """The form as the page sends it: the fingerprint of each wording shown, the boxes ticked."""
    data = {f"shown_{ml.pk}": wording_fingerprint(ml.wording) for ml in lists}
    data.update({f"list_{ml.pk}": "on" for ml in checked})
    return data


@pytest.fixture
def lists():
    return [
        MailingList.objects.create(
            name="Infolettre",
            name_en="Newsletter",
            wording="J'accepte de recevoir l'infolettre mensuelle.",
            wording_en="I agree to receive the monthly newsletter.",
            position=1,
        ),
        MailingList.objects.create(
            name="Formations", wording="J'accepte de recevoir les offres de formation.", position=2
        ),
    ]


def test_a_change_adds_a_row_with_the_wording_and_language(account, lists):
    dossier = DossierFactory()
    rows = record_consents(dossier, {lists[0]: True, lists[1]: False}, actor=account, language="fr")
    assert len(rows) == 1  # the second list was never granted: no change, no row
    consent = Consent.objects.get()
    assert consent.granted is True
    assert consent.wording == "J'accepte de recevoir l'infolettre mensuelle."
    assert consent.language == "fr"
    assert consent.recorded_by == account
    assert consent.recorded_at is not None
    assert granted_lists(dossier) == {lists[0].pk}


def test_english_wording_is_recorded_when_shown_in_english(account, lists):
    dossier = DossierFactory()
    record_consents(dossier, {lists[0]: True}, actor=account, language="en")
    assert Consent.objects.get().wording == "I agree to receive the monthly newsletter."


def test_withdrawal_appends_a_row_and_the_latest_is_in_force(account, lists):
    dossier = DossierFactory()
    record_consents(dossier, {lists[0]: True}, actor=account, language="fr")
    record_consents(dossier, {lists[0]: False}, actor=account, language="fr")
    assert Consent.objects.filter(dossier=dossier).count() == 2
    assert granted_lists(dossier) == set()
    assert record_consents(dossier, {lists[0]: False}, actor=account, language="fr") == []


def test_subscriptions_page_records_consents_with_ip_and_audit(client, lists):
    link = DossierLinkFactory()
    client.force_login(link.account)
    page = client.get(reverse("dossiers:subscriptions")).content.decode()
    assert "J&#x27;accepte de recevoir l&#x27;infolettre mensuelle." in page
    response = client.post(
        reverse("dossiers:subscriptions"), answers(lists, lists[1]), REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.mailing_list == lists[1]
    assert consent.granted is True
    assert consent.wording == "J'accepte de recevoir les offres de formation."
    assert consent.ip_address == "203.0.113.9"
    assert consent.recorded_by == link.account
    event = AuditEvent.objects.get(action=Action.CONSENT_CHANGED)
    assert event.dossier == link.dossier
    assert event.data["lists"] == [{"list": lists[1].pk, "name": "Formations", "granted": True}]
    # The page now shows the box checked; unchecking records a withdrawal.
    page = client.get(reverse("dossiers:subscriptions")).content.decode()
    assert re.search(rf'<input type="checkbox" name="list_{lists[1].pk}"[^>]* checked', page)
    assert not re.search(rf'<input type="checkbox" name="list_{lists[0].pk}"[^>]* checked', page)
    client.post(reverse("dossiers:subscriptions"), answers(lists))
    assert list(Consent.objects.order_by("id").values_list("granted", flat=True)) == [True, False]


def test_a_wording_changed_while_reading_is_refused_and_shown_again(client, lists):
    link = DossierLinkFactory()
    client.force_login(link.account)
    stale = answers(lists, lists[0])
    lists[0].wording = "J'accepte de recevoir l'infolettre et les offres de nos partenaires."
    lists[0].save()
    response = client.post(reverse("dossiers:subscriptions"), stale)
    assert response.status_code == 200
    html = text_of(response)
    assert "Le libellé d'un abonnement a changé pendant que vous le lisiez." in html
    assert "offres de nos partenaires" in html
    assert not Consent.objects.exists()
    # The page now carries the new wording's fingerprint: saving again records it.
    fingerprint = wording_fingerprint(lists[0].wording)
    assert f'value="{fingerprint}"' in html
    client.post(reverse("dossiers:subscriptions"), answers(lists, lists[0]))
    assert Consent.objects.get().wording == lists[0].wording


def test_inactive_lists_are_not_offered(client, lists):
    lists[0].active = False
    lists[0].save()
    link = DossierLinkFactory()
    client.force_login(link.account)
    page = client.get(reverse("dossiers:subscriptions")).content.decode()
    assert "Infolettre" not in page and "Formations" in page


def test_subscriptions_page_query_count(client, django_assert_max_num_queries):
    link = DossierLinkFactory()
    for position in range(8):
        mailing_list = MailingList.objects.create(
            name=f"Liste {position}", wording=f"J'accepte la liste {position}.", position=position
        )
        record_consents(link.dossier, {mailing_list: True}, actor=link.account, language="fr")
    client.force_login(link.account)
    client.get(reverse("dossiers:subscriptions"))
    # 7 for the session, the account and allauth's session record; link, lists, consents.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("dossiers:subscriptions"))
    assert response.status_code == 200


def test_each_purpose_shows_its_wording_and_its_history_with_how(client, lists, staff):
    """« Mes abonnements »: every purpose off until given; then each change, when and how
    (this page, an email's one-click link, our staff), with the wording of the time."""
    link = DossierLinkFactory()
    client.force_login(link.account)
    page = text_of(client.get(reverse("dossiers:subscriptions")))
    assert page.count("jamais donné (désactivé tant que vous ne cochez pas la case)") == 2
    assert "Historique" not in page

    client.post(reverse("dossiers:subscriptions"), answers(lists, lists[0]))
    mailing_list = lists[0]
    unsubscribing.unsubscribe(unsubscribing.token_for(link.dossier, mailing_list))
    record_consents(
        link.dossier, {mailing_list: True}, actor=staff, right=Right.STAFF, language="fr"
    )
    mailing_list.wording = "J'accepte l'infolettre et les offres de nos partenaires."
    mailing_list.save()

    page = text_of(client.get(reverse("dossiers:subscriptions")))
    assert "Votre consentement : donné." in page
    assert "Historique (3 changements)" in page
    entries = re.findall(r"(Donné|Retiré) — [^—]+ — ([^<\n«]+)", page)
    assert [(what, how.strip()) for what, how in entries] == [
        ("Donné", "par notre personnel"),
        ("Retiré", "par le lien d'un courriel, en un clic"),
        ("Donné", "dans"),
    ]
    assert "Libellé d'alors : « J'accepte de recevoir l'infolettre mensuelle. »" in page
    assert "J'accepte l'infolettre et les offres de nos partenaires." in page  # the box now
    # The second purpose was never answered: still off, and it says so.
    assert "Votre consentement : jamais donné" in page
    assert list(
        Consent.objects.filter(mailing_list=mailing_list)
        .order_by("id")
        .values_list("channel", flat=True)
    ) == ["page", "email_link", "staff"]
