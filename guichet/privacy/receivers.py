"""The incident register is never deleted (Law 25: kept at least five years; we keep it)."""

from __future__ import annotations

from typing import Any

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from guichet.privacy.models import Incident


@receiver(pre_delete, sender=Incident)
def refuse_deleting_incidents(sender: type, instance: Any, **kwargs: Any) -> None:
    raise ProtectedError(
        f"Incident {instance.pk} is part of the confidentiality incident register: "
        "it is never deleted.",
        {instance},
    )
