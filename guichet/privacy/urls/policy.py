"""/confidentialite/: the privacy policy (public), linked from every footer."""

from django.urls import path

from guichet.privacy.views import policy

urlpatterns = [path("", policy.policy, name="privacy_policy")]
