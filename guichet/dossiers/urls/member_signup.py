"""CAOMSC's « Première visite ? Créer votre accès », under /mon-dossier/premiere-visite/."""

from django.urls import path

from guichet.dossiers.views import member_signup

urlpatterns = [
    path("premiere-visite/", member_signup.identify, name="member_signup"),
    path("premiere-visite/acces/", member_signup.account, name="member_signup_account"),
]
