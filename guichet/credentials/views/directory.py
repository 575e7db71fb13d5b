"""« Répertoire des membres »: members only (anyone else gets a 404, as if it did not
exist), and the member's own choices of what it shows of them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.core.features import feature_required
from guichet.credentials import directory, membership
from guichet.credentials.forms import DirectorySearchForm, ListingForm
from guichet.credentials.models import DirectoryListing
from guichet.credentials.services.directory import update_listing
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, Profile
from guichet.presets import Feature

PAGE_SIZE = 20


def member_dossier(request: HttpRequest) -> Dossier:
    """The signed-in person's own dossier, if it is a member today; else 404."""
    dossier = permissions.held_dossier(request.user)
    if dossier is None or not membership.is_member(dossier, timezone.localdate()):
        raise Http404
    return dossier


@login_required
@feature_required(Feature.DIRECTORY)
@require_GET
def members(request: HttpRequest) -> HttpResponse:
    dossier = member_dossier(request)
    form = DirectorySearchForm(request.GET or None)
    terms = {"name": "", "region": "", "expertise": ""}
    if form.is_valid():
        terms = {name: form.cleaned_data[name] for name in terms}
    found = directory.search(directory.listed(timezone.localdate()), **terms)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [directory.entry(member) for member in page.object_list]
    query = urlencode({name: value for name, value in terms.items() if value})
    listed = Profile.objects.filter(dossier=dossier, in_directory=True).exists()
    return render(
        request,
        "credentials/directory/members.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "query": query,
            "oldest_first": True,
            "listed": listed,
        },
    )


@login_required
@feature_required(Feature.DIRECTORY)
@require_http_methods(["GET", "POST"])
def my_listing(request: HttpRequest) -> HttpResponse:
    """« Ma présence au répertoire »: appear or not, and what to show."""
    dossier = member_dossier(request)
    card = Profile.objects.filter(dossier=dossier).first()
    listing = DirectoryListing.objects.filter(dossier=dossier).first()
    initial = {"listed": bool(card and card.in_directory)}
    if listing is not None:
        initial.update(
            {name: getattr(listing, name) for name in ("region", *DirectoryListing.SHOWN_FIELDS)}
        )
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        update_listing(
            dossier,
            listed=form.cleaned_data["listed"],
            choices=form.choices(),
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Your choices for the members directory are saved."))
        return redirect("credentials:my_listing")
    return render(request, "credentials/directory/my_listing.html", {"form": form, "card": card})
