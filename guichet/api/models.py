"""API keys, webhook endpoints, the events sent to them and each delivery's attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Resource(models.TextChoices):
    """What a scope covers: ``<resource>:read`` or ``<resource>:write`` (write includes read)."""

    DOSSIERS = "dossiers", _("Files")
    CATALOG = "catalog", _("Offerings and sessions")
    REGISTRATIONS = "registrations", _("Registrations")
    BILLING = "billing", _("Invoices, credit notes and payments")
    ORGANIZATIONS = "organizations", _("Organizations and relations")
    MEMBERSHIPS = "memberships", _("Memberships")


# Resources the API only reads: no write scope is offered for them.
READ_ONLY = {Resource.ORGANIZATIONS, Resource.MEMBERSHIPS}

SCOPES = [
    f"{resource}:{access}"
    for resource in Resource
    for access in (("read",) if resource in READ_ONLY else ("read", "write"))
]

# What a key made for one organization may hold: what « Mon organisation » shows.
ORGANIZATION_SCOPES = ["organizations:read", "billing:read"]


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def usable(self) -> ApiKeyQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """A key an external system signs its requests with. It acts as ``account``: it sees
    and does what that account's pages show and allow (staff: what staff pages do), within
    its scopes. The secret is shown once; only its SHA-256 is kept (a 256-bit random token
    needs no slow hash)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.PROTECT,
        related_name="api_keys",
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    # Set: the key sees what the account's « Mon organisation » pages show for this
    # organization only (its relations, its invoices), as when it acts as that profile.
    organization = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("for the organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    allowed_ips = models.JSONField(
        _("allowed addresses"),
        default=list,
        blank=True,
        help_text=_("Addresses or networks (CIDR); empty: any address."),
    )
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    expires_at = models.DateTimeField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used on"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def allows(self, scope: str) -> bool:
        resource, _sep, access = scope.partition(":")
        if access == "read":
            return scope in self.scopes or f"{resource}:write" in self.scopes
        return scope in self.scopes


class WebhookEndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def receiving(self) -> WebhookEndpointQuerySet:
        """Endpoints events are sent to: on, and not archived."""
        return self.filter(active=True, archived_at__isnull=True)


class WebhookEndpoint(models.Model):
    """Where staff want events sent, and which. Never deleted (its deliveries are the
    log): archived instead, after which nothing is sent to it."""

    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled on"), null=True, blank=True)
    # Failed attempts in a row (any success resets it): past the limit, disabled.
    failures_in_a_row = models.PositiveIntegerField(default=0)
    notify_email = models.EmailField(_("email if disabled"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookMessage(models.Model):
    """One event, signed and sent with the same id to each endpoint that wants it."""

    msg_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(_("event"), max_length=64, db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")

    @classmethod
    def due(cls) -> list[str]:
        return [cls.PENDING, cls.RETRYING]


class WebhookDelivery(models.Model):
    """A message to one endpoint: at most one row each (so at most one success)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "message"], name="one_delivery_per_endpoint"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.message} → {self.endpoint}"


class DeliveryAttempt(models.Model):
    """One try: what the endpoint answered (or why it could not be reached)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=255, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "webhook delivery attempt")
        verbose_name_plural = pgettext_lazy("model", "webhook delivery attempts")
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class RelationChange(models.TextChoices):
    ADDED = "added", pgettext_lazy("relation", "Added")
    REMOVED = "removed", pgettext_lazy("relation", "Removed or ended")


class RelationChangeSent(models.Model):
    """``relation.added`` / ``relation.removed`` announced for this relation: at most one
    row each (the unique constraint), so each is announced once, whether the relation is
    removed by someone or ends when its end date passes (the hourly sweep), and however
    often either happens."""

    relation = models.ForeignKey(
        "organizations.Relation", on_delete=models.CASCADE, related_name="+"
    )
    change = models.CharField(max_length=8, choices=RelationChange.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "relation change announced")
        verbose_name_plural = pgettext_lazy("model", "relation changes announced")
        constraints = [
            models.UniqueConstraint(
                fields=["relation", "change"], name="one_announcement_per_relation_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.relation_id} {self.change}"
