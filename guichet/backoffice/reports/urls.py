"""The back office's reports pages (included by guichet.backoffice.urls): the staff home's
dashboard, the accounting exports and the newsletters."""

from __future__ import annotations

from django.urls import URLPattern, path

from guichet.backoffice.reports.views import accounting, dashboard, newsletters

urlpatterns: list[URLPattern] = [
    path("tableau-de-bord/", dashboard.home, name="home"),
    path("comptabilite/", accounting.page, name="accounting"),
    path(
        "comptabilite/<slug:kind>.<slug:fmt>",
        accounting.export,
        name="accounting_export",
    ),
    path("infolettres/", newsletters.index, name="newsletters"),
    path("infolettres/<int:pk>/", newsletters.detail, name="newsletter"),
]
