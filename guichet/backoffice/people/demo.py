"""The demo's activity leader (``animation@…``, role Animation) leads the activities of the
demo catalog, so his roster and attendance pages have something to show. Idempotent."""

from __future__ import annotations

from guichet.accounts.models import Account
from guichet.backoffice.models import OfferingLeader
from guichet.catalog.models import Offering, OfferingKind
from guichet.core.roles import Role


def load() -> list[tuple[str, str]]:
    leaders = Account.objects.filter(
        is_staff=True, role_grants__role=Role.ANIMATION, email__startswith="animation@"
    )
    lines = []
    for leader in leaders:
        for offering in Offering.objects.filter(kind=OfferingKind.ACTIVITY):
            OfferingLeader.objects.get_or_create(offering=offering, account=leader)
        lines.append(
            (
                f"Animation ({leader.email})",
                "/personnel/listes/ : les activités qu'il anime, et leurs présences",
            )
        )
    return lines
