"""One-click unsubscribe (RFC 8058) from the email's own header, with no session: the
withdrawal is recorded like any consent (append-only, audited as coming from the link)."""

from __future__ import annotations

import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.core.mail import dispatch
from guichet.privacy.models import Consent, MailingList
from guichet.privacy.services import granted_lists, record_consents
from guichet.privacy.services.unsubscribing import list_headers, token_for
from tests.billing.cast import holder
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(password):
    account, file = holder(password=password)
    newsletter = MailingList.objects.create(
        name="Infolettre", name_en="Newsletter", wording="J'accepte l'infolettre."
    )
    record_consents(file, {newsletter: True}, actor=account)
    return account, file, newsletter


def test_one_click_from_the_emails_header_withdraws_without_a_session(
    client, subscribed, mailbox, django_capture_on_commit_callbacks
):
    account, file, newsletter = subscribed
    message = EmailMultiAlternatives(
        "L'infolettre de décembre",
        "Bonjour",
        to=[file.email],
        headers=list_headers(file, newsletter),
    )
    with django_capture_on_commit_callbacks(execute=True):
        dispatch(message)
    received = mailbox.wait_for(file.email, "infolettre")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(.+)>", re.sub(r"\s+", "", received["List-Unsubscribe"])).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]

    response = client.post(
        "/" + path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert granted_lists(file) == set()
    withdrawal = Consent.objects.filter(dossier=file).order_by("-id").first()
    assert withdrawal.granted is False and withdrawal.recorded_by is None
    event = AuditEvent.objects.filter(action=Action.CONSENT_CHANGED).order_by("-id").first()
    assert event.dossier == file and event.actor is None
    assert event.data["via"] == "email_link"
    assert event.data["lists"] == [{"list": newsletter.pk, "name": "Infolettre", "granted": False}]

    client.post(
        "/" + path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert Consent.objects.filter(dossier=file).count() == 2  # a second click records nothing


def test_the_link_opened_in_a_browser_asks_before_withdrawing(client, subscribed):
    __, file, newsletter = subscribed
    url = reverse("unsubscribe", args=[token_for(file, newsletter)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Infolettre" in text_of(page)
    assert granted_lists(file) == {newsletter.pk}
    assert "Vous êtes désabonné" in text_of(client.post(url))
    assert granted_lists(file) == set()


def test_a_forged_or_altered_link_is_404(client, subscribed):
    __, file, newsletter = subscribed
    token = token_for(file, newsletter)
    assert client.post(reverse("unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("unsubscribe", args=["pas-un-jeton"])).status_code == 404
    assert granted_lists(file) == {newsletter.pk}
