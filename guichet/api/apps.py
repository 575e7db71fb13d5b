from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "guichet.api"
    verbose_name = _("API and webhooks")

    def ready(self) -> None:
        from guichet.api.webhooks import receivers  # noqa: F401  (connects the domain signals)
