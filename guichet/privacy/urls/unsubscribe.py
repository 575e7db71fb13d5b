"""/desabonnement/<token>/: withdrawing consent from an email, signed out."""

from django.urls import path

from guichet.privacy.views import unsubscribe

urlpatterns = [path("<str:token>/", unsubscribe.unsubscribe, name="unsubscribe")]
