"""Register to one offering: who → questions and options → review → result.

The choices travel in the session between steps (« Précédent » keeps them); the final
form carries a uuid4 idempotency key so a double click registers once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from guichet.catalog.models import Offering
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, DossierLink, LinkRole
from guichet.registrations.forms import DetailsForm, SearchForm, SubmitForm, WhoForm
from guichet.registrations.models import Submission
from guichet.registrations.services.register import Line, registration_right, submit_cart
from guichet.registrations.views.busy import friendly_when_busy
from guichet.registrations.views.queue import queue_gate

STEPS = ("who", "details", "review")


def household_choices(account: Any) -> list[tuple[int, str]]:
    links = (
        DossierLink.objects.active()
        .filter(account=account)
        .select_related("dossier")
        .order_by("-role", "dossier__first_name")
    )
    return [(link.dossier.pk, link.dossier.display_name) for link in links]


def delegate_choices(query: str) -> list[tuple[int, str]]:
    """People with an active account whose name matches (delegates only)."""
    words = query.split()
    if not words:
        return []
    links = DossierLink.objects.active().filter(role=LinkRole.HOLDER, account__is_active=True)
    for word in words:
        links = links.filter(dossier__first_name__icontains=word) | links.filter(
            dossier__last_name__icontains=word
        )
    links = links.select_related("dossier").order_by("dossier__last_name")[:20]
    return [
        (link.dossier.pk, f"{link.dossier.display_name} ({link.dossier.number})") for link in links
    ]


def _state(request: HttpRequest, offering: Offering) -> dict[str, Any]:
    return request.session.setdefault(f"registration:{offering.pk}", {})


@login_required
@friendly_when_busy
def start(request: HttpRequest, slug: str) -> HttpResponse:
    offering = get_object_or_404(Offering.objects.published(), slug=slug)
    if waiting_page := queue_gate(request, [offering.registration_opens_at]):
        return waiting_page
    step = request.GET.get("step", "who") if request.method == "GET" else request.POST.get("step")
    if step not in STEPS:
        step = "who"
    state = _state(request, offering)
    if request.method == "POST" and "previous" in request.POST:
        request.session.modified = True
        return redirect(f"{request.path}?step={STEPS[max(0, STEPS.index(step) - 1)]}")
    if step == "who":
        return _who(request, offering, state)
    if not state.get("participants"):
        return redirect(f"{request.path}?step=who")
    if step == "details":
        return _details(request, offering, state)
    return _review(request, offering, state)


def _who(request: HttpRequest, offering: Offering, state: dict[str, Any]) -> HttpResponse:
    delegation = permissions.active_delegation(request.user)
    # The search is a GET form (« Rechercher »); the POST carries its query to rebuild choices.
    search = SearchForm(request.GET if "q" in request.GET else None)
    query = (request.POST.get("q") or request.GET.get("q") or "") if delegation else ""
    choices = household_choices(request.user)
    if delegation:
        known = {pk for pk, _ in choices}
        chosen = Dossier.objects.filter(pk__in=state.get("participants", [])).exclude(pk__in=known)
        choices += [(d.pk, d.display_name) for d in chosen]
        known |= {pk for pk, _ in choices}
        choices += [c for c in delegate_choices(query) if c[0] not in known]
    form = WhoForm(
        request.POST or None,
        choices=choices,
        initial={"participants": state.get("participants", [])},
    )
    if request.method == "POST" and form.is_valid():
        dossiers = Dossier.objects.filter(pk__in=form.cleaned_data["participants"])
        state["participants"] = [
            d.pk for d in dossiers if registration_right(request.user, d) is not None
        ]
        request.session.modified = True
        return redirect(f"{request.path}?step=details")
    return render(
        request,
        "registrations/start_who.html",
        {
            "offering": offering,
            "form": form,
            "opens_later": offering.registration_opens_at > timezone.now(),
            "search": search if delegation else None,
            "query": query,
            "searched": bool(query),
        },
    )


def _details(request: HttpRequest, offering: Offering, state: dict[str, Any]) -> HttpResponse:
    form = DetailsForm(request.POST or None, offering=offering, initial=state.get("details", {}))
    if request.method == "POST" and form.is_valid():
        state["details"] = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        state["choices"] = {
            **form.choices(),
            "options": {str(k): v for k, v in form.choices()["options"].items()},
            "companions": {str(k): v for k, v in form.choices()["companions"].items()},
        }
        request.session.modified = True
        return redirect(f"{request.path}?step=review")
    if not form.fields and request.method == "GET":
        state["details"], state["choices"] = {}, {"options": {}, "answers": {}, "companions": {}}
        request.session.modified = True
        return redirect(f"{request.path}?step=review")
    return render(request, "registrations/start_details.html", {"offering": offering, "form": form})


def _review(request: HttpRequest, offering: Offering, state: dict[str, Any]) -> HttpResponse:
    choices = state.get("choices") or {"options": {}, "answers": {}, "companions": {}}
    participants = list(Dossier.objects.filter(pk__in=state["participants"]))
    form = SubmitForm(request.POST or None, initial={"key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        lines = [
            Line(
                offering,
                participant,
                {int(k): v for k, v in choices["options"].items()},
                choices["answers"],
                {int(k): v for k, v in choices["companions"].items()},
            )
            for participant in participants
        ]
        result = submit_cart(
            actor=request.user,
            lines=lines,
            idempotency_key=str(form.cleaned_data["key"]),
            right_for=None,
        )
        request.session.pop(f"registration:{offering.pk}", None)
        return redirect(reverse("registrations:result", args=[result["key"]]))
    options = {o.pk: o for o in offering.options.all()}
    chosen_options = [
        (options[int(k)], v) for k, v in choices["options"].items() if int(k) in options
    ]
    return render(
        request,
        "registrations/start_review.html",
        {
            "offering": offering,
            "form": form,
            "participants": participants,
            "answers": choices["answers"],
            "chosen_options": chosen_options,
        },
    )


@login_required
def result(request: HttpRequest, key: str) -> HttpResponse:
    submission = get_object_or_404(Submission, key=key, account=request.user)
    return render(
        request, "registrations/result.html", {"lines": submission.result.get("lines", [])}
    )
