from django.http import HttpResponse
from django.urls import path


def activate(request):  # replaced by the linking views
    return HttpResponse("Activez votre dossier")


urlpatterns = [path("activer/", activate, name="activate")]
