from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "guichet.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from guichet.backoffice import privacy as backoffice_privacy  # models are ready now
        from guichet.privacy import registry as privacy

        privacy.register(backoffice_privacy.CONTRIBUTOR)
