"""The back office's own tables, one module per part (people, offerings, reports)."""

from guichet.backoffice.models.people import OfferingLeader, ParticipantMessage

__all__ = ["OfferingLeader", "ParticipantMessage"]
