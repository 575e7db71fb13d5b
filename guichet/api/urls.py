"""``/api/v1/``: the resources, the schema and its documentation page."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from guichet.api.views.billing import CreditNoteViewSet, InvoiceViewSet, PaymentViewSet
from guichet.api.views.catalog import OfferingViewSet, SessionViewSet
from guichet.api.views.docs import DocsView, SchemaView
from guichet.api.views.dossiers import DossierViewSet
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

urlpatterns = [
    path("v1/", DocsView.as_view(), name="docs"),
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
]
