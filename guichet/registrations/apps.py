from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section
from guichet.presets import Feature, Preset


def offers_trainings(preset: Preset) -> bool:
    return preset.offers("training")


def offers_events(preset: Preset) -> bool:
    return preset.offers("event")


# The sections of « Mon dossier » this app serves (``views/mine.py``). « Mes formations » and
# « Mes évènements » are mounted under /mon-dossier/ (``urls_sections.py``).
SECTIONS = (
    Section("trainings", _("My trainings"), "dossiers:trainings", order=60, when=offers_trainings),
    Section("events", _("My events"), "dossiers:events", order=70, when=offers_events),
    Section(
        "registrations",
        _("My registrations"),
        "registrations:mine",
        order=80,
        feature=Feature.CATALOG,
    ),
)


class RegistrationsConfig(AppConfig):
    name = "guichet.registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Models are loaded only now: the receivers module imports them.
        from guichet.privacy import registry as privacy
        from guichet.registrations import privacy as registrations_privacy
        from guichet.registrations import receivers

        receivers.connect()

        shell.register(*SECTIONS)
        privacy.register(registrations_privacy.CONTRIBUTOR)
