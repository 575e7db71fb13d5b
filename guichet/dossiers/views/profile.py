"""« Mon dossier »: the home page and the sections the dossiers app serves.

The sections act on the account's own dossier (« titulaire »). An account that only
manages family members' dossiers is pointed to « Activez votre dossier ». The menu and the
page around each section are core's shell (``guichet.core.shell``); this app's sections
are registered in ``apps.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.types import SignedInRequest
from guichet.audit.models import AuditEvent
from guichet.core.shell import page_context, require_section
from guichet.dossiers import permissions
from guichet.dossiers.forms.profile import (
    CardForm,
    EndFunctionForm,
    FunctionForm,
    InformationForm,
    InterestsForm,
    SubscriptionsForm,
)
from guichet.dossiers.models import (
    Dossier,
    DossierLink,
    Function,
    Interest,
    LinkRole,
    Profile,
)
from guichet.dossiers.services import profile as services
from guichet.privacy.models import MailingList
from guichet.privacy.services import purposes, record_consents

ACTIVITY_PAGE_SIZE = 25

SectionView = Callable[..., HttpResponse]


def held_section(section: str) -> Callable[[SectionView], SectionView]:
    """Signed in, with a held dossier passed to the view; otherwise a clear pointer."""

    def decorator(view: SectionView) -> SectionView:
        @login_required
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_section(kwargs.get("section", section))
            dossier = permissions.held_dossier(request.user)
            if dossier is None:
                context = page_context(kwargs.get("section", section))
                return render(request, "dossiers/profile/no_held_dossier.html", context)
            return view(request, dossier, *args, **kwargs)

        return wrapped

    return decorator


def posted(request: HttpRequest) -> tuple[Any, Any]:
    """The form data, even when empty (every box unchecked), or None on a GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    # The held dossier and its profile in one query (``permissions.held_dossier``'s link).
    link = (
        DossierLink.objects.active()
        .filter(account=request.user, role=LinkRole.HOLDER)
        .select_related("dossier__profile")
        .first()
    )
    dossier = link.dossier if link else None
    if dossier is None and not DossierLink.objects.active().filter(account=request.user).exists():
        if request.user.is_staff:
            return redirect("core:staff")  # staff serve others; they need no dossier
        return redirect("dossiers:activate")  # first sign-in: « Activez votre dossier »
    profile = getattr(dossier, "profile", None) if dossier else None
    context = page_context(
        "home",
        dossier=dossier,
        profile=profile,
        delegation=permissions.active_delegation(request.user),
    )
    return render(request, "dossiers/profile/home.html", context)


@held_section("information")
def information(request: SignedInRequest, dossier: Dossier) -> HttpResponse:
    form = InformationForm.for_dossier(dossier, posted(request)[0])
    if request.method == "POST" and form.is_valid():
        changed = services.update_information(
            dossier, form.cleaned_data, actor=request.user, request=request
        )
        if changed:
            messages.success(request, _("Your information has been saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("dossiers:information")
    context = page_context(
        "information",
        dossier=dossier,
        form=form,
        change_request_url=reverse("requests:change", args=[dossier.pk]),
    )
    return render(request, "dossiers/profile/information.html", context)


@held_section("card")
def card(request: SignedInRequest, dossier: Dossier) -> HttpResponse:
    profile = Profile.objects.filter(dossier=dossier).first() or Profile(dossier=dossier)
    initial = {name: getattr(profile, name) for name in services.CARD_FIELDS}
    form = CardForm(*posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_card(
            dossier,
            {name: data[name] for name in services.CARD_FIELDS},
            photo=data["photo"],
            remove_photo=data["remove_photo"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Your profile card has been saved."))
        return redirect("dossiers:card")
    context = page_context("card", dossier=dossier, profile=profile, form=form)
    return render(request, "dossiers/profile/card.html", context)


@login_required
def photo(request: SignedInRequest, pk: int) -> FileResponse:
    """The profile photo, only to those who may act for the dossier (never a public URL)."""
    dossier, _right = permissions.dossier_for(request.user, pk)
    profile = Profile.objects.filter(dossier=dossier).exclude(photo="").first()
    if profile is None:
        raise Http404
    try:
        handle = profile.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def render_functions(
    request: HttpRequest,
    dossier: Dossier,
    add_form: FunctionForm | None = None,
    failed_end: EndFunctionForm | None = None,
) -> HttpResponse:
    functions = list(dossier.functions.all())
    current = [
        (function, failed_end if failed_end and failed_end.function == function else None)
        for function in functions
        if function.ended_on is None
    ]
    context = page_context(
        "functions",
        dossier=dossier,
        current=[(f, form or EndFunctionForm(function=f)) for f, form in current],
        past=[function for function in functions if function.ended_on is not None],
        form=add_form or FunctionForm(),
    )
    return render(request, "dossiers/profile/functions.html", context)


@held_section("functions")
def functions(request: SignedInRequest, dossier: Dossier) -> HttpResponse:
    """« Mes fonctions »; a POST adds a function (« Ajouter une fonction »)."""
    if request.method != "POST":
        return render_functions(request, dossier)
    form = FunctionForm(request.POST)
    if not form.is_valid():
        return render_functions(request, dossier, add_form=form)
    services.add_function(dossier, **form.cleaned_data, actor=request.user, request=request)
    if form.cleaned_data["ended_on"] is None:
        messages.success(
            request,
            _(
                "Function added. Your employer's address is now your main address "
                "in « My information »."
            ),
        )
    else:
        messages.success(request, _("Function added."))
    return redirect("dossiers:functions")


@require_POST
@held_section("functions")
def end_function(request: SignedInRequest, dossier: Dossier, pk: int) -> HttpResponse:
    """« Indiquer la fin de ma fonction »; only the person's own functions (else 404)."""
    function = get_object_or_404(Function.objects.filter(dossier=dossier), pk=pk)
    form = EndFunctionForm(request.POST, function=function)
    if not form.is_valid():
        return render_functions(request, dossier, failed_end=form)
    services.end_function(
        function, ended_on=form.cleaned_data["ended_on"], actor=request.user, request=request
    )
    messages.success(request, _("The end of your function has been saved."))
    return redirect("dossiers:functions")


@held_section("subscriptions")
def subscriptions(request: SignedInRequest, dossier: Dossier) -> HttpResponse:
    lists = list(MailingList.objects.filter(active=True))
    language = get_language() or "fr"
    # Each purpose with its wording and its history (privacy's): never answered is off.
    shown = purposes(dossier, lists, language)
    granted = {purpose.mailing_list.pk for purpose in shown if purpose.granted}
    form = SubscriptionsForm(posted(request)[0], lists=lists, granted=granted)
    if request.method == "POST" and form.is_valid():
        changed = record_consents(dossier, form.choices(), actor=request.user, request=request)
        if changed:
            messages.success(request, _("Your subscriptions have been saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("dossiers:subscriptions")
    rows = [(purpose.name, form[f"list_{purpose.mailing_list.pk}"], purpose) for purpose in shown]
    # Members are warned before they turn off their corporation's news (COMAQ's guide).
    is_member = dossier.is_member_on(timezone.localdate())
    context = page_context(
        "subscriptions", dossier=dossier, form=form, rows=rows, is_member=is_member
    )
    return render(request, "dossiers/profile/subscriptions.html", context)


@held_section("interests")
def interests(request: SignedInRequest, dossier: Dossier) -> HttpResponse:
    offered = Interest.objects.filter(active=True)
    profile = Profile.objects.filter(dossier=dossier).first()
    chosen = list(profile.interests.values_list("pk", flat=True)) if profile else []
    form = InterestsForm(posted(request)[0], offered=offered, initial={"interests": chosen})
    if request.method == "POST" and form.is_valid():
        services.set_interests(
            dossier, form.cleaned_data["interests"], actor=request.user, request=request
        )
        messages.success(request, _("Your interests have been saved."))
        return redirect("dossiers:interests")
    context = page_context("interests", dossier=dossier, form=form)
    return render(request, "dossiers/profile/interests.html", context)


@held_section("activity")
def activity(request: SignedInRequest, dossier: Dossier) -> HttpResponse:
    """« Activité de mon dossier »: who did what to the dossier, under which right."""
    events = AuditEvent.objects.filter(dossier=dossier).select_related("actor")
    page = Paginator(events, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = page_context("activity", dossier=dossier, page=page)
    return render(request, "dossiers/profile/activity.html", context)
