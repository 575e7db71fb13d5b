"""The back office's own tables, one module per part (people, offerings, reports)."""

from guichet.backoffice.models.people import OfferingLeader

__all__ = ["OfferingLeader"]
