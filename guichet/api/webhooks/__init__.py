"""Outgoing webhooks, following the Standard Webhooks specification (its ``standardwebhooks``
library signs): domain signals → ``events.emit`` (a message and one delivery row per
endpoint, in one transaction) → after the commit, ``tasks.deliver_webhook`` →
``delivery.attempt`` (row locked: one attempt at a time, one success at most) → retries
with back-off over a day, the log of every attempt, disabling after repeated failures."""
