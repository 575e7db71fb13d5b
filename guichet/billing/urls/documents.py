"""Billing URLs: « Mes factures et crédits » and the documents."""

from django.urls import path

from guichet.billing.views import documents

urlpatterns = [
    path("<int:pk>/", documents.invoice, name="invoice"),
]
