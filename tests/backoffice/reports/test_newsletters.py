"""Newsletters (role Administration): only to the people who consent (CASL), in each one's
language, with the privacy app's one-click unsubscribe that works signed out; recorded and
audited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guichet.audit.models import AuditEvent
from guichet.backoffice.models import Newsletter, NewsletterRecipient
from guichet.core.roles import Role
from guichet.privacy.models import MailingList
from guichet.privacy.services import granted_lists, record_consents
from tests.billing.cast import holder
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

PAGE = reverse("backoffice:newsletters")
LETTER = {
    "subject": "Programmation d'hiver",
    "body": "Les inscriptions ouvrent le 5 janvier.",
    "subject_en": "Winter programme",
    "body_en": "Registration opens on January 5.",
}


@pytest.fixture
def cast(staff_with):
    newsletter = MailingList.objects.create(
        name="Infolettre des loisirs", name_en="Recreation newsletter", wording="J'accepte."
    )
    other = MailingList.objects.create(name="Alertes", wording="J'accepte les alertes.")
    french, french_file = holder(email="francine@exemple.ca", language="fr")
    english, english_file = holder(email="edward@example.com", language="en")
    _withdrawn, withdrawn_file = holder(email="retire@exemple.ca")
    _never, never_file = holder(email="jamais@exemple.ca")
    _elsewhere, elsewhere_file = holder(email="ailleurs@exemple.ca")
    record_consents(french_file, {newsletter: True}, actor=french)
    record_consents(english_file, {newsletter: True}, actor=english)
    record_consents(withdrawn_file, {newsletter: True}, actor=_withdrawn)
    record_consents(withdrawn_file, {newsletter: False}, actor=_withdrawn)
    record_consents(elsewhere_file, {other: True}, actor=_elsewhere)
    return {
        "admin": staff_with(Role.ADMINISTRATION),
        "list": newsletter,
        "french": french_file,
        "english": english_file,
        "never": never_file,
    }


def test_only_those_who_consent_receive_it_in_their_language(
    client, cast, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"mailing_list": cast["list"].pk, **LETTER})
    sent = Newsletter.objects.get()
    assert response["Location"] == reverse("backoffice:newsletter", args=[sent.pk])
    assert sent.recipients_count == 2
    assert set(NewsletterRecipient.objects.values_list("dossier__email", "language")) == {
        ("francine@exemple.ca", "fr"),
        ("edward@example.com", "en"),
    }
    french = mailbox.wait_for("francine@exemple.ca", "Programmation d'hiver")
    english = mailbox.wait_for("edward@example.com", "Winter programme")
    assert "Les inscriptions ouvrent le 5 janvier." in mailbox.body(french)
    assert "Infolettre des loisirs" in mailbox.body(french)
    assert "Registration opens on January 5." in mailbox.body(english)
    assert "Recreation newsletter" in mailbox.body(english)
    addressed = {message["To"] for message in mailbox.messages}
    assert addressed == {"francine@exemple.ca", "edward@example.com"}

    # The one-click unsubscribe of RFC 8058, from the email's header, signed out.
    client.logout()
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(.+)>", re.sub(r"\s+", "", english["List-Unsubscribe"])).group(1)
    assert url in mailbox.body(english)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert granted_lists(cast["english"]) == set()

    event = AuditEvent.objects.get(action="backoffice.newsletter_sent")
    assert event.actor == cast["admin"]
    assert event.right == "staff"
    assert event.data["role"] == "administration" and event.data["recipients"] == 2


def test_english_falls_back_to_french(client, cast, mailbox, django_capture_on_commit_callbacks):
    client.force_login(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            PAGE, {"mailing_list": cast["list"].pk, "subject": "Avis", "body": "Piscine fermée."}
        )
    english = mailbox.wait_for("edward@example.com", "Avis")
    assert "Piscine fermée." in mailbox.body(english)


def test_a_missing_subject_is_explained_and_the_message_kept(client, cast):
    client.force_login(cast["admin"])
    response = client.post(PAGE, {"mailing_list": cast["list"].pk, "body": "Texte gardé."})
    assert response.status_code == 400
    html = text_of(response)
    assert "Ce champ est obligatoire." in html
    assert "Texte gardé." in html
    assert not Newsletter.objects.exists()


@pytest.mark.parametrize("role", [Role.ACCOUNTING, Role.REGISTRAR, Role.COUNTER, Role.PRIVACY])
def test_other_roles_get_a_404(client, staff_with, cast, role):
    client.force_login(staff_with(role))
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"mailing_list": cast["list"].pk, **LETTER}).status_code == 404
    assert not Newsletter.objects.exists()


def test_the_page_counts_who_consents(client, cast):
    client.force_login(cast["admin"])
    html = " ".join(text_of(client.get(PAGE)).split())
    assert '<th scope="row">Infolettre des loisirs</th><td class="num">2</td>' in html
    assert '<th scope="row">Alertes</th><td class="num">1</td>' in html
