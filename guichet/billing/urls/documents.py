"""Billing URLs: the invoice page, the statement of account and every PDF.

« Mes factures et crédits » itself is a « Mon dossier » section
(``dossiers:invoices``, /mon-dossier/mes-factures/), mounted by ``urls/sections.py``.
"""

from django.urls import path

from guichet.billing.views import documents

urlpatterns = [
    path("<int:pk>/", documents.invoice, name="invoice"),
    path("<int:pk>/pdf/", documents.invoice_pdf, name="invoice_pdf"),
    path("recus/<int:pk>/pdf/", documents.receipt_pdf, name="receipt_pdf"),
    path("notes-de-credit/<int:pk>/pdf/", documents.credit_note_pdf, name="credit_note_pdf"),
    path("releve-de-compte/", documents.statement, name="statement"),
    path("releve-de-compte/pdf/", documents.statement_pdf, name="statement_pdf"),
]
