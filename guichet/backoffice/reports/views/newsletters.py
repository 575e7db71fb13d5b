"""Newsletters (role Administration): write one in French and English, send it to the
people who consent to a mailing list, and read what was sent."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.backoffice.models import Newsletter
from guichet.backoffice.reports.services import newsletters
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.privacy.models import MailingList

PAGE_SIZE = 20


class NewsletterForm(forms.Form):
    mailing_list = forms.ModelChoiceField(
        label=_("Mailing list"),
        queryset=MailingList.objects.filter(active=True),
        empty_label=None,
        help_text=_("Only the people whose latest answer to this list is « yes » receive it."),
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


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def index(request: SignedInRequest) -> HttpResponse:
    form = NewsletterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = newsletters.send(
            data["mailing_list"],
            subject=data["subject"],
            subject_en=data["subject_en"],
            body=data["body"],
            body_en=data["body_en"],
            actor=request.user,
            request=request,
        )
        messages.success(
            request,
            ngettext(
                "The newsletter is being sent to %(count)s person.",
                "The newsletter is being sent to %(count)s people.",
                sent.recipients_count,
            )
            % {"count": sent.recipients_count},
        )
        return redirect("backoffice:newsletter", pk=sent.pk)
    lists = [
        (mailing_list, newsletters.subscribers(mailing_list).count())
        for mailing_list in MailingList.objects.filter(active=True)
    ]
    sent_page = Paginator(
        Newsletter.objects.select_related("mailing_list", "sent_by"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {"form": form, "lists": lists, "page": sent_page}
    return render(
        request,
        "backoffice/reports/newsletters.html",
        context,
        status=400 if form.is_bound else 200,
    )


@role_required(Role.ADMINISTRATION)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    newsletter = get_object_or_404(
        Newsletter.objects.select_related("mailing_list", "sent_by"), pk=pk
    )
    return render(request, "backoffice/reports/newsletter.html", {"newsletter": newsletter})
