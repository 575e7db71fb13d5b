"""Billing URLs: paying an invoice, the provider's webhook, and the staff payment queue."""

from django.urls import path

from guichet.billing.views import payments, staff_payments

urlpatterns = [
    path("<int:pk>/payer/", payments.pay_card, name="pay_card"),
    path("<int:pk>/payer/retour/", payments.checkout_return, name="checkout_return"),
    path("<int:pk>/envoyer/", payments.pay_offline, name="pay_offline"),
    path("<int:pk>/instructions/", payments.offline_instructions, name="offline_instructions"),
    path("webhook/<slug:provider>/", payments.webhook, name="webhook"),
    path("demo-paiement/<str:provider_id>/", payments.demo_checkout, name="demo_checkout"),
    path("personnel/paiements/", staff_payments.queue, name="staff_payments"),
    path(
        "personnel/paiements/<int:pk>/",
        staff_payments.invoice_payments,
        name="staff_invoice_payments",
    ),
]
