"""Messages to an offering's participants: staff write one from the roster and read what
was sent (« Envoyé le », « Envoyé par »); participants read theirs in « Mon dossier »."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.backoffice.people.services import messages, rosters
from guichet.catalog.models import Offering, Session
from guichet.core.shell import page_context, require_section
from guichet.core.staff import role_required


class MessageForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=pgettext_lazy("sessions", "All of them"),
        help_text=_("Named in the message; every participant of the offering receives it."),
    )
    subject = forms.CharField(label=_("Subject in French"), max_length=200)
    body = forms.CharField(label=_("Message in French"), widget=forms.Textarea, max_length=20000)
    subject_en = forms.CharField(
        label=_("Subject in English"),
        max_length=200,
        required=False,
        help_text=_("Left empty, English readers receive the French subject."),
    )
    body_en = forms.CharField(
        label=_("Message in English"),
        widget=forms.Textarea,
        max_length=20000,
        required=False,
        help_text=_("Left empty, English readers receive the French message."),
    )

    def __init__(self, *args: object, offering: Offering, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        sessions = self.fields["session"]
        assert isinstance(sessions, forms.ModelChoiceField)
        sessions.queryset = offering.sessions.order_by("starts_at")
        if not offering.sessions.exists():
            del self.fields["session"]


@role_required(*messages.MESSAGE_ROLES)
@require_http_methods(["GET", "POST"])
def offering_messages(request: SignedInRequest, pk: int) -> HttpResponse:
    offering = rosters.offering_for(request.user, pk)
    if not messages.may_message(request.user, offering):
        raise Http404
    form = MessageForm(request.POST or None, offering=offering)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = messages.send_to_participants(
            offering,
            session=data.get("session"),
            subject=data["subject"],
            subject_en=data["subject_en"],
            body=data["body"],
            body_en=data["body_en"],
            actor=request.user,
            request=request,
        )
        flash.success(
            request,
            ngettext(
                "The message is being sent to %(count)s address.",
                "The message is being sent to %(count)s addresses.",
                sent.emails_count,
            )
            % {"count": sent.emails_count},
        )
        return redirect("backoffice:roster_messages", pk=offering.pk)
    context = {
        "offering": offering,
        "form": form,
        "sent": messages.sent_for(offering),
        "participants": rosters.roster_size(offering),
    }
    return render(
        request,
        "backoffice/people/messages/offering.html",
        context,
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def mine(request: SignedInRequest) -> HttpResponse:
    """« Mes messages », in the « Mon dossier » menu: what staff wrote to the participants
    of the registrations the account may see."""
    require_section("messages")
    context = page_context("messages", sent=messages.messages_for(request.user)[:100])
    return render(request, "backoffice/people/messages/mine.html", context)
