from django.urls import path

from guichet.requests import views

app_name = "requests"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("numero-de-dossier/", views.dossier_number, name="dossier_number"),
    path("<int:pk>/", views.detail, name="detail"),
    path("modification/<int:dossier_pk>/", views.change, name="change"),
    path("signalement/<int:link_pk>/", views.report_guardian, name="report_guardian"),
    path("courriel-du-dossier/", views.email_on_file, name="email_on_file"),
    path("personnel/", views.queue, name="queue"),
    path("personnel/<int:pk>/", views.review, name="review"),
    path("personnel/tuteurs/<int:pk>/", views.guardian_review, name="guardian_review"),
]
