"""The project's URLs plus one view that fails with personal data in its message."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from guichet.urls import handler500
from guichet.urls import urlpatterns as project_urls

__all__ = ["handler500", "urlpatterns"]


def fails(request: HttpRequest) -> HttpResponse:
    person = request.user
    raise ValueError(
        f"Dossier de {person.first_name} {person.last_name} <{person.email}>, "
        "NAS 046 454 286, tél. 514-555-0199"
    )


urlpatterns = [path("panne-pour-essai/", fails), *project_urls]
