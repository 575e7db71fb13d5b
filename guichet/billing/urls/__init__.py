"""Billing's pages under /factures/: each part of the app has its own URL module."""

from django.urls import include, path

app_name = "billing"

urlpatterns = [
    path("", include("guichet.billing.urls.documents")),
    path("", include("guichet.billing.urls.payments")),
    path("", include("guichet.billing.urls.rl24")),
]
