"""Staff pages of the privacy officer (« Vie privée »): closure requests to apply, the
register of confidentiality incidents and the register of staff views.

Staff holding the role « Vie privée » (core.staff.Role.PRIVACY, docs/backoffice.md) or
Administration; anyone else gets a 404, as for any staff page.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.privacy import registry
from guichet.privacy.forms import ApplyClosureForm, IncidentForm, StaffViewSearchForm
from guichet.privacy.models import ClosureRequest, ClosureStatus, Incident
from guichet.privacy.services import closing
from guichet.privacy.services import incidents as incident_services
from guichet.privacy.services import staff_views as register

STAFF_VIEWS_PAGE_SIZE = 50


def privacy_officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return role_required(Role.PRIVACY)(view)


@privacy_officer_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    pending = ClosureRequest.objects.filter(status=ClosureStatus.PENDING).select_related("account")
    done = (
        ClosureRequest.objects.exclude(status=ClosureStatus.PENDING)
        .select_related("account", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return render(
        request,
        "privacy/staff/index.html",
        {"pending": pending, "done": done, "incident_count": Incident.objects.count()},
    )


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def closure(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ClosureRequest.objects.select_related("account"), pk=pk)
    form = ApplyClosureForm(request.POST or None)
    if request.method == "POST" and found.status == ClosureStatus.PENDING and form.is_valid():
        closing.apply_closure(found.pk, actor=request.user, request=request)
        messages.success(request, _("The account was closed and anonymized."))
        return redirect("privacy:staff_closure", pk=found.pk)
    return render(
        request,
        "privacy/staff/closure.html",
        {
            "closure": found,
            "form": form,
            "contributors": registry.contributors(),
            "pending": found.status == ClosureStatus.PENDING,
        },
        status=400 if request.method == "POST" else 200,
    )


@privacy_officer_required
@require_GET
def incidents(request: HttpRequest) -> HttpResponse:
    found = Incident.objects.select_related("recorded_by")
    return render(request, "privacy/staff/incidents.html", {"incidents": found})


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def new_incident(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident_services.record_incident(form.cleaned_data, actor=request.user, request=request)
        messages.success(request, _("The incident was recorded in the register."))
        return redirect("privacy:incidents")
    return render(
        request,
        "privacy/staff/incident_form.html",
        {"form": form, "title": _("Record an incident")},
        status=400 if request.method == "POST" else 200,
    )


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def incident(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Incident, pk=pk)
    form = IncidentForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        incident_services.update_incident(
            found.pk, form.cleaned_data, actor=request.user, request=request
        )
        messages.success(request, _("The incident was updated."))
        return redirect("privacy:incidents")
    title = _("Incident of %(day)s") % {"day": found.known_on.isoformat()}
    return render(
        request,
        "privacy/staff/incident_form.html",
        {"form": form, "title": title, "incident": found},
        status=400 if request.method == "POST" else 200,
    )


@privacy_officer_required
@require_GET
def incidents_csv(request: HttpRequest) -> HttpResponse:
    """The whole register, one line per incident, for the Commission when it asks."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registre-des-incidents.csv"'
    response.write("\ufeff")  # spreadsheets read the accents
    names = ["id", *incident_services.FIELDS, "recorded_at"]
    writer = csv.writer(response)
    writer.writerow([str(Incident._meta.get_field(name).verbose_name) for name in names])
    for row in Incident.objects.order_by("known_on", "id"):
        writer.writerow([register.cell(getattr(row, name)) for name in names])
    return response


@privacy_officer_required
@require_GET
def staff_views(request: HttpRequest) -> HttpResponse:
    """The register of staff views: who consulted whose file, on which page, when."""
    form = StaffViewSearchForm(request.GET or None)
    events = register.events(form.search())
    page = Paginator(events, STAFF_VIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "views": register.read(page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "privacy/staff/staff_views.html", context)


@privacy_officer_required
@require_GET
def staff_views_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The register of staff views matching the search, one line per view."""
    form = StaffViewSearchForm(request.GET or None)
    header = [
        _("When"),
        _("File number"),
        _("Person consulted"),
        _("Staff member"),
        _("Email"),
        _("Page"),
        _("Role"),
    ]
    search, language = form.search(), translation.get_language()

    def lines() -> Iterator[str]:
        # Streamed after the view returns: in the page's language still.
        with translation.override(language):
            yield from register.csv_lines(register.csv_rows(search, [str(h) for h in header]))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registre-des-consultations.csv"'
    return response
