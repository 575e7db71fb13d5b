from django.contrib import admin
from django.urls import include, path, re_path

from guichet.accounts.signup import SignupView
from guichet.accounts.views import ConfirmEmailView, admin_login, set_language

# Staff sign in to the admin through the portal's own login (rate limits, lockout, 2FA).
admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.site_header = "Guichet"
handler500 = "guichet.core.views.server_error"  # gives its style block the response's nonce

# « Mon dossier » (/mon-dossier/, namespace "dossiers"): the dossiers app's pages, and the
# sections other apps serve in its menu, each from its own URL module. The menu itself is
# core's shell (guichet.core.shell), to which each app registers its sections.
MON_DOSSIER = [
    path("", include("guichet.dossiers.urls")),
    path("", include("guichet.registrations.urls_sections")),
    path("", include("guichet.billing.urls.sections")),
    path("", include("guichet.credentials.urls_sections")),
    path("", include("guichet.privacy.urls.sections")),
    path("", include("guichet.backoffice.urls_sections")),  # « Mes messages »
]

urlpatterns = [
    path("", include("guichet.core.urls")),
    path("compte/", include("guichet.accounts.urls")),
    path("mon-dossier/", include((MON_DOSSIER, "dossiers"))),
    path("demandes/", include("guichet.requests.urls")),
    path("catalogue/", include("guichet.catalog.urls")),
    path("inscriptions/", include("guichet.registrations.urls")),
    path("factures/", include("guichet.billing.urls")),
    path("adhesion/", include("guichet.memberships.urls")),
    path("organisation/", include("guichet.organizations.urls")),
    path("personnel/journal/", include("guichet.audit.urls")),
    path("personnel/", include("guichet.backoffice.urls")),  # docs/backoffice.md
    # /verifier/<code>/ (public), /repertoire/ (members), /attestations/personnel/ (staff)
    path("", include("guichet.credentials.urls")),
    path("personnel/vie-privee/", include("guichet.privacy.urls")),
    path("desabonnement/", include("guichet.privacy.urls.unsubscribe")),
    path("confidentialite/", include("guichet.privacy.urls.policy")),  # the privacy policy
    path("api/", include("guichet.api.urls")),  # the REST API (docs/api.md)
    # Replaces allauth's confirmation view (same path and name) to explain dead links.
    re_path(
        r"^compte/confirm-email/(?P<key>[-:\w]+)/$",
        ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
    # Replaces allauth's sign-up view (same path and name): two screens where the preset
    # says so (CCQ « Création du compte »).
    path("compte/signup/", SignupView.as_view(), name="account_signup"),
    path("compte/", include("allauth.urls")),
    path("langue/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
