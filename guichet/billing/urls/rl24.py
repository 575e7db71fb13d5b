"""Billing URLs: the Relevé 24 (payer's page and slips; the staff batch)."""

from django.urls import path

from guichet.billing.views import rl24

urlpatterns = [
    path("releve-24/", rl24.payer_rl24, name="rl24"),
    path("releve-24/<int:pk>/", rl24.payer_rl24_slip, name="rl24_slip"),
    path(
        "releve-24/partage/<int:year>/<int:child>/",
        rl24.payer_rl24_split,
        name="rl24_split",
    ),
    path("personnel/releve-24/", rl24.staff_rl24, name="rl24_staff"),
    path("personnel/releve-24/<int:pk>/", rl24.staff_rl24_batch, name="rl24_staff_batch"),
    path(
        "personnel/releve-24/<int:pk>/progres/",
        rl24.staff_rl24_progress,
        name="rl24_staff_progress",
    ),
    path("personnel/releve-24/releve/<int:pk>/", rl24.staff_rl24_slip, name="rl24_staff_slip"),
]
