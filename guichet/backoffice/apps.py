from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section
from guichet.presets import Feature

# « Mes messages » (urls_sections.py): what staff wrote to an offering's participants.
SECTIONS = (
    Section("messages", _("My messages"), "dossiers:messages", order=85, feature=Feature.CATALOG),
)


class BackofficeConfig(AppConfig):
    name = "guichet.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from guichet.backoffice import privacy as backoffice_privacy  # models are ready now
        from guichet.privacy import registry as privacy

        privacy.register(backoffice_privacy.CONTRIBUTOR)
        shell.register(*SECTIONS)
