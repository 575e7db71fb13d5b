"""The back office's own tables, one module per part (people, offerings, reports)."""

from guichet.backoffice.models.messages import ParticipantMessage, ParticipantMessageRecipient
from guichet.backoffice.models.people import OfferingLeader
from guichet.backoffice.models.reports import Newsletter, NewsletterRecipient

__all__ = [
    "Newsletter",
    "NewsletterRecipient",
    "OfferingLeader",
    "ParticipantMessage",
    "ParticipantMessageRecipient",
]
