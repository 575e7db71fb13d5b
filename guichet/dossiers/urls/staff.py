from django.urls import path

from guichet.dossiers.views import importing

urlpatterns = [
    path("import/", importing.staff_import, name="staff_import"),
    path("import/<int:pk>/", importing.staff_import_detail, name="staff_import_detail"),
    path("import/<int:pk>/progres/", importing.staff_import_progress, name="staff_import_progress"),
    path("import/<int:pk>/lancer/", importing.staff_import_launch, name="staff_import_launch"),
]
