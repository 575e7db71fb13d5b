"""Staff read the whole audit trail, filtered by action, person, dossier and dates; each
event's details read as a person reads them (``journal.py``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.audit import journal as reading
from guichet.audit.models import Action, AuditEvent
from guichet.core.forms import DateField
from guichet.core.roles import Role
from guichet.core.staff import role_required

PAGE_SIZE = 50


class JournalFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    email = forms.CharField(
        label=_("Account email"),
        required=False,
        max_length=254,
        help_text=_("Who acted or for whom; part of the address is enough."),
    )
    dossier = forms.CharField(label=_("File number"), required=False, max_length=20)
    since = DateField(label=_("Since"), required=False)
    until = DateField(label=_("Until"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        return cleaned

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events matching the valid filters; days are Montreal days, both included."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if email := data["email"].strip():
            events = events.filter(
                Q(actor__email__icontains=email) | Q(subject__email__icontains=email)
            )
        if number := data["dossier"].strip():
            events = events.filter(dossier__number=number)
        zone = timezone.get_current_timezone()
        if data["since"]:
            events = events.filter(occurred_at__gte=datetime.combine(data["since"], time(), zone))
        if data["until"]:
            next_day = data["until"] + timedelta(days=1)
            events = events.filter(occurred_at__lt=datetime.combine(next_day, time(), zone))
        return events


@role_required(Role.ADMINISTRATION, Role.PRIVACY)
def journal(request: HttpRequest) -> HttpResponse:
    form = JournalFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor", "subject", "dossier")
    events = form.filter(events) if form.is_bound else events
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = reading.read(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/journal.html", context)
