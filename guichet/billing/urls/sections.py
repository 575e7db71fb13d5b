"""The « Mon dossier » section billing serves: « Mes factures et crédits », under
/mon-dossier/mes-factures/.

``guichet/urls.py`` mounts this module in the « Mon dossier » namespace (``dossiers``), so
its name is ``dossiers:invoices``; billing's other pages are under /factures/.
"""

from django.urls import path

from guichet.billing.views import documents

urlpatterns = [
    path("mes-factures/", documents.mine, name="invoices"),
]
