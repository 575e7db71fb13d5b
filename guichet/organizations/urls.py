from django.urls import path

from guichet.organizations.views import forms, pages, profiles, staff

app_name = "organizations"

urlpatterns = [
    path("", pages.home, name="home"),
    path("profil/", profiles.profiles, name="profiles"),
    path("profil/liaison-reussie/", profiles.linked, name="linked"),
    path("profil/changer/", profiles.switch, name="switch"),
    path("rapport-mensuel/", pages.report, name="report"),
    path("etat-de-compte/", pages.statement, name="statement"),
    path("mes-documents/", pages.documents, name="documents"),
    path("gerer/", pages.manage, name="manage"),
    path("relations/", pages.relations, name="relations"),
    path("contacts/<int:pk>/", pages.contact, name="contact"),
    path("relations/<int:pk>/retirer/", forms.end_relation, name="end_relation"),
    path("catalogue/", forms.catalog, name="catalog"),
    path("catalogue/ajouter-une-relation/", forms.add_relation, name="add_relation"),
    path("catalogue/modifier-un-contact/", forms.change_contact, name="change_contact"),
    path("catalogue/modifier-une-adresse/", forms.change_address, name="change_address"),
    path(
        "catalogue/modifier-une-organisation/",
        forms.change_organization,
        name="change_organization",
    ),
    path("catalogue/retirer-une-relation/", forms.remove_relation, name="remove_relation"),
    path("catalogue/coordonnees-de-liaison/", forms.send_codes, name="send_codes"),
    path("demandes/", forms.submissions, name="submissions"),
    path("demandes/<int:pk>/", forms.submission, name="submission"),
    path("personnel/demandes/", staff.queue, name="staff_queue"),
    path("personnel/demandes/<int:pk>/", staff.detail, name="staff_detail"),
    path(
        "personnel/demandes/<int:pk>/<str:step>/",
        staff.decide,
        name="staff_decide",
    ),
]
