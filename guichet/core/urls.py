from django.urls import path

from guichet.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("conditions/", views.terms, name="terms"),
    path("personnel/", views.staff_home, name="staff"),
]
