"""Registrations' pages, under /inscriptions/: the cart and the wizard, one registration
and its changes, then the reading side (« Mes inscriptions », attendance confirmations,
training documents) and the staff's attendance marking."""

from django.urls import path

from guichet.registrations.views import attendance, cart, changes, mine, start

app_name = "registrations"

urlpatterns = [
    path("panier/", cart.cart, name="cart"),
    path("panier/<int:pk>/", cart.line_details, name="cart_line"),
    path("resultat/<str:key>/", start.result, name="result"),
    path("<int:pk>/", changes.detail, name="detail"),
    path("<int:pk>/confirmer/", changes.confirm, name="confirm"),
    path("<int:pk>/modifier/", changes.modify, name="modify"),
    path("<int:pk>/annuler/", changes.cancel, name="cancel"),
    path("offre/<int:pk>/", changes.offer, name="offer"),
    path("s-inscrire/<slug:slug>/", start.start, name="start"),
    path("mes-inscriptions/", mine.mine, name="mine"),
    path("<int:pk>/attestation-de-presence/", mine.attendance_pdf, name="attendance_pdf"),
    path("documents/<int:pk>/", mine.document, name="document"),
    path("personnel/presences/", attendance.index, name="attendance_index"),
    path("personnel/presences/<int:pk>/", attendance.mark, name="attendance"),
]
