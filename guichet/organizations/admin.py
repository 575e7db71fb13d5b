"""Staff edit the authorized subjects (the operator's table); relations, their subjects and
the submissions are read-only here: they change through the forms' services, which check,
audit and email."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.organizations.models import AuthorizedSubject, Relation, RelationSubject, Submission


@admin.register(AuthorizedSubject)
class AuthorizedSubjectAdmin(admin.ModelAdmin):
    list_display = ("name_fr", "name_en", "code", "grants", "order", "is_active")
    list_editable = ("order", "is_active")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history refers to them: staff stop offering one instead


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RelationSubjectInline(admin.TabularInline):
    model = RelationSubject
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Relation)
class RelationAdmin(ReadOnly):
    list_display = (
        "contact",
        "organization",
        "through",
        "kind",
        "start_date",
        "end_date",
        "removed_at",
    )
    list_filter = ("kind",)
    search_fields = (
        "contact__last_name",
        "organization__organization_name",
        "organization__number",
    )
    raw_id_fields = ("contact", "organization", "through")
    inlines = [RelationSubjectInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = ("form", "organization", "submitted_by", "status", "submitted_at")
    list_filter = ("form", "status")
