from django.urls import path

from guichet.dossiers.views import household, linking
from guichet.presets import LinkingMethod

urlpatterns = [
    path("activer/", linking.activate, name="activate"),
    path(
        "activer/numero/",
        linking.method_view(LinkingMethod.NUMBER_AND_BIRTH_DATE),
        name="link_number",
    ),
    path("activer/membre/", linking.method_view(LinkingMethod.MEMBER_IDENTITY), name="link_member"),
    path(
        "activer/anciens-acces/",
        linking.method_view(LinkingMethod.LEGACY_CREDENTIALS),
        name="link_legacy",
    ),
    path("activer/code/", linking.method_view(LinkingMethod.LINKING_CODE), name="link_code"),
    path("activer/confirmation/", linking.confirm, name="link_confirm"),
    path("identifiant-oublie/", linking.login_id_reminder, name="login_id_reminder"),
    path("famille/", household.household, name="household"),
    path("famille/ajouter/", household.add_member, name="household_add"),
    path("famille/demandes/<int:pk>/", household.guardian_request, name="guardian_request"),
    path(
        "famille/demandes/<int:pk>/retirer/",
        household.withdraw_guardian_request,
        name="guardian_request_withdraw",
    ),
    # The emailed link; after « retirer/ », which it would otherwise swallow.
    path(
        "famille/demandes/<int:pk>/<str:token>/",
        household.guardian_request,
        name="guardian_request_link",
    ),
]
