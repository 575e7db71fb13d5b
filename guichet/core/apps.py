from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guichet.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from guichet.core import checks  # noqa: F401  (registers system checks)
