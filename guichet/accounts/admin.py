"""What the Django admin shows of the accounts library's tables.

allauth registers its own admin pages when its admin modules are imported. This app comes
first in INSTALLED_APPS, so it imports them here, then takes away or replaces what must not
be there.
"""

from __future__ import annotations

import allauth.mfa.admin  # noqa: F401  (registers Authenticator, taken away below)
import allauth.usersessions.admin  # noqa: F401  (registers UserSession, replaced below)
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin

from guichet.accounts.models import StaffRole

# Second-factor secrets, even encrypted, have no business on a page: staff never need them,
# and a person who loses a device turns the factor off from their own « Sécurité » page.
admin.site.unregister(Authenticator)
admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Open sessions, read-only. The session key is a credential: never shown."""

    list_display = ("user", "created_at", "last_seen_at", "ip", "user_agent")
    list_select_related = ("user",)
    search_fields = ("user__email", "ip")
    fields = ("user", "created_at", "last_seen_at", "ip", "user_agent")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    """Who holds which staff role (core.staff.Role); the back office has its own page."""

    list_display = ("account", "role", "granted_at")
    list_filter = ("role",)
    list_select_related = ("account",)
    search_fields = ("account__email", "account__last_name")
    autocomplete_fields = ()
    raw_id_fields = ("account",)
