"""The « Mon dossier » section the back office serves, under /mon-dossier/ (namespace
``dossiers``): « Mes messages », what staff wrote to the participants of an offering."""

from django.urls import path

from guichet.backoffice.people.views import messages

urlpatterns = [
    path("mes-messages/", messages.mine, name="messages"),
]
