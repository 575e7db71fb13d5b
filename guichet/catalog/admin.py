"""Offerings in the admin, each text in French and English (modeltranslation's admin shows
``title_fr`` and ``title_en`` where ``title`` was); staff edit them on the back office's own
pages (docs/backoffice.md). Spots taken move only through registrations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from guichet.catalog.bilingual import in_french
from guichet.catalog.models import Offering, OfferingDocument, Option, Question, Session


class SessionInline(TranslationTabularInline):
    model = Session
    extra = 0


class OptionInline(TranslationTabularInline):
    model = Option
    extra = 0
    # Counted by the registrations services under a conditional UPDATE; never typed.
    readonly_fields = ("taken",)
    fields = (
        "kind",
        "name",
        "price",
        "capacity",
        "taken",
        "max_per_registration",
        "card_only",
        "position",
    )


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0


class OfferingDocumentInline(TranslationTabularInline):
    model = OfferingDocument
    extra = 0


@admin.register(Offering)
class OfferingAdmin(TranslationAdmin):
    list_display = (
        "title",
        "kind",
        "starts_on",
        "place",
        "capacity",
        "spots_left_display",
        "registration_opens_at",
        "published",
    )
    list_filter = ("kind", "published", "starts_on", "members_only", "residents_only")
    search_fields = ("title", "code", "place")
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ("title_fr",)}
    readonly_fields = ("spots_taken", "created_at", "updated_at")
    inlines = (SessionInline, OptionInline, QuestionInline, OfferingDocumentInline)
    save_on_top = True
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "title",
                    "slug",
                    "code",
                    "summary",
                    "description",
                    "published",
                )
            },
        ),
        (
            _("When and where"),
            {"fields": ("starts_on", "ends_on", "schedule", "place", "hours")},
        ),
        (
            _("Capacity and prices"),
            {
                "fields": (
                    "capacity",
                    "spots_taken",
                    "member_price",
                    "non_member_price",
                    "tax_exempt",
                    "childcare_eligible",
                )
            },
        ),
        (
            _("Registration window"),
            {
                "fields": (
                    "registration_opens_at",
                    "registration_closes_at",
                    "change_deadline",
                    "refund_policy",
                    "cancellation_fee",
                    "hold_minutes",
                    "offer_hours",
                )
            },
        ),
        (
            _("Eligibility"),
            {
                "fields": (
                    "min_age",
                    "max_age",
                    "members_only",
                    "residents_only",
                    "residents_first_until",
                    "one_per_person",
                    "household_cap",
                )
            },
        ),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("spots left"))
    def spots_left_display(self, offering: Offering) -> int:
        return offering.spots_left

    def save_model(self, request: HttpRequest, obj: Offering, form: Any, change: bool) -> None:
        with in_french():
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Offering | None = None) -> bool:
        # An offering with registrations keeps its history: unpublish it instead.
        if obj is not None and obj.spots_taken:
            return False
        return super().has_delete_permission(request, obj)
