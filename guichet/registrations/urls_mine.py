"""The reading side of registrations and the training follow-up; included by urls.py
inside the "registrations" namespace (under /inscriptions/)."""

from django.urls import path

from guichet.registrations.views import attendance, mine

urlpatterns = [
    path("mes-inscriptions/", mine.mine, name="mine"),
    path(
        "<int:pk>/attestation-de-presence/",
        mine.attendance_pdf,
        name="attendance_pdf",
    ),
    path("documents/<int:pk>/", mine.document, name="document"),
    path("personnel/presences/", attendance.index, name="attendance_index"),
    path("personnel/presences/<int:pk>/", attendance.mark, name="attendance"),
]
