"""The dossiers app's pages under /mon-dossier/.

``guichet/urls.py`` mounts this module in the « Mon dossier » namespace, ``dossiers``, beside
the sections other apps serve there; hence no ``app_name`` here.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("guichet.dossiers.urls.profile")),
    path("", include("guichet.dossiers.urls.linking")),
    path("", include("guichet.dossiers.urls.member_signup")),
    path("personnel/", include("guichet.dossiers.urls.staff")),
    path("personnel/", include("guichet.dossiers.urls.staff_linking")),
    path("personnel/", include("guichet.dossiers.urls.staff_delegation")),
]
