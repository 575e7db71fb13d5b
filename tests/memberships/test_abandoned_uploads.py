"""Files set aside by application wizards nobody finished (``memberships/pending/``): the
memberships sweep deletes those older than the preset's delay that no application took,
once (two sweeps at once included), audited with counts only; a person back after the
delay is asked to join the file again, nothing is lost silently."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.audit.models import Action, AuditEvent
from guichet.memberships.models import Application, document_storage
from guichet.memberships.services import applications, uploads
from guichet.memberships.tasks import sweep_memberships
from tests.billing.cast import holder
from tests.memberships.cast import applied, member_types, real_pdf, stashed, upload
from tests.memberships.test_application_without_a_file import STEPS, step


def age(path: str, hours: float) -> None:
    """Make a stored file ``hours`` old."""
    moment = time.time() - hours * 3600
    os.utime(document_storage().path(path), (moment, moment))


def pending() -> set[str]:
    return {f"{uploads.STASH}/{name}" for name in document_storage().listdir(uploads.STASH)[1]}


@pytest.fixture
def left_behind(db):
    """Two files of abandoned wizards (49 h), one of a wizard in progress (1 h), and an
    application sent long ago whose files stayed where the wizard put them."""
    abandoned = [stashed().path, stashed().path]
    for path in abandoned:
        age(path, 49)
    recent = stashed().path
    age(recent, 1)
    account, dossier = holder()
    application = applied(account, dossier, member_types()["membre-regulier"])
    attached = list(application.documents.values_list("file", flat=True))
    for path in attached:
        age(path, 24 * 400)
    return abandoned, recent, attached


@pytest.mark.django_db
def test_the_sweep_deletes_only_the_abandoned_files_older_than_the_delay(left_behind):
    abandoned, recent, attached = left_behind

    assert sweep_memberships()["uploads_deleted"] == 2

    assert pending() == {recent, *attached}
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_UPLOADS_DELETED)
    assert event.data == {"files": 2, "kept_hours": 48}  # counts only, no names
    assert sweep_memberships()["uploads_deleted"] == 0  # once
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_UPLOADS_DELETED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_delete_each_file_once(left_behind):
    results: list[int] = []
    start = threading.Barrier(2)

    def sweep() -> None:
        try:
            start.wait()
            results.append(uploads.delete_abandoned())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results)[-1] == 2 and sum(results) == 2
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_UPLOADS_DELETED).count() == 1
    assert left_behind[1] in pending()


@pytest.mark.django_db
def test_a_file_swept_before_the_application_is_sent_is_asked_again(left_behind):
    account, dossier = holder()
    gone = stashed()
    document_storage().delete(gone.path)

    with translation.override("fr"), pytest.raises(ValidationError, match="n'est plus conservé"):
        applications.submit_application(
            dossier, member_types()["membre-retraite"], [gone], actor=account
        )
    assert not Application.objects.filter(dossier=dossier).exists()


@pytest.mark.django_db
def test_the_wizard_sends_the_person_back_to_join_a_swept_file(mailbox):
    regular = member_types()["membre-regulier"]
    client = Client()
    step(client, 1, {"member_type": regular.pk})
    step(client, 2, STEPS[2])
    step(client, 3, STEPS[3])
    functions = {
        "title": "Greffière",
        "employer": "Ville de Lévis",
        "started_on": "2020-01-06",
        "hiring_resolution": upload(real_pdf(), "resolution.pdf"),
    }
    step(client, 4, functions)
    step(client, 5, {"diploma": upload(real_pdf(), "diplome.pdf")})
    step(client, 6, STEPS[6])
    for path in pending():  # the person came back three days later
        age(path, 72)
    assert uploads.delete_abandoned(timezone.now() + timedelta(hours=1)) == 2

    response = step(
        client,
        7,
        {
            "email": "helene.dube@exemple.ca",
            "email2": "helene.dube@exemple.ca",
            "password1": "Officier-Municipal-2027!",
            "password2": "Officier-Municipal-2027!",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("memberships:apply", args=[4])
    page = client.get(response["Location"]).content.decode()
    assert "resolution.pdf" in page and "n&#x27;est plus conservé" in page
    assert not Application.objects.exists()
