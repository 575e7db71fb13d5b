from django.contrib import admin

from guichet.requests.models import Request


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    """Decisions are taken in the staff queue (they email and audit); here, read and search."""

    list_display = ["pk", "kind", "status", "submitted_by", "dossier", "submitted_at", "decided_at"]
    list_filter = ["kind", "status"]
    search_fields = ["submitted_by__email", "submitted_by__last_name", "dossier__number"]
    date_hierarchy = "submitted_at"
    list_select_related = ["submitted_by", "dossier"]
    readonly_fields = [
        "kind",
        "status",
        "submitted_by",
        "dossier",
        "data",
        "submitted_at",
        "decided_at",
        "decided_by",
        "reason",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
