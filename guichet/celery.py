"""Celery application. Without GUICHET_REDIS_URL tasks run in-process (eager); with it, a
task the broker cannot take runs in-process too (``guichet.core.tasking.FallbackTask``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

app = Celery("guichet", task_cls="guichet.core.tasking:FallbackTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
