from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guichet.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # System checks, and the Celery signal receivers that carry the request id and
        # count the tasks' outcomes.
        from guichet.core import checks, logs, metrics  # noqa: F401
