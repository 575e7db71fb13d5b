"""The « Mon dossier » sections registrations serve, under /mon-dossier/.

``guichet/urls.py`` mounts this module in the « Mon dossier » namespace (``dossiers``), so
the names are ``dossiers:trainings`` and ``dossiers:events``. « Mes inscriptions » lives
under /inscriptions/ (``registrations:mine``).
"""

from django.urls import path

from guichet.registrations.views import mine

urlpatterns = [
    path("mes-formations/", mine.trainings, name="trainings"),
    path("mes-evenements/", mine.events, name="events"),
]
