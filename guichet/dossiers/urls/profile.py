"""« Mon dossier » and its sections, mounted under /mon-dossier/ (namespace "dossiers")."""

from django.urls import path

from guichet.billing.views import documents as billing_documents
from guichet.dossiers.views import profile as views
from guichet.registrations.views import mine as registrations_mine

urlpatterns = [
    path("", views.home, name="home"),
    path("mes-informations/", views.information, name="information"),
    path("ma-fiche/", views.card, name="card"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("mes-fonctions/", views.functions, name="functions"),
    path("mes-fonctions/<int:pk>/fin/", views.end_function, name="end_function"),
    path(
        "titre-et-attestations/",
        views.empty_section,
        {"section": "titles"},
        name="titles",
    ),
    path("mes-formations/", registrations_mine.trainings, name="trainings"),
    path("mes-evenements/", registrations_mine.events, name="events"),
    path("mes-factures/", billing_documents.mine, name="invoices"),
    path("mes-abonnements/", views.subscriptions, name="subscriptions"),
    path("mes-interets/", views.interests, name="interests"),
    path("activite/", views.activity, name="activity"),
]
