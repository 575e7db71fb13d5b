"""« Mes données » in « Mon dossier »: a copy of one's data, and closing one's account.

An archive is its account's alone (``DataExport.objects.of``): any other id answers 404.
Downloading asks for a fresh sign-in (allauth's re-authentication) and works once.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.core.shell import page_context, require_section
from guichet.privacy import registry
from guichet.privacy.forms import ClosureForm
from guichet.privacy.models import DataExport
from guichet.privacy.services import closing, exporting

SECTION = "my_data"


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    require_section(SECTION)
    exporting.expire_exports()
    return render_page(request, ClosureForm())


def render_page(request: HttpRequest, form: ClosureForm, status: int = 200) -> HttpResponse:
    exports = list(DataExport.objects.of(request.user)[:5])
    context = page_context(
        SECTION,
        exports=exports,
        preparing=any(export.is_pending for export in exports),
        closure=closing.pending_closure(request.user),
        contributors=registry.contributors(),
        form=form,
        now=timezone.now(),
    )
    return render(request, "privacy/my_data.html", context, status=status)


@login_required
@require_POST
def ask_copy(request: HttpRequest) -> HttpResponse:
    require_section(SECTION)
    exporting.request_export(request.user, request=request)
    messages.success(
        request,
        _("Your copy is being prepared. We will email you when it is ready to download."),
    )
    return redirect("dossiers:my_data")


@login_required
@reauthentication_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    require_section(SECTION)
    content = exporting.take_download(request.user, pk, request=request)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/zip")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{day}.zip"'
    return response


@login_required
@require_http_methods(["POST"])
def ask_closure(request: HttpRequest) -> HttpResponse:
    require_section(SECTION)
    form = ClosureForm(request.POST)
    if not form.is_valid():
        return render_page(request, form, status=400)
    closing.request_closure(request.user, request=request)
    messages.success(
        request,
        _("Your request to close your account was sent. Our privacy officer will handle it."),
    )
    return redirect("dossiers:my_data")


@login_required
@require_POST
def withdraw_closure(request: HttpRequest) -> HttpResponse:
    require_section(SECTION)
    if closing.withdraw_closure(request.user, request=request):
        messages.success(request, _("Your request to close your account was withdrawn."))
    return redirect("dossiers:my_data")
