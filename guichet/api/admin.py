"""Staff make and revoke API keys and webhook endpoints here (Administration). A key's
token and an endpoint's signing secret are shown once, on creation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.api import keys
from guichet.api.models import (
    SCOPES,
    ApiKey,
    DeliveryAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from guichet.api.webhooks import endpoints, events


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=[(scope, scope) for scope in SCOPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    allowed_ips = forms.CharField(
        label=_("allowed addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address or network (CIDR) a line; empty: any address."),
    )

    class Meta:
        model = ApiKey
        fields = ["name", "account", "scopes", "allowed_ips", "rate_per_minute", "expires_at"]

    def clean_allowed_ips(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["allowed_ips"].splitlines()]
        networks = [line for line in lines if line]
        try:
            keys.check_networks(networks)
        except keys.BadKeySettings as error:
            raise forms.ValidationError(str(error)) from error
        return networks


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "account", "prefix", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["account"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the trail names the key

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        data = form.cleaned_data
        made = keys.create_key(
            name=data["name"],
            account=data["account"],
            scopes=data["scopes"],
            allowed_ips=data["allowed_ips"],
            expires_at=data["expires_at"],
            rate_per_minute=data["rate_per_minute"],
            actor=request.user,
        )
        obj.pk = made.key.pk
        messages.warning(
            request,
            _("The key, shown this once (copy it now): %(token)s") % {"token": made.token},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            keys.revoke_key(key, actor=request.user)


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("address"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=[(name, name) for name in events.EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "active", "notify_email"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = [
        "url",
        "description",
        "active",
        "disabled_at",
        "failures_in_a_row",
        "archived_at",
    ]
    readonly_fields = [
        "disabled_at",
        "failures_in_a_row",
        "created_by",
        "created_at",
        "archived_at",
        "archived_by",
    ]
    actions = ["archive"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archive instead: its deliveries are the log

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool
    ) -> None:
        if not change:
            data = form.cleaned_data
            made = endpoints.add_endpoint(
                url=data["url"],
                events=data["events"],
                description=data["description"],
                notify_email=data["notify_email"],
                actor=request.user,
            )
            obj.pk = made.endpoint.pk
            messages.warning(
                request,
                _("The signing secret, shown this once (copy it now): %(secret)s")
                % {"secret": made.secret},
            )
            return
        if obj.active:
            obj.disabled_at = None
            obj.failures_in_a_row = 0
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Archive the selected endpoints"))
    def archive(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            endpoints.archive_endpoint(endpoint, actor=request.user)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["attempted_at", "status_code", "response_body", "error", "duration_ms"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: each attempt and what the endpoint answered; send again."""

    list_display = ["message", "endpoint", "status", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "endpoint"]
    readonly_fields = [
        "message",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ]
    inlines = [AttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send again"))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for item in queryset:
            events.redeliver(item, actor=request.user)


@admin.register(WebhookMessage)
class WebhookMessageAdmin(admin.ModelAdmin):
    list_display = ["event_type", "msg_id", "created_at"]
    list_filter = ["event_type"]
    readonly_fields = ["msg_id", "event_type", "payload", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
