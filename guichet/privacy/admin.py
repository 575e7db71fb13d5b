from django.contrib import admin

from guichet.privacy.models import Consent, MailingList


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "position"]
    list_filter = ["active"]
    list_editable = ["active", "position"]
    search_fields = ["name", "name_en"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Append-only proof of consent (Law 25, CASL): never edited, never deleted here."""

    list_display = ["dossier", "mailing_list", "granted", "language", "recorded_at", "recorded_by"]
    list_filter = ["granted", "mailing_list", "language"]
    search_fields = ["dossier__number", "dossier__last_name", "dossier__email"]
    date_hierarchy = "recorded_at"
    list_select_related = ["dossier", "mailing_list", "recorded_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
