"""What memberships announce to the apps above them (credentials: attestations, the title).

``membership_started`` and ``membership_ended`` are sent inside the transaction that
caused them (the payment that started the membership, the sweep that lapsed it):
receivers keep to short database writes and send email on commit, like billing's
receivers (docs/ledger.md). ``membership_approved`` is sent once the approval commits.
"""

from __future__ import annotations

from django.dispatch import Signal

# A membership came into force: its fee was paid (or it was approved, where the member
# type starts on approval, or it costs nothing). Sent with ``membership`` (a
# ``Membership``, status active), ``renewal`` (True when it continues an earlier one) and
# ``actor`` (who recorded the payment or the approval; None for a card webhook).
# A receiver that emails the member itself (credentials: the welcome with the attestation
# attached) returns True, and memberships sends no welcome of its own: one email.
membership_started = Signal()

# A membership stopped counting: its grace period passed without a renewal (``reason``
# "lapsed"), or staff ended it ("ended"). Sent with ``membership`` and ``reason``.
membership_ended = Signal()

# Staff approved an application: its membership is opened (waiting for its fee, or in
# force). Sent after the approval commits, with ``application`` and ``membership``.
membership_approved = Signal()
