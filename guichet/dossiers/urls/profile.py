"""« Mon dossier » and the sections the dossiers app serves, under /mon-dossier/.

Other apps mount their own sections beside these (see ``guichet/urls.py``).
"""

from django.urls import path

from guichet.dossiers.views import profile as views

urlpatterns = [
    path("", views.home, name="home"),
    path("mes-informations/", views.information, name="information"),
    path("ma-fiche/", views.card, name="card"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("mes-fonctions/", views.functions, name="functions"),
    path("mes-fonctions/<int:pk>/fin/", views.end_function, name="end_function"),
    path("mes-abonnements/", views.subscriptions, name="subscriptions"),
    path("mes-interets/", views.interests, name="interests"),
    path("activite/", views.activity, name="activity"),
]
