from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guichet.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # System checks, and the Celery signal receivers that carry the request id and
        # count the tasks' outcomes.
        from guichet.core import checks, errors, logs, metrics  # noqa: F401

        # Error reporting, when configured (in the app servers and the Celery workers).
        if settings.GUICHET_SENTRY_DSN:
            errors.init(
                settings.GUICHET_SENTRY_DSN,
                environment=settings.GUICHET_SENTRY_ENVIRONMENT,
                release=settings.GUICHET_SENTRY_RELEASE,
            )
