from django.urls import path

from guichet.audit import views

app_name = "audit"

urlpatterns = [path("", views.journal, name="journal")]
