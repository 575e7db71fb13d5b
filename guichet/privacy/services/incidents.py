"""The register of confidentiality incidents (Law 25, s. 3.8): staff with the privacy role
record each incident and bring it up to date (notices sent, measures); every change is in
the audit trail with what it changed; nothing is ever deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.privacy.models import Incident

FIELDS = (
    "information_concerned",
    "circumstances",
    "occurred_on",
    "occurred_until",
    "known_on",
    "people_affected",
    "people_affected_estimated",
    "risk_assessment",
    "serious_injury_risk",
    "commission_notified_on",
    "people_notified_on",
    "public_notice",
    "measures",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def record_incident(
    values: dict[str, Any], *, actor: Any, request: HttpRequest | None = None
) -> Incident:
    incident = Incident.objects.create(
        recorded_by=actor, **{name: values[name] for name in FIELDS if name in values}
    )
    record(
        Action.INCIDENT_RECORDED,
        actor=actor,
        right=Right.STAFF,
        request=request,
        data={"incident": incident.pk, "people_affected": incident.people_affected},
    )
    return incident


@transaction.atomic
def update_incident(
    incident_id: int, values: dict[str, Any], *, actor: Any, request: HttpRequest | None = None
) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    changed = {}
    for name in FIELDS:
        if name in values and getattr(incident, name) != values[name]:
            changed[name] = {
                "before": _plain(getattr(incident, name)),
                "after": _plain(values[name]),
            }
            setattr(incident, name, values[name])
    if changed:
        incident.save()
        record(
            Action.INCIDENT_CHANGED,
            actor=actor,
            right=Right.STAFF,
            request=request,
            data={"incident": incident.pk, "changed": sorted(changed)},
        )
    return incident
