from django.urls import path

from guichet.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.offering_list, name="list"),
    path("<slug:slug>/", views.offering_detail, name="detail"),
]
