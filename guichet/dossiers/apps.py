from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section
from guichet.presets import Feature

# The sections of « Mon dossier » this app serves (``views/profile.py``, ``views/household.py``).
SECTIONS = (
    Section("home", _("My file"), "dossiers:home", order=10),
    Section("information", _("My information"), "dossiers:information", order=20),
    Section("card", _("My profile card"), "dossiers:card", order=30),
    Section("functions", _("My functions"), "dossiers:functions", order=40),
    # « Titre et attestations » (order 50) is the credentials app's.
    Section("subscriptions", _("My subscriptions"), "dossiers:subscriptions", order=100),
    Section("interests", _("My interests"), "dossiers:interests", order=110),
    Section(
        "household", _("My family"), "dossiers:household", order=130, feature=Feature.HOUSEHOLDS
    ),
    Section("activity", _("My file's activity"), "dossiers:activity", order=150),
)


class DossiersConfig(AppConfig):
    name = "guichet.dossiers"
    verbose_name = _("Files")

    def ready(self) -> None:
        from guichet.dossiers import grants, permissions  # models are ready only now
        from guichet.dossiers import privacy as dossiers_privacy
        from guichet.privacy import registry as privacy

        # Asked in this order: a link names the right before a delegation does.
        grants.register_source(permissions.links)
        grants.register_source(permissions.delegations)

        shell.register(*SECTIONS)
        privacy.register(dossiers_privacy.CONTRIBUTOR)
