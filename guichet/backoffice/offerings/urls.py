"""The back office's offerings pages (included by guichet.backoffice.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from guichet.backoffice.offerings import views

urlpatterns: list[URLPattern] = [
    path("offres/", views.offering_list, name="offering_list"),
    path("offres/nouvelle/", views.offering_edit, name="offering_create"),
    path("offres/<int:pk>/", views.offering_edit, name="offering_edit"),
    path("offres/<int:pk>/apercu/", views.offering_preview, name="offering_preview"),
    path("offres/dupliquer-la-saison/", views.season_copy, name="season_copy"),
]
