from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "guichet.registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Models are loaded only now: the receivers module imports them.
        from guichet.registrations import receivers

        receivers.connect()
