"""Privacy's write paths, one module per use case: ``consents`` (« Mes abonnements »),
``exporting`` and ``archive`` (« Mes données »), ``closing`` (closure and anonymization),
``incidents`` (the register). The consent functions are re-exported: callers write
``privacy.services.record_consents``."""

from guichet.privacy.services.consents import (
    Purpose,
    granted_lists,
    purposes,
    record_consents,
    shown_name,
    shown_wording,
    wording_fingerprint,
)

__all__ = [
    "Purpose",
    "granted_lists",
    "purposes",
    "record_consents",
    "shown_name",
    "shown_wording",
    "wording_fingerprint",
]
