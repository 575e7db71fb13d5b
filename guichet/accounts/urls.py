from django.urls import path

from guichet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("confirmation/renvoyer/", views.ResendConfirmationView.as_view(), name="resend"),
    path("securite/", views.security, name="security"),
    path("activite/", views.activity, name="activity"),
]
