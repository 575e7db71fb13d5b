"""The « Mon dossier » section credentials serve, under /mon-dossier/.

``guichet/urls.py`` mounts this module in the « Mon dossier » namespace (``dossiers``), so
the names are ``dossiers:titles`` and ``dossiers:attestation_pdf``.
"""

from django.urls import path

from guichet.credentials.views import section

urlpatterns = [
    path("titre-et-attestations/", section.titles, name="titles"),
    path("titre-et-attestations/<int:pk>/", section.attestation_pdf, name="attestation_pdf"),
]
