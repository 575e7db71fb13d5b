from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section

# « Mes demandes » in « Mon dossier »'s menu.
SECTIONS = (Section("requests", _("My requests"), "requests:mine", order=140),)


class RequestsConfig(AppConfig):
    name = "guichet.requests"
    label = "service_requests"
    verbose_name = _("Requests")

    def ready(self) -> None:
        from guichet.privacy import registry as privacy
        from guichet.requests import privacy as requests_privacy  # models are ready only now

        shell.register(*SECTIONS)
        privacy.register(requests_privacy.CONTRIBUTOR)
