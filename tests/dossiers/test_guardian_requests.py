"""A child who already has a guardian: knowing the number and birth date only lets one ask.

An existing guardian accepts or refuses from the emailed link or « Ma famille »; staff
approve or refuse from the request queue; every guardian is told of an addition."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import (
    DossierLink,
    GuardianRequest,
    GuardianRequestStatus,
    LinkMethod,
    LinkRole,
)
from guichet.dossiers.services import guardians, linking
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

ADD = "/mon-dossier/famille/ajouter/"
FAMILY = "/mon-dossier/famille/"


@pytest.fixture(autouse=True)
def baie_comeau(settings):
    settings.GUICHET_PRESET = "baie-comeau"


@pytest.fixture
def child():
    return ChildDossierFactory(
        number="104524",
        first_name="Léa",
        last_name="Tremblay",
        birth_date=datetime.date(2015, 9, 14),
    )


@pytest.fixture
def first(child):
    """Marie, the guardian already linked to Léa."""
    marie = AccountFactory(first_name="Marie", last_name="Tremblay", email="marie@exemple.ca")
    DossierLinkFactory(account=marie, dossier=DossierFactory(number="104523"))
    DossierLinkFactory(account=marie, dossier=child, role=LinkRole.GUARDIAN)
    return marie


@pytest.fixture
def second():
    return AccountFactory(first_name="Jean-François", last_name="Gagnon", email="jf@exemple.ca")


def ask(actor, child, capture=None):
    return linking.link_by_number(
        actor=actor, number=child.number, birth_date=child.birth_date, role=LinkRole.GUARDIAN
    )


def emailed_link(mailbox, address: str, subject: str) -> str:
    body = mailbox.body(mailbox.wait_for(address, subject))
    return re.search(r"https?://\S+/famille/demandes/\S+", body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# Asking ---------------------------------------------------------------------------------
def test_second_guardian_waits_for_approval(first, second, child):
    outcome = ask(second, child)

    assert outcome.status == linking.Status.APPROVAL_NEEDED
    assert not DossierLink.objects.filter(account=second, dossier=child).exists()
    pending = GuardianRequest.objects.get(account=second, dossier=child)
    assert pending.status == GuardianRequestStatus.PENDING
    assert pending.token_hash and len(pending.token_hash) == 64
    submitted = AuditEvent.objects.get(action=Action.REQUEST_SUBMITTED)
    assert (submitted.actor, submitted.dossier) == (second, child)
    assert submitted.data["kind"] == "guardian_link"


def test_the_existing_guardian_is_emailed_a_link_to_accept_or_refuse(
    first, second, child, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(second, child)

    message = mailbox.wait_for("marie@exemple.ca", "tuteur")
    body = mailbox.body(message)
    assert "Jean-François Gagnon" in body and "jf@exemple.ca" in body
    assert "Léa" in body
    assert re.search(r"/mon-dossier/famille/demandes/\d+/[\w-]{20,}/", body)
    assert not mailbox.to("jf@exemple.ca")  # nothing about the child goes to the asker


def test_asking_again_does_not_make_a_second_request(first, second, child):
    ask(second, child)
    outcome = ask(second, child)
    assert outcome.status == linking.Status.APPROVAL_PENDING
    assert GuardianRequest.objects.count() == 1


def test_an_account_cannot_flood_guardians_with_requests(client, second):
    for _ in range(linking.GUARDIAN_REQUESTS_PER_DAY):
        other_child = ChildDossierFactory()
        DossierLinkFactory(dossier=other_child, role=LinkRole.GUARDIAN)
        assert ask(second, other_child).status == linking.Status.APPROVAL_NEEDED
    one_more = ChildDossierFactory(number="104599", birth_date=datetime.date(2016, 3, 2))
    DossierLinkFactory(dossier=one_more, role=LinkRole.GUARDIAN)

    client.force_login(second)
    page = text_of(client.post(ADD, {"number": "104599", "birth_date": "2016/03/02"}))
    assert "Vous avez envoyé trop de demandes aujourd'hui" in page
    assert GuardianRequest.objects.count() == linking.GUARDIAN_REQUESTS_PER_DAY


def test_a_child_without_a_guardian_is_still_linked_at_once(second):
    orphan = ChildDossierFactory()
    outcome = ask(second, orphan)
    assert outcome.status == linking.Status.LINKED


def test_a_guardian_whose_link_ended_does_not_count(first, second, child):
    DossierLink.objects.filter(account=first, dossier=child).update(
        ended_at=datetime.datetime.now(datetime.UTC)
    )
    assert ask(second, child).status == linking.Status.LINKED


def test_the_page_says_plainly_that_the_request_waits(client, first, second, child):
    client.force_login(second)
    form = text_of(client.get(ADD))
    assert "attend l'approbation d'un tuteur déjà lié" in form
    assert "ou celle de notre personnel" in form

    response = client.post(ADD, {"number": "104524", "birth_date": "2015/09/14"}, follow=True)
    page = text_of(response)
    assert "Votre demande a été envoyée" in page
    assert "104524" in page
    assert "Léa" not in page  # a stranger's request waits and sees nothing


def test_a_stranger_s_pending_request_shows_nothing_of_the_child(client, first, second, child):
    ask(second, child)
    client.force_login(second)

    page = text_of(client.get(FAMILY))
    assert "Léa" not in page and "Tremblay" not in page and "marie@exemple.ca" not in page
    assert "En attente d'approbation" in page
    assert client.get(reverse("dossiers:photo", args=[child.pk])).status_code == 404
    assert client.get(reverse("requests:change", args=[child.pk])).status_code == 404


def test_the_asker_can_withdraw_the_request(client, first, second, child):
    pending = ask(second, child).guardian_request
    client.force_login(second)
    client.post(reverse("dossiers:guardian_request_withdraw", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == GuardianRequestStatus.WITHDRAWN
    assert not GuardianRequest.objects.to_decide_by(first).exists()


def test_only_the_asker_can_withdraw(client, first, second, child):
    pending = ask(second, child).guardian_request
    url = reverse("dossiers:guardian_request_withdraw", args=[pending.pk])
    for someone in (first, AccountFactory()):
        client.force_login(someone)
        assert client.post(url).status_code == 404
    assert (
        client.post(reverse("dossiers:guardian_request_withdraw", args=[999999])).status_code == 404
    )
    pending.refresh_from_db()
    assert pending.status == GuardianRequestStatus.PENDING


# The existing guardian decides ------------------------------------------------------------
def test_the_existing_guardian_accepts_from_the_emailed_link(
    client, first, second, child, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(second, child)
    url = path_of(emailed_link(mailbox, "marie@exemple.ca", "tuteur"))
    client.force_login(first)

    page = text_of(client.get(url))
    assert "Jean-François Gagnon" in page
    assert "Accepter" in page and "Refuser" in page
    assert not DossierLink.objects.filter(account=second).exists()  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    link = DossierLink.objects.get(account=second, dossier=child)
    assert (link.role, link.method) == (LinkRole.GUARDIAN, LinkMethod.GUARDIAN_APPROVAL)
    pending = GuardianRequest.objects.get()
    assert (pending.status, pending.decided_by, pending.decided_as) == (
        GuardianRequestStatus.APPROVED,
        first,
        Right.GUARDIAN,
    )
    linked = AuditEvent.objects.get(action=Action.DOSSIER_LINKED)
    assert (linked.actor, linked.subject, linked.right) == (first, second, Right.GUARDIAN)
    assert "accepté" in mailbox.wait_for("jf@exemple.ca", "accepté")["Subject"]
    # The link is single use: a second click is a dead end, not a second decision.
    assert client.post(url, {"decision": "refuse"}).status_code == 404


def test_the_emailed_link_is_a_404_for_anyone_but_an_existing_guardian(
    client, first, second, child, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(second, child)
    url = path_of(emailed_link(mailbox, "marie@exemple.ca", "tuteur"))
    other_parent = AccountFactory()
    DossierLinkFactory(account=other_parent, dossier=ChildDossierFactory(), role=LinkRole.GUARDIAN)

    for someone in (second, other_parent, AccountFactory()):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "accept"}).status_code == 404
    assert not DossierLink.objects.filter(account=second).exists()
    client.logout()
    assert "/compte/login/" in client.get(url)["Location"]


def test_the_emailed_link_expires_but_the_request_stays_in_ma_famille(
    client, first, second, child, mailbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 15, 0, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        ask(second, child)
    url = path_of(emailed_link(mailbox, "marie@exemple.ca", "tuteur"))
    time_machine.move_to(datetime.datetime(2026, 3, 9, 15, 1, tzinfo=datetime.UTC))
    client.force_login(first)

    assert client.get(url).status_code == 404
    page = text_of(client.get(FAMILY))
    assert "Jean-François Gagnon demande à être tuteur" in page


def test_a_wrong_token_is_a_404(client, first, second, child):
    pending = ask(second, child).guardian_request
    client.force_login(first)
    url = reverse("dossiers:guardian_request_link", args=[pending.pk, "x" * 26])
    assert client.get(url).status_code == 404


def test_the_existing_guardian_accepts_from_ma_famille(client, first, second, child):
    pending = ask(second, child).guardian_request
    client.force_login(first)
    page = text_of(client.get(FAMILY))
    assert "Jean-François Gagnon demande à être tuteur de Léa Tremblay" in page

    client.post(reverse("dossiers:guardian_request", args=[pending.pk]), {"decision": "accept"})
    assert DossierLink.objects.filter(account=second, dossier=child).exists()


def test_a_guardian_s_refusal_leaves_the_decision_to_staff(
    client, first, second, child, mailbox, django_capture_on_commit_callbacks
):
    pending = ask(second, child).guardian_request
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dossiers:guardian_request", args=[pending.pk]), {"decision": "refuse"})

    pending.refresh_from_db()
    assert pending.status == GuardianRequestStatus.PENDING
    assert (pending.objected_by, pending.objected_at is not None) == (first, True)
    assert not DossierLink.objects.filter(account=second).exists()
    assert not GuardianRequest.objects.to_decide_by(first).exists()
    body = mailbox.body(mailbox.wait_for("jf@exemple.ca", "personnel"))
    assert "Léa" not in body  # the asker still learns nothing of the child
    with pytest.raises(guardians.RequestClosed):
        guardians.accept_as_guardian(pending.pk, actor=first)


def test_only_a_guardian_of_that_child_decides_in_the_service(first, second, child):
    pending = ask(second, child).guardian_request
    for someone in (second, AccountFactory()):
        with pytest.raises(guardians.NotAllowed):
            guardians.accept_as_guardian(pending.pk, actor=someone)
    assert not DossierLink.objects.filter(account=second).exists()


# Staff decide -----------------------------------------------------------------------------
def test_staff_approve_and_every_guardian_is_told(
    first, second, child, staff, mailbox, django_capture_on_commit_callbacks
):
    pending = ask(second, child).guardian_request
    with django_capture_on_commit_callbacks(execute=True):
        guardians.approve_as_staff(pending.pk, actor=staff)

    link = DossierLink.objects.get(account=second, dossier=child)
    assert link.method == LinkMethod.STAFF
    pending.refresh_from_db()
    assert (pending.status, pending.decided_as, pending.link) == (
        GuardianRequestStatus.APPROVED,
        Right.STAFF,
        link,
    )
    told = mailbox.body(mailbox.wait_for("marie@exemple.ca", "ajouté"))
    assert "Jean-François Gagnon" in told
    assert reverse("requests:report_guardian", args=[link.pk]) in told
    mailbox.wait_for("jf@exemple.ca", "accepté")


def test_staff_refuse_with_a_reason_the_asker_receives(
    first, second, child, staff, mailbox, django_capture_on_commit_callbacks
):
    pending = ask(second, child).guardian_request
    with django_capture_on_commit_callbacks(execute=True):
        guardians.refuse_as_staff(pending.pk, reason="Aucune preuve de tutelle.", actor=staff)
    pending.refresh_from_db()
    assert pending.status == GuardianRequestStatus.REFUSED
    assert "Aucune preuve de tutelle." in mailbox.body(mailbox.wait_for("jf@exemple.ca", "refusée"))
    assert not DossierLink.objects.filter(account=second).exists()


def test_only_staff_decide_as_staff(first, second, child):
    pending = ask(second, child).guardian_request
    with pytest.raises(guardians.NotAllowed):
        guardians.approve_as_staff(pending.pk, actor=first)


def test_a_guardian_added_with_no_other_guardian_tells_nobody_else(
    second, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(second, ChildDossierFactory())
    assert not [m for m in mailbox.messages if "ajouté" in m["Subject"]]
