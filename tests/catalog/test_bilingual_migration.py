"""The migration to bilingual content copies each text written before into its French column
and keeps the English ones that existed (title_en, name_en, label_en)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("catalog", "0002_offering_cancellation_fee_offering_refund_policy")]
AFTER = [("catalog", "0003_bilingual_content")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_texts_written_before_become_the_french_ones():
    try:
        old = migrate(BEFORE)
        Offering = old.get_model("catalog", "Offering")
        now = timezone.now()
        offering = Offering.objects.create(
            kind="activity",
            title="Natation",
            title_en="Swimming",
            slug="natation",
            summary="Pour tous",
            description="Apportez un maillot.",
            place="Piscine",
            schedule="lundis",
            starts_on=datetime.date(2027, 1, 4),
            ends_on=datetime.date(2027, 3, 1),
            capacity=10,
            member_price=Decimal("10.00"),
            non_member_price=Decimal("20.00"),
            registration_opens_at=now,
            registration_closes_at=now + datetime.timedelta(days=10),
            change_deadline=now + datetime.timedelta(days=5),
        )
        old.get_model("catalog", "Question").objects.create(
            offering=offering, label="Niveau", label_en="Level", kind="choice", choices=["A", "B"]
        )
        old.get_model("catalog", "Option").objects.create(
            offering=offering, name="Serviette", name_en=""
        )

        new = migrate(AFTER)
        moved = new.get_model("catalog", "Offering").objects.get(pk=offering.pk)
        assert (moved.title_fr, moved.title_en) == ("Natation", "Swimming")
        assert (moved.summary_fr, moved.description_fr) == ("Pour tous", "Apportez un maillot.")
        assert (moved.place_fr, moved.schedule_fr) == ("Piscine", "lundis")
        question = new.get_model("catalog", "Question").objects.get(offering_id=offering.pk)
        assert (question.label_fr, question.label_en, question.choices_fr) == (
            "Niveau",
            "Level",
            ["A", "B"],
        )
        option = new.get_model("catalog", "Option").objects.get(offering_id=offering.pk)
        assert (option.name_fr, option.name_en) == ("Serviette", "")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
