"""The back office's people pages (included by guichet.backoffice.urls, under /personnel/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from guichet.backoffice.people.views import attendance, counter, messages, roles, rosters

urlpatterns: list[URLPattern] = [
    path("roles/", roles.index, name="roles"),
    path("roles/<int:pk>/", roles.edit, name="role_edit"),
    path("listes/", rosters.index, name="rosters"),
    path("listes/<int:pk>/", rosters.roster, name="roster"),
    path("listes/<int:pk>/exporter/", rosters.export, name="roster_export"),
    # The answers to questions (health, allergies): in the register of staff views.
    path("listes/<int:pk>/reponses/", rosters.roster_answers, name="roster_answers"),
    path(
        "listes/<int:pk>/reponses/exporter/",
        rosters.export_answers,
        name="roster_answers_export",
    ),
    path("listes/<int:pk>/animation/", rosters.set_leaders, name="roster_leaders"),
    path("listes/<int:pk>/messages/", messages.offering_messages, name="roster_messages"),
    path("presences/<int:pk>/", attendance.take, name="attendance"),
    path("accueil/", counter.search, name="counter"),
    path("accueil/<int:pk>/inscrire/", counter.register, name="counter_register"),
    path("accueil/paiement/<int:pk>/", counter.payment, name="counter_payment"),
    path("accueil/recu/<int:pk>/", counter.receipt, name="counter_receipt"),
]
