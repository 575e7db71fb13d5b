from django.urls import path

from guichet.dossiers.views import staff_delegation

urlpatterns = [
    path("delegations/", staff_delegation.delegations, name="staff_delegations"),
    path(
        "delegations/accorder/<int:account_pk>/",
        staff_delegation.grant,
        name="staff_delegation_grant",
    ),
    path("delegations/<int:pk>/terminer/", staff_delegation.end, name="staff_delegation_end"),
]
