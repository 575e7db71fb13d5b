"""Privacy's staff pages (/personnel/vie-privee/). « Mes données » is in ``sections.py``."""

from django.urls import path

from guichet.privacy.views import staff

app_name = "privacy"

urlpatterns = [
    path("", staff.index, name="staff_index"),
    path("fermetures/<int:pk>/", staff.closure, name="staff_closure"),
    path("incidents/", staff.incidents, name="incidents"),
    path("incidents/nouveau/", staff.new_incident, name="new_incident"),
    path("incidents/registre.csv", staff.incidents_csv, name="incidents_csv"),
    path("incidents/<int:pk>/", staff.incident, name="incident"),
    path("consultations/", staff.staff_views, name="staff_views"),
    path("consultations/registre.csv", staff.staff_views_csv, name="staff_views_csv"),
]
