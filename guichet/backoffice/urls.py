"""The back office under /personnel/ (namespace "backoffice"): each part keeps its own URLs."""

from __future__ import annotations

from guichet.backoffice.offerings import urls as offerings
from guichet.backoffice.people import urls as people
from guichet.backoffice.reports import urls as reports

app_name = "backoffice"
urlpatterns = [*people.urlpatterns, *offerings.urlpatterns, *reports.urlpatterns]
