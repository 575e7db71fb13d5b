"""Staff edit the title's rules here; attestations and awards change only through the
services (revoke and re-issue on /attestations/personnel/), so they are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.credentials.models import Attestation, CredentialProgram, RequiredCourse, TitleAward


class RequiredCourseInline(admin.TabularInline):
    model = RequiredCourse
    extra = 1


@admin.register(CredentialProgram)
class CredentialProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "hours_to_obtain", "obtain_within_years", "active")
    inlines = [RequiredCourseInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TitleAward)
class TitleAwardAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "program", "awarded_on")


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyAdmin):
    list_display = ("display_code", "kind", "holder_name", "attested_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("code", "holder_name", "dossier__number")
