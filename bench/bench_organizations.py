"""Organizations at scale: the permission check and the authorizations list.

An organization with 5,000 contacts and 50,000 relations (each contact: one relation in
force and nine ended ones, each with one authorized subject). Prints the p95 of
``permissions.right_over`` for an organization's subject (the relation sources: one
indexed query each) and of the « Autorisations » tab's first page, with its query count.

Run alone: ``bash scripts/run-bench.sh bench/bench_organizations.py [--contacts 5000]
[--per-contact 10]`` (or ``.venv/bin/python bench/bench_organizations.py``). The data is
made once per database and reused.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from guichet.accounts.models import Account  # noqa: E402
from guichet.dossiers import permissions  # noqa: E402
from guichet.dossiers.models import (  # noqa: E402
    Dossier,
    DossierKind,
    DossierLink,
    LinkMethod,
    LinkRole,
)
from guichet.organizations import subjects  # noqa: E402
from guichet.organizations.grants import MANAGE_RELATIONS  # noqa: E402
from guichet.organizations.models import (  # noqa: E402
    AuthorizedSubject,
    Relation,
    RelationSubject,
    RelationType,
)

NUMBER = "9900000"
ROUNDS = 200


def timed(label: str, function: Callable[[], object], rounds: int = ROUNDS) -> None:
    function()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples) * 1000
    p95 = sorted(samples)[int(rounds * 0.95) - 1] * 1000
    print(f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms over {rounds} runs")


def build(contacts: int, per_contact: int) -> tuple[Dossier, Account, Account]:
    subjects.seed()
    organization, created = Dossier.objects.get_or_create(
        number=NUMBER,
        defaults={"kind": DossierKind.ORGANIZATION, "organization_name": "Banc d'essai inc."},
    )
    responsible = Account.objects.filter(email="bench.responsable@exemple.ca").first()
    reader = Account.objects.filter(email="bench.lecteur@exemple.ca").first()
    if not created and responsible and reader:
        return organization, responsible, reader
    print(f"Making {contacts} contacts and {contacts * per_contact} relations…")
    kinds = list(RelationType.values)
    all_subjects = list(AuthorizedSubject.objects.all())
    today = timezone.localdate()
    people = Dossier.objects.bulk_create(
        Dossier(number=f"99{n:06d}", first_name=f"Prénom{n}", last_name=f"Nom{n:05d}")
        for n in range(contacts)
    )
    relations = []
    for index, person in enumerate(people):
        for step in range(per_contact):
            ended = step > 0
            start = today - datetime.timedelta(days=400 + step * 30)
            relations.append(
                Relation(
                    contact=person,
                    organization=organization,
                    kind=kinds[(index + step) % len(kinds)],
                    start_date=start,
                    end_date=start + datetime.timedelta(days=20)
                    if ended
                    else datetime.date(9999, 12, 31),
                )
            )
    relations = Relation.objects.bulk_create(relations, batch_size=5000)
    RelationSubject.objects.bulk_create(
        (
            RelationSubject(
                relation=relation,
                authorized_subject=all_subjects[n % len(all_subjects)],
                level="write" if n % 2 else "read",
            )
            for n, relation in enumerate(relations)
        ),
        batch_size=5000,
    )
    responsible = Account.objects.create_user(
        "bench.responsable@exemple.ca", "Une phrase de passe assez longue", first_name="B"
    )
    reader = Account.objects.create_user(
        "bench.lecteur@exemple.ca", "Une phrase de passe assez longue", first_name="L"
    )
    for account, person in ((responsible, people[0]), (reader, people[1])):
        DossierLink.objects.create(
            account=account, dossier=person, role=LinkRole.HOLDER, method=LinkMethod.STAFF
        )
    Relation.objects.create(
        contact=people[0], organization=organization, kind=RelationType.RESPONSIBLE
    )
    return organization, responsible, reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--per-contact", type=int, default=10)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    organization, responsible, reader = build(options.contacts, options.per_contact)
    print(
        f"{Relation.objects.filter(organization=organization).count()} relations, "
        f"{RelationSubject.objects.filter(relation__organization=organization).count()} subjects"
    )
    timed(
        "right_over (a subject in read, the relation sources)",
        lambda: permissions.right_over(reader, organization, act=permissions.READ_BILLING),
    )
    timed(
        "right_over (managing relations)",
        lambda: permissions.right_over(responsible, organization, act=MANAGE_RELATIONS),
    )
    storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": storage}, GUICHET_PRESET="ccq"
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(responsible)
        client.post("/organisation/profil/changer/", {"profile": organization.pk})
        url = "/organisation/relations/?onglet=autorisations"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        print(f"Authorizations list: {len(queries)} queries a page")
        timed("GET the authorizations list (first page)", lambda: client.get(url), 50)
        timed(
            "GET the contacts list (first page)", lambda: client.get("/organisation/relations/"), 50
        )


if __name__ == "__main__":
    main()
