"""``/api/v1/``: the resources, the schema and its documentation page."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from guichet.api.views import staff
from guichet.api.views.billing import CreditNoteViewSet, InvoiceViewSet, PaymentViewSet
from guichet.api.views.catalog import OfferingViewSet, SessionViewSet
from guichet.api.views.docs import DocsView, SchemaView, not_found
from guichet.api.views.dossiers import DossierViewSet
from guichet.api.views.memberships import (
    ApplicationViewSet,
    MembershipViewSet,
    MemberTypeViewSet,
)
from guichet.api.views.organizations import OrganizationViewSet, RelationViewSet
from guichet.api.views.registrations import RegistrationViewSet

app_name = "api"

router = SimpleRouter()
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("offerings", OfferingViewSet, basename="offering")
router.register("sessions", SessionViewSet, basename="session")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("credit-notes", CreditNoteViewSet, basename="credit-note")
router.register("payments", PaymentViewSet, basename="payment")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register(
    r"organizations/(?P<organization>[^/.]+)/relations", RelationViewSet, basename="relation"
)
router.register("member-types", MemberTypeViewSet, basename="member-type")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("membership-applications", ApplicationViewSet, basename="membership-application")

urlpatterns = [
    # « API et webhooks » for staff (Administration), outside the admin.
    path("personnel/", staff.index, name="staff"),
    path("personnel/cles/nouvelle/", staff.new_key, name="staff_new_key"),
    path("personnel/cles/<int:pk>/revoquer/", staff.revoke, name="staff_revoke_key"),
    path("personnel/webhooks/nouvelle/", staff.new_endpoint, name="staff_new_endpoint"),
    path("personnel/webhooks/<int:pk>/", staff.endpoint, name="staff_endpoint"),
    path("personnel/webhooks/<int:pk>/archiver/", staff.archive, name="staff_archive_endpoint"),
    path("personnel/livraisons/<int:pk>/renvoyer/", staff.redeliver, name="staff_redeliver"),
    path("v1/", DocsView.as_view(), name="docs"),
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
    # Any other address under the API: 404 as problem+json, not the site's HTML page.
    re_path(r"^v1/", not_found),
]
