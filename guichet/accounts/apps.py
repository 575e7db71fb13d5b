from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section

# « Mon mot de passe » in « Mon dossier »'s menu leads to the account's security page.
SECTIONS = (Section("password", _("My password"), "accounts:security", order=120),)


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from guichet.accounts import checks, receivers  # noqa: F401  (registers checks, receivers)

        shell.register(*SECTIONS)
