"""``relation.added`` and ``relation.removed``, each announced once per relation.

A relation is added or removed by someone (organizations' on-commit signals), or ends by
itself when its end date passes: nobody acts then, so an hourly sweep (Celery beat's
``sweep-relation-changes``; ``manage.py sweep_relation_changes --every 3600`` in the
embedded mode) finds the relations past their end date not yet announced as removed. A
``RelationChangeSent`` row, unique per relation and change, is written in the same
transaction as the event: whichever comes first announces, the others find the row."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from guichet.api.models import RelationChange, RelationChangeSent
from guichet.api.serializers import RelationSerializer
from guichet.api.webhooks import events
from guichet.organizations.models import Relation, RelationSubject

EVENTS = {RelationChange.ADDED: "relation.added", RelationChange.REMOVED: "relation.removed"}


def announce_once(relation: Relation, change: RelationChange, **extra: Any) -> bool:
    """Emit the change's event unless it was already; True if it is emitted now."""
    with transaction.atomic():
        _row, created = RelationChangeSent.objects.get_or_create(relation=relation, change=change)
        if created:
            events.emit(EVENTS[change], {"relation": RelationSerializer(relation).data, **extra})
    return created


def ended_unannounced(today: date) -> Any:
    """Relations past their end date (``end_date`` is the last day in force), not removed
    by anyone, whose end was not announced."""
    announced = RelationChangeSent.objects.filter(
        relation=OuterRef("pk"), change=RelationChange.REMOVED
    )
    subjects = RelationSubject.objects.select_related("authorized_subject")
    return (
        Relation.objects.filter(removed_at__isnull=True, end_date__lt=today)
        .filter(~Exists(announced))
        .select_related("contact", "organization")
        .prefetch_related(Prefetch("subjects", queryset=subjects))
        .order_by("pk")
    )


def sweep(today: date | None = None) -> int:
    """Announce ``relation.removed`` (``reason: ended``) for each relation that ended by
    its date; safe to run again and from two places at once. How many were announced."""
    announced = 0
    for relation in ended_unannounced(today or timezone.localdate()):
        announced += announce_once(relation, RelationChange.REMOVED, reason="ended")
    return announced
