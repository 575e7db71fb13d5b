"""« Mes données », mounted under /mon-dossier/ in the ``dossiers`` namespace."""

from django.urls import path

from guichet.privacy.views import mine

urlpatterns = [
    path("mes-donnees/", mine.my_data, name="my_data"),
    path("mes-donnees/copie/", mine.ask_copy, name="my_data_copy"),
    path("mes-donnees/copie/<int:pk>/", mine.download, name="my_data_download"),
    path("mes-donnees/fermeture/", mine.ask_closure, name="my_data_closure"),
    path("mes-donnees/fermeture/retirer/", mine.withdraw_closure, name="my_data_withdraw"),
]
