"""The back office's offerings pages (docs/backoffice.md): the list by season and kind, the
form in both languages with sessions, options and questions, the public page's preview in
French or English, and « Dupliquer la saison ». Registrar role (Administration holds it too);
everyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.backoffice.offerings.forms import (
    CopySeasonForm,
    ListFilterForm,
    OfferingForm,
    OptionFormSet,
    QuestionFormSet,
    SessionFormSet,
)
from guichet.backoffice.offerings.seasons import Season
from guichet.catalog import eligibility
from guichet.catalog.models import Offering
from guichet.catalog.services.offerings import (
    OfferingChanges,
    Related,
    copy_offerings,
    save_offering,
)
from guichet.core.staff import Role, acting_role, role_required

ROLES = (Role.REGISTRAR,)
PER_PAGE = 50


def seasons_with_offerings() -> list[Season]:
    """The seasons some offering starts in, with this season and the next (one query)."""
    today = Season.of(timezone.localdate())
    months = Offering.objects.dates("starts_on", "month")
    return sorted({today, today.next(), *(Season.of(month) for month in months)})


def in_season(season: Season) -> QuerySet[Offering]:
    return Offering.objects.filter(starts_on__gte=season.starts_on, starts_on__lte=season.ends_on)


@role_required(*ROLES)
def offering_list(request: HttpRequest) -> HttpResponse:
    seasons = seasons_with_offerings()
    form = ListFilterForm(request.GET or None, seasons=seasons)
    season = Season.of(timezone.localdate())
    kind = ""
    if form.is_bound and form.is_valid():
        season = Season.from_key(form.cleaned_data["season"]) or season
        kind = form.cleaned_data["kind"]
    elif not form.is_bound:
        form = ListFilterForm(initial={"season": season.key}, seasons=seasons)
    offerings = in_season(season).order_by("starts_on", "title", "pk")
    if kind:
        offerings = offerings.filter(kind=kind)
    page = Paginator(offerings, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/offerings/list.html",
        {"form": form, "page": page, "season": season, "query": query.urlencode()},
    )


@role_required(*ROLES)
def offering_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    offering = get_object_or_404(Offering, pk=pk) if pk is not None else Offering()
    data = request.POST if request.method == "POST" else None
    form = OfferingForm(data, instance=offering)
    formsets = {
        "sessions": SessionFormSet(data, instance=offering, prefix="sessions"),
        "options": OptionFormSet(data, instance=offering, prefix="options"),
        "questions": QuestionFormSet(data, instance=offering, prefix="questions"),
    }
    if data is not None:
        # Every part is checked, so each shows its errors at once.
        checked = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
        if all(checked):
            created = offering.pk is None
            changes = OfferingChanges(
                **{
                    name: Related(saved=formset.save(commit=False), deleted=formset.deleted_objects)
                    for name, formset in formsets.items()
                }
            )
            saved = save_offering(
                form.save(commit=False),
                changes,
                actor=request.user,
                role=acting_role(request.user, ROLES),
                changed=form.changed_data,
            )
            done = (
                _("The offering « %(title)s » was created.")
                if created
                else _("The offering « %(title)s » was saved.")
            )
            messages.success(request, done % {"title": saved.title})
            return redirect("backoffice:offering_edit", pk=saved.pk)
        messages.error(
            request, _("The offering was not saved: see the messages beside the fields.")
        )
    return render(
        request,
        "backoffice/offerings/edit.html",
        {"form": form, "formsets": formsets, "offering": offering if offering.pk else None},
    )


@role_required(*ROLES)
def offering_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page as a visitor would see it, in French or English (« ?langue=en »),
    whether or not it is published; nobody can register from it."""
    language = "en" if request.GET.get("langue") == "en" else "fr"
    offering = get_object_or_404(
        Offering.objects.prefetch_related("sessions", "options", "questions", "documents"), pk=pk
    )
    now = timezone.now()
    with translation.override(language):
        response = render(
            request,
            "backoffice/offerings/preview.html",
            {
                "offering": offering,
                "now": now,
                "is_open": offering.is_open(now),
                "not_yet_open": now < offering.registration_opens_at,
                "closed": now >= offering.registration_closes_at,
                "rules": eligibility.rules(offering),
                "people": [],
                "register_url": "",
                "register_here": None,
                "preview_language": language,
            },
        )
    response["Content-Language"] = language
    return response


@role_required(*ROLES)
def season_copy(request: HttpRequest) -> HttpResponse:
    """« Dupliquer la saison »: every offering starting in a season, copied to a later one."""
    sources = seasons_with_offerings()
    first = sources[0] if sources else Season.of(timezone.localdate())
    targets = [first.next()]
    while len(targets) < 12:
        targets.append(targets[-1].next())
    targets = sorted({*targets, *sources})
    default = Season.of(timezone.localdate())
    data = request.POST if request.method == "POST" else None
    form = CopySeasonForm(
        data,
        sources=sources,
        targets=targets,
        initial={"source": default.key, "target": default.next().key},
    )
    if data is not None and form.is_valid():
        source, target = form.cleaned_data["source_season"], form.cleaned_data["target_season"]
        if source is None or target is None:
            raise Http404
        originals = in_season(source).prefetch_related("sessions", "options", "questions")
        copies = copy_offerings(
            list(originals),
            shift=source.shift_to(target),
            suffix=target.key,
            actor=request.user,
            role=acting_role(request.user, ROLES),
        )
        messages.success(
            request,
            ngettext(
                "%(n)s offering copied to %(season)s, unpublished: check it, then publish it.",
                "%(n)s offerings copied to %(season)s, unpublished: check them, then publish them.",
                len(copies),
            )
            % {"n": len(copies), "season": target.label},
        )
        return redirect(f"{reverse('backoffice:offering_list')}?season={target.key}")
    return render(request, "backoffice/offerings/copy.html", {"form": form})
