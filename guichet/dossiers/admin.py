"""Admin for dossiers and their satellites.

Links, delegations, linking codes and imports are read-only here: they are made through
their services, which check, audit and email; the admin only lets staff look things up.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.dossiers.models import (
    Delegation,
    Dossier,
    DossierImport,
    DossierLink,
    Function,
    GuardianRequest,
    Interest,
    LinkingCode,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DossierLinkInline(admin.TabularInline):
    model = DossierLink
    fields = ["account", "role", "method", "created_at", "ended_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FunctionInline(admin.TabularInline):
    """Read-only: functions change through « Mes fonctions », which audits them."""

    model = Function
    fields = ["title", "employer", "started_on", "ended_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["number", "last_name", "first_name", "organization_name", "email", "kind"]
    list_filter = ["kind", "language", "is_resident", "main_address", "home_city"]
    search_fields = ["number", "first_name", "last_name", "organization_name", "email"]
    # The legacy password hash is a secret: never shown, only used to prove a link.
    exclude = ["legacy_password_hash"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [DossierLinkInline, FunctionInline]

    def save_model(self, request: HttpRequest, obj: Dossier, form: Any, change: bool) -> None:
        """Staff edits land in the dossier's audit trail, before and after."""
        changed = [name for name in form.changed_data if name != "legacy_password_hash"]
        before = {}
        if change and changed:
            old = Dossier.objects.get(pk=obj.pk)
            before = {name: str(getattr(old, name)) for name in changed}
        super().save_model(request, obj, form, change)
        if changed:
            record(
                Action.PROFILE_CHANGED,
                actor=request.user,
                dossier=obj,
                right=Right.STAFF,
                request=request,
                data={
                    "before": before,
                    "after": {name: str(getattr(obj, name)) for name in changed},
                    "via": "admin",
                },
            )


@admin.register(DossierLink)
class DossierLinkAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "account", "role", "method", "created_at", "ended_at"]
    list_filter = ["role", "method"]
    search_fields = ["dossier__number", "dossier__last_name", "account__email"]
    list_select_related = ["dossier", "account"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    """Granted and ended from the staff page (« Droits d'agir pour d'autres »)."""

    list_display = ["account", "organization", "starts_on", "ends_on", "granted_by", "granted_at"]
    search_fields = ["account__email", "account__last_name", "note"]
    list_select_related = ["account", "organization", "granted_by"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "active", "position"]
    list_filter = ["active"]
    list_editable = ["active", "position"]
    search_fields = ["name", "name_en"]


@admin.register(Function)
class FunctionAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "title", "employer", "started_on", "ended_on"]
    search_fields = ["dossier__number", "dossier__last_name", "title", "employer"]
    list_select_related = ["dossier"]
    raw_id_fields = ["dossier"]


@admin.register(LinkingCode)
class LinkingCodeAdmin(ReadOnlyAdmin):
    # code_hash is deliberately absent: not even its hash is shown.
    fields = [
        "dossier",
        "purpose",
        "sent_to",
        "account",
        "role",
        "method",
        "issued_by",
        "created_at",
        "expires_at",
        "used_at",
        "failed_attempts",
    ]
    list_display = ["dossier", "purpose", "sent_to", "created_at", "expires_at", "used_at"]
    list_filter = ["purpose"]
    search_fields = ["dossier__number", "sent_to"]
    list_select_related = ["dossier"]


@admin.register(GuardianRequest)
class GuardianRequestAdmin(ReadOnlyAdmin):
    """Decided by a guardian (« Ma famille ») or by staff in the request queue."""

    # token_hash is deliberately absent, like a linking code's hash.
    fields = [
        "dossier",
        "account",
        "method",
        "status",
        "created_at",
        "token_expires_at",
        "objected_by",
        "objected_at",
        "decided_by",
        "decided_as",
        "decided_at",
        "reason",
        "link",
    ]
    list_display = ["dossier", "account", "status", "created_at", "objected_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["dossier__number", "account__email"]
    list_select_related = ["dossier", "account"]


@admin.register(DossierImport)
class DossierImportAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "dry_run",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "created_at",
    ]
    list_filter = ["status", "dry_run"]
    exclude = ["file"]
