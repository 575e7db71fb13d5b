from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from guichet.accounts import receivers  # noqa: F401  (connects signal receivers)
