"""Staff configure member types here; memberships and applications are read-only (they
change only through the services: the review queue, payments, the sweep)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.memberships.models import Application, Membership, MemberType


@admin.register(MemberType)
class MemberTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "fee", "period", "requires_hiring_resolution", "active", "position")
    list_editable = ("active", "position")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnly):
    list_display = ("dossier", "member_type", "status", "starts_on", "ends_on")
    list_filter = ("status", "member_type")
    search_fields = ("dossier__number", "dossier__last_name")


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("dossier", "member_type", "status", "submitted_at")
    list_filter = ("status", "member_type")
    search_fields = ("dossier__number", "dossier__last_name")
