from django.urls import path

from guichet.dossiers.views import staff_linking

urlpatterns = [
    path("code-de-liaison/", staff_linking.issue_code, name="staff_issue_code"),
]
