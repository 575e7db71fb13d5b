"""Background work for the back office. Without a broker, Celery runs these in-process."""

from __future__ import annotations

from celery import shared_task

from guichet.backoffice.reports import dashboard_charts


@shared_task(acks_late=False)
def refresh_dashboard_charts() -> None:
    """The staff home's charts, computed again for every language (Celery beat, and when a
    visit finds the data changed): docs/backoffice.md."""
    dashboard_charts.refresh()
