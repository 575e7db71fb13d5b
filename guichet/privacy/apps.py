from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section

# « Mes données » in « Mon dossier » (``views/mine.py``, mounted under /mon-dossier/ by
# ``urls/sections.py``).
SECTIONS = (Section("my_data", _("My data"), "dossiers:my_data", order=145),)


class PrivacyConfig(AppConfig):
    name = "guichet.privacy"
    verbose_name = _("Privacy and consent")

    def ready(self) -> None:
        from guichet.privacy import (  # models are ready only now
            contributors,
            receivers,  # noqa: F401  (connects the incident register's deletion guard)
            registry,
        )

        registry.register(contributors.CONSENTS, contributors.ACCOUNT, contributors.TRAIL)
        shell.register(*SECTIONS)
