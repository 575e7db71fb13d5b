from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "guichet.dossiers"
    verbose_name = _("Files")

    def ready(self) -> None:
        from guichet.dossiers import grants, permissions  # models are ready only now

        # Asked in this order: a link names the right before a delegation does.
        grants.register_source(permissions.links)
        grants.register_source(permissions.delegations)
