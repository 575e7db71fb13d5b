"""Credentials' pages outside « Mon dossier »: the public verification page, the members
directory and the staff's attestations. Mounted at the site's root by ``guichet/urls.py``."""

from django.urls import path

from guichet.credentials.views import directory, staff, verify

app_name = "credentials"

urlpatterns = [
    path("verifier/", verify.verify_form, name="verify_form"),
    path("verifier/<str:code>/", verify.verify, name="verify"),
    path("repertoire/", directory.members, name="directory"),
    path("repertoire/ma-presence/", directory.my_listing, name="my_listing"),
    path("attestations/personnel/", staff.index, name="staff_index"),
    path("attestations/personnel/<int:pk>/", staff.detail, name="staff_detail"),
    path("attestations/personnel/<int:pk>/revoquer/", staff.revoke, name="staff_revoke"),
    path("attestations/personnel/<int:pk>/reemettre/", staff.reissue, name="staff_reissue"),
]
