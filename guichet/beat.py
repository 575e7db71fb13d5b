"""Celery beat's schedule: what the one beat of a cluster starts, and how often.

Read by settings (`CELERY_BEAT_SCHEDULE`); each entry's reason is in docs/deployment.md
(« Beat »). In the embedded mode, `make demo` runs the sweeps as `manage.py … --every`.
"""

# Free expired holds and pass on waiting-list offers every minute.
SCHEDULE = {
    "sweep-registrations": {
        "task": "guichet.registrations.tasks.sweep_registrations",
        "schedule": 60.0,
    },
    # Privacy: erase archives past their seven days; apply the retention rule.
    "expire-data-exports": {"task": "guichet.privacy.tasks.expire_exports", "schedule": 3600.0},
    "apply-retention": {"task": "guichet.privacy.tasks.apply_retention", "schedule": 86400.0},
    # Renewal reminders (60, 30, 7 days before the end) and lapses; safe to run twice.
    "sweep-memberships": {
        "task": "guichet.memberships.tasks.sweep_memberships",
        "schedule": 3600.0,
    },
    # Emails of the outbox whose task was lost are handed to a worker again (core/outbox.py).
    "sweep-outbox": {"task": "guichet.core.tasks.sweep_outbox", "schedule": 60.0},
    "deliver-webhooks": {
        "task": "guichet.api.tasks.deliver_due_webhooks",
        "schedule": 60.0,
    },
    # The staff home's charts, computed in the background (docs/backoffice.md).
    "refresh-dashboard-charts": {
        "task": "guichet.backoffice.tasks.refresh_dashboard_charts",
        "schedule": 120.0,
    },
    # relation.removed for the relations that ended by their date (once each).
    "sweep-relation-changes": {
        "task": "guichet.api.tasks.sweep_relation_changes",
        "schedule": 3600.0,
    },
}
