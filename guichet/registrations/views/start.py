"""Register to one offering: who → questions and options → review → result.

The questions and options are asked for each participant chosen (one form each, prefixed
with the participant's dossier), and each participant's ``ToRegister`` carries their own answers.
The choices travel in the session between steps (« Précédent » keeps them); the final
form carries a uuid4 idempotency key so a double click registers once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.db import SessionStore as DatabaseSession
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import presets
from guichet.accounts.types import SignedInRequest
from guichet.catalog.forms import RegisterHereForm
from guichet.catalog.models import Offering, OfferingKind
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, DossierLink
from guichet.presets import Feature
from guichet.registrations.choices import Choices
from guichet.registrations.forms import (
    DetailsForm,
    SearchForm,
    SubmitForm,
    WhoForm,
    details_forms,
)
from guichet.registrations.models import Submission
from guichet.registrations.quote import grand_total, quote
from guichet.registrations.services.billing import billing_applies
from guichet.registrations.services.register import (
    Outcome,
    Refusal,
    ToRegister,
    refusals,
    registration_right,
    submit_cart,
)
from guichet.registrations.views.busy import friendly_when_busy
from guichet.registrations.views.queue import queue_gate

STEPS = ("who", "details", "review")
HERE = "here"  # the offering page's own form (nothing to ask): one POST


def _household_links(account: Any) -> Any:
    return (
        DossierLink.objects.active()
        .filter(account=account)
        .select_related("dossier")
        .order_by("-role", "dossier__first_name")
    )


def household_choices(account: Any) -> list[tuple[int, str]]:
    return [(link.dossier.pk, link.dossier.display_name) for link in _household_links(account)]


def delegate_choices(query: str) -> list[tuple[int, str]]:
    """People with an active account whose name matches (delegates only)."""
    words = query.split()
    if not words:
        return []
    people = permissions.people_with_an_account()
    for word in words:
        people = people.filter(first_name__icontains=word) | people.filter(
            last_name__icontains=word
        )
    return [
        (person.pk, f"{person.display_name} ({person.number})")
        for person in people.order_by("last_name")[:20]
    ]


def _state_key(offering: Offering) -> str:
    return f"registration:{offering.pk}"


def _state(request: HttpRequest, offering: Offering) -> dict[str, Any]:
    return request.session.setdefault(_state_key(offering), {})


def _admitted(request: HttpRequest, offering: Offering) -> bool:
    """The who step was posted after this opening, so the queue had admitted this person
    (an admission is for good: ``QueueTicket.admitted_at``): the later steps skip the
    ticket's query. A who step posted before the opening proves nothing and is not marked."""
    state = request.session.get(_state_key(offering)) or {}
    return state.get("admitted") == offering.registration_opens_at.isoformat()


def _forget_state_in_this_transaction(request: HttpRequest, offering: Offering) -> None:
    """Clear the wizard's state in the submission's own transaction when sessions live in
    the database: one commit per submission instead of two (the session middleware would
    write it in a transaction of its own after the response), and one ``UPDATE`` without the
    savepoint ``SessionStore.save`` wraps it in. It is written before the cart so the
    offering's row lock is not held longer, and it rolls back with a failed cart, so the
    retry still finds the choices. A session kept elsewhere (Redis) is cleared by the
    middleware after a successful cart, as before."""
    session = request.session
    if type(session) is not DatabaseSession:  # not cached_db: its cache never rolls back
        return
    session.pop(_state_key(offering), None)
    # ``create_model_instance`` is the store's documented hook: same row, same encoding.
    session.create_model_instance(dict(session.items())).save(force_update=True)
    session.modified = False  # written: the middleware has nothing left to do


@login_required
@friendly_when_busy
def start(request: SignedInRequest, slug: str) -> HttpResponse:
    offering = get_object_or_404(Offering.objects.published(), slug=slug)
    arrived = timezone.now()  # before the gate: at or after the opening, the gate admitted
    if not _admitted(request, offering) and (
        waiting_page := queue_gate(request, [offering.registration_opens_at])
    ):
        return waiting_page
    step = request.GET.get("step", "who") if request.method == "GET" else request.POST.get("step")
    if step == HERE and request.method == "POST":
        return _here(request, offering)
    if step not in STEPS:
        step = "who"
    state = _state(request, offering)
    if request.method == "POST" and "previous" in request.POST:
        if step == "details":
            _keep_typed_details(request, offering, state)
        request.session.modified = True
        return redirect(f"{request.path}?step={STEPS[max(0, STEPS.index(step) - 1)]}")
    if step == "who":
        return _who(request, offering, state, arrived)
    if not state.get("participants"):
        return redirect(f"{request.path}?step=who")
    if step == "details":
        return _details(request, offering, state)
    return _review(request, offering, state)


def _who(
    request: SignedInRequest, offering: Offering, state: dict[str, Any], arrived: datetime
) -> HttpResponse:
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
    state["asks_details"] = _asks_details(offering)
    request.session.modified = True
    refused = refusals(offering, Dossier.objects.in_bulk([pk for pk, _ in choices]).values())
    form = WhoForm(
        request.POST or None,
        choices=choices,
        refused=refused,
        initial={"participants": [p for p in state.get("participants", []) if p not in refused]},
    )
    if request.method == "POST" and form.is_valid():
        found = Dossier.objects.in_bulk(form.cleaned_data["participants"])
        state["participants"] = [
            pk
            for pk in form.cleaned_data["participants"]
            if pk in found and registration_right(request.user, found[pk]) is not None
        ]
        # Answers stay with the participants still chosen, and only with them.
        chosen = {str(pk) for pk in state["participants"]}
        for key in ("details", "choices"):
            state[key] = {pk: v for pk, v in (state.get(key) or {}).items() if pk in chosen}
        if arrived >= offering.registration_opens_at:  # the queue let this request in
            state["admitted"] = offering.registration_opens_at.isoformat()
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
            "nobody": bool(choices) and len(refused) == len(choices),
            "other_offerings": _other_offerings(offering),
            **_step(state, "who"),
        },
    )


def _here(request: HttpRequest, offering: Offering) -> HttpResponse:
    """The offering page's « S'inscrire » (or « Joindre la liste d'attente ») for an offering
    that asks nothing: one POST registers the people ticked, with the same engine, key and
    guarantees as the last step of the wizard. Anything else (questions or options added
    since the page was loaded, nobody ticked, someone outside the household) goes to the
    steps, which explain."""
    household = {link.dossier.pk: link.dossier for link in _household_links(request.user)}
    form = RegisterHereForm(
        request.POST, choices=[(pk, d.display_name) for pk, d in household.items()]
    )
    if not form.is_valid() or _asks_details(offering):
        return redirect(f"{request.path}?step=who")
    lines = [ToRegister(offering, household[pk]) for pk in form.cleaned_data["participants"]]
    with transaction.atomic():
        result = submit_cart(
            actor=request.user,
            lines=lines,
            idempotency_key=str(form.cleaned_data["key"]),
            confirm_free=True,
        )
    return after_submit(request, result)


def after_submit(request: HttpRequest, result: dict[str, Any]) -> HttpResponse:
    """The answer to a submitted cart. One registration (confirmed, held or on the
    waiting list): its own page, which says so (the result page and the registration page
    are one page); several lines, or a refusal to explain: the result page."""
    lines = result.get("lines", [])
    if len(lines) == 1 and lines[0]["outcome"] != Outcome.REFUSED:
        messages.success(request, OUTCOME_MESSAGES[lines[0]["outcome"]]())
        return redirect("registrations:detail", lines[0]["registration"])
    return redirect(reverse("registrations:result", args=[result["key"]]))


OUTCOME_MESSAGES = {
    Outcome.CONFIRMED: lambda: _("Registration confirmed. A confirmation email is on its way."),
    Outcome.HELD: lambda: _("Spot held. Confirm the registration to keep it."),
    Outcome.WAITING: lambda: _(
        "Full: the registration is on the waiting list. You will get an email if a spot frees."
    ),
}


def _asks_details(offering: Offering) -> bool:
    """Whether the offering has questions or options: else the details step is skipped."""
    return (
        Offering.objects.filter(pk=offering.pk)
        .filter(Q(questions__isnull=False) | Q(options__isnull=False))
        .exists()
    )


def _step(state: dict[str, Any], name: str) -> dict[str, int]:
    """« Étape 2 de 2 »: the steps this person goes through (no details step to skip)."""
    steps = STEPS if state.get("asks_details", True) else ("who", "review")
    return {"step_number": steps.index(name) + 1, "step_count": len(steps)}


def _participants(state: dict[str, Any]) -> list[Dossier]:
    """The chosen dossiers, in the order they were chosen (one query)."""
    ids = [int(pk) for pk in state["participants"]]
    found = {d.pk: d for d in Dossier.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _details_forms(
    request: HttpRequest, offering: Offering, state: dict[str, Any], participants: list[Dossier]
) -> list[DetailsForm]:
    data = request.POST if request.method == "POST" else None
    return details_forms(
        data, offering=offering, participants=participants, initial=state.get("details", {})
    )


def _keep_typed_details(request: HttpRequest, offering: Offering, state: dict[str, Any]) -> None:
    """« Précédent » on the details step: what was typed is shown again on return."""
    if not state.get("participants"):
        return
    forms = _details_forms(request, offering, state, _participants(state))
    state["details"] = {str(form.participant.pk): form.typed() for form in forms}


def _details(request: HttpRequest, offering: Offering, state: dict[str, Any]) -> HttpResponse:
    participants = _participants(state)
    if not participants:
        return redirect(f"{request.path}?step=who")
    forms = _details_forms(request, offering, state, participants)
    valid = [form.is_valid() for form in forms]  # every form, so every error shows at once
    if request.method == "POST" and all(valid):
        state["details"] = {str(form.participant.pk): form.kept() for form in forms}
        state["choices"] = {str(form.participant.pk): form.choices().to_json() for form in forms}
        request.session.modified = True
        return redirect(f"{request.path}?step=review")
    if not forms[0].fields and request.method == "GET":
        state["details"] = {}
        state["choices"] = {str(p.pk): Choices().to_json() for p in participants}
        request.session.modified = True
        return redirect(f"{request.path}?step=review")
    return render(
        request,
        "registrations/start_details.html",
        {
            "offering": offering,
            "forms": forms,
            "has_errors": any(form.errors for form in forms),
            **_step(state, "details"),
        },
    )


def _review(request: SignedInRequest, offering: Offering, state: dict[str, Any]) -> HttpResponse:
    participants = _participants(state)
    stored = state.get("choices") or {}
    if not participants or any(str(p.pk) not in stored for p in participants):
        # A participant was added since the details step: ask their answers first.
        return redirect(f"{request.path}?step=details")
    chosen = {p.pk: Choices.from_json(stored[str(p.pk)]) for p in participants}
    if request.method == "GET" and "asks_details" not in state:
        state["asks_details"] = _asks_details(offering)
    form = SubmitForm(request.POST or None, initial={"key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        lines = [
            ToRegister(
                offering, p, chosen[p.pk].options, chosen[p.pk].answers, chosen[p.pk].companions
            )
            for p in participants
        ]
        with transaction.atomic():
            _forget_state_in_this_transaction(request, offering)
            result = submit_cart(
                actor=request.user,
                lines=lines,
                idempotency_key=str(form.cleaned_data["key"]),
                right_for=None,
                confirm_free=True,
            )
        request.session.pop(_state_key(offering), None)  # a session outside the database
        return after_submit(request, result)
    options = {o.pk: o for o in offering.options.all()}
    entries = [
        {
            "participant": participant,
            "options": [
                (options[pk], quantity, chosen[participant.pk].companions.get(pk, []))
                for pk, quantity in chosen[participant.pk].options.items()
                if pk in options
            ],
            "answers": chosen[participant.pk].answers,
            "quote": quote(offering, participant, chosen[participant.pk], options),
        }
        for participant in participants
    ]
    return render(
        request,
        "registrations/start_review.html",
        {
            "offering": offering,
            "form": form,
            "participants": participants,
            "entries": entries,
            "billed": billing_applies(),
            "total": grand_total(entry["quote"] for entry in entries),
            "full": offering.spots_left == 0,
            **_step(state, "review"),
        },
    )


@dataclass(frozen=True)
class NextAction:
    label: str
    url: str


def _other_offerings(offering: Offering) -> NextAction:
    labels = {
        OfferingKind.TRAINING: _("See the other trainings"),
        OfferingKind.EVENT: _("See the other events"),
        OfferingKind.ACTIVITY: _("See the other activities"),
    }
    return NextAction(
        labels.get(offering.kind, labels[OfferingKind.ACTIVITY]),
        f"{reverse('catalog:list')}?{urlencode({'kind': offering.kind})}",
    )


def next_actions(line: dict[str, Any], offering: Offering | None) -> list[NextAction]:
    """What the person can do after a line's outcome (the contact is always shown)."""
    mine = NextAction(_("See my registrations"), reverse("registrations:mine"))
    if line["outcome"] == Outcome.WAITING:
        return [NextAction(_("Follow the waiting list in « My registrations »"), mine.url)]
    if line["outcome"] != Outcome.REFUSED:
        return []
    refusal = line.get("refusal")
    if refusal in (Refusal.ALREADY, Refusal.HOUSEHOLD_CAP):
        return [mine]
    actions = []
    if refusal == Refusal.OPTION and offering is not None:
        url = reverse("registrations:start", args=[offering.slug])
        actions.append(NextAction(_("Start again without this option"), url))
    if offering is not None:
        actions.append(_other_offerings(offering))
    if refusal == Refusal.NOT_ELIGIBLE and presets.active().has(Feature.HOUSEHOLDS):
        url = reverse("dossiers:household")
        actions.append(NextAction(_("Check the family's information"), url))
    return actions


@login_required
def result(request: SignedInRequest, key: str) -> HttpResponse:
    submission = get_object_or_404(Submission, key=key, account=request.user)
    lines = submission.result.get("lines", [])
    offerings = Offering.objects.in_bulk({line["offering"] for line in lines})
    return render(
        request,
        "registrations/result.html",
        {
            "lines": [
                {**line, "next_actions": next_actions(line, offerings.get(line["offering"]))}
                for line in lines
            ],
            "refused": any(line["outcome"] == Outcome.REFUSED for line in lines),
            "Outcome": Outcome,
        },
    )
