from django.urls import include, path

app_name = "dossiers"

urlpatterns = [
    path("", include("guichet.dossiers.urls.profile")),
    path("", include("guichet.dossiers.urls.linking")),
    path("", include("guichet.dossiers.urls.member_signup")),
    path("personnel/", include("guichet.dossiers.urls.staff")),
    path("personnel/", include("guichet.dossiers.urls.staff_linking")),
    path("personnel/", include("guichet.dossiers.urls.staff_delegation")),
]
