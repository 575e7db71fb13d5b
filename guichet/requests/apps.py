from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "guichet.requests"
    label = "service_requests"
    verbose_name = _("Requests")
