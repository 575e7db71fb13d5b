from django.urls import path

from guichet.memberships.views import mine, staff, steps

app_name = "memberships"

urlpatterns = [
    path("", mine.standing, name="standing"),
    path("formulaire/<int:number>/", steps.apply, name="apply"),
    path("dossier-de-participant/<int:number>/", steps.participant_file, name="participant"),
    path("renouveler/", mine.renew, name="renew"),
    path("demandes/", mine.applications_mine, name="applications"),
    path("demandes/<int:pk>/", mine.application, name="application"),
    path("documents/<int:pk>/", mine.document, name="document"),
    path("personnel/", staff.queue, name="queue"),
    path("personnel/<int:pk>/", staff.review, name="review"),
]
