from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section
from guichet.presets import Feature

# « Devenir membre » in « Mon dossier »: the person's status, type of member and end date,
# the application, the renewal (``views/standing.py``).
SECTIONS = (
    Section(
        "membership",
        _("Become a member"),
        "memberships:standing",
        order=120,
        feature=Feature.MEMBERSHIPS,
    ),
)


class MembershipsConfig(AppConfig):
    name = "guichet.memberships"
    verbose_name = _("Memberships")

    def ready(self) -> None:
        # Models are loaded only now: the receivers module imports them.
        from guichet.memberships import privacy as memberships_privacy
        from guichet.memberships import receivers
        from guichet.privacy import registry as privacy

        receivers.connect()
        privacy.register(memberships_privacy.CONTRIBUTOR)
        shell.register(*SECTIONS)
