from django.urls import include, path

from guichet.registrations.views import cart, changes, start

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
    path("", include("guichet.registrations.urls_mine")),
]
