from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet import presets
from guichet.core import shell
from guichet.core.shell import Section
from guichet.presets import Feature, Preset


def offers_titles(preset: Preset) -> bool:
    """Attestations and the progress toward a title come from the trainings of members."""
    return preset.has(Feature.MEMBERSHIPS) and preset.offers("training")


def _titles_label() -> str:
    """« Titre OMA et attestations » where the operator has a title, as COMAQ's guide says."""
    rules = presets.active().title_rules
    if rules is None:
        return gettext("Title and attestations")
    return gettext("%(title)s title and attestations") % {"title": rules.title}


titles_label = lazy(_titles_label, str)

# The section of « Mon dossier » this app serves (``views/section.py``), mounted under
# /mon-dossier/ by ``urls_sections.py`` (so its name is ``dossiers:titles``).
SECTIONS = (Section("titles", titles_label(), "dossiers:titles", order=50, when=offers_titles),)


class CredentialsConfig(AppConfig):
    name = "guichet.credentials"
    verbose_name = _("Titles and attestations")

    def ready(self) -> None:
        from guichet.credentials import checks, receivers  # models are ready only now
        from guichet.credentials import privacy as credentials_privacy
        from guichet.privacy import registry as privacy

        receivers.connect()
        privacy.register(credentials_privacy.CONTRIBUTOR)
        checks.register()
        shell.register(*SECTIONS)
