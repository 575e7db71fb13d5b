"""What the API shows of each domain's rows (read), and what it accepts (write)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from guichet.billing.models import CreditNote, Invoice, InvoiceStatus, Payment, PaymentMethod
from guichet.billing.models.invoices import OFFLINE_METHODS
from guichet.catalog.models import Offering, Session
from guichet.dossiers import privacy
from guichet.dossiers.models import Dossier
from guichet.memberships.models import Application, Membership, MemberType
from guichet.organizations.models import Relation, RelationSubject
from guichet.registrations.models import Registration


class DossierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dossier
        # The person's file as the privacy export gives it (one list of what a dossier
        # holds), and when it last changed.
        fields = ["id", *privacy.IDENTITY, "updated_at"]
        read_only_fields = fields


class DossierWriteSerializer(serializers.Serializer):
    """The import's columns under their field names: validated by the import's own rules.
    Absent fields are left as they are on an existing dossier."""

    kind = serializers.ChoiceField(choices=["person", "organization"], required=False)
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    organization_name = serializers.CharField(required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=["fr", "en"], required=False)
    email = serializers.CharField(required=False, allow_blank=True)
    home_phone = serializers.CharField(required=False, allow_blank=True)
    mobile_phone = serializers.CharField(required=False, allow_blank=True)
    work_phone = serializers.CharField(required=False, allow_blank=True)
    home_street = serializers.CharField(required=False, allow_blank=True)
    home_city = serializers.CharField(required=False, allow_blank=True)
    home_province = serializers.CharField(required=False, allow_blank=True)
    home_postal_code = serializers.CharField(required=False, allow_blank=True)
    work_employer = serializers.CharField(required=False, allow_blank=True)
    work_street = serializers.CharField(required=False, allow_blank=True)
    work_city = serializers.CharField(required=False, allow_blank=True)
    work_postal_code = serializers.CharField(required=False, allow_blank=True)
    is_resident = serializers.BooleanField(required=False)


# The years a date or a moment of the catalog may fall in: anything else is a typing
# error (and a moment before 1900 is in a local mean time no client can read back).
YEARS = range(1900, 3000)


def check_years(attrs: dict[str, Any]) -> None:
    wrong = {
        name: [_("Enter a year between 1900 and 2999.")]
        for name, value in attrs.items()
        if isinstance(value, date) and value.year not in YEARS
    }
    if wrong:
        raise serializers.ValidationError(wrong)


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "offering", "starts_at", "ends_at", "place"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        check_years(attrs)
        starts = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": ["Must be after starts_at."]})
        return attrs


OFFERING_WRITABLE = [
    "kind",
    "title",
    "title_en",
    "slug",
    "code",
    "summary",
    "description",
    "place",
    "starts_on",
    "ends_on",
    "schedule",
    "capacity",
    "member_price",
    "non_member_price",
    "tax_exempt",
    "hours",
    "registration_opens_at",
    "registration_closes_at",
    "change_deadline",
    "refund_policy",
    "cancellation_fee",
    "hold_minutes",
    "offer_hours",
    "min_age",
    "max_age",
    "members_only",
    "residents_only",
    "residents_first_until",
    "household_cap",
    "published",
]


class OfferingSerializer(serializers.ModelSerializer):
    spots_left = serializers.IntegerField(read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = Offering
        fields = [
            "id",
            *OFFERING_WRITABLE,
            "spots_taken",
            "spots_left",
            "sessions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "spots_taken", "spots_left", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        check_years(attrs)
        return attrs


class RegistrationSerializer(serializers.ModelSerializer):
    participant_number = serializers.CharField(source="participant.number", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "offering",
            "participant",
            "participant_number",
            "status",
            "right",
            "price_category",
            "unit_price",
            "answers",
            "created_at",
            "held_until",
            "offer_expires_at",
            "confirmed_at",
            "cancelled_at",
            "updated_at",
        ]
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer):
    offering = serializers.IntegerField()
    participant = serializers.CharField(help_text="The participant's file number.")
    answers = serializers.DictField(required=False, default=dict)
    options = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False, default=dict
    )


class InvoiceSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=InvoiceStatus.choices, read_only=True)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    registration = serializers.SerializerMethodField()
    offline_method = serializers.ChoiceField(
        choices=PaymentMethod.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "issued_at",
            "due_at",
            "payer_dossier",
            "payer_name",
            "participant",
            "description",
            "registration",
            "subtotal",
            "gst",
            "qst",
            "total",
            "amount_paid",
            "amount_credited",
            "balance",
            "status",
            "offline_method",
            "updated_at",
        ]
        read_only_fields = fields

    def get_registration(self, invoice: Invoice) -> int | None:
        kind = invoice.source_type
        if kind is not None and kind.model == "registration" and invoice.source_id is not None:
            return int(invoice.source_id)
        return None


class CreditNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditNote
        fields = ["id", "number", "invoice", "issued_at", "total", "reason"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "method",
            "amount",
            "received_on",
            "recorded_at",
            "reference",
            "receipt_number",
        ]
        read_only_fields = fields


OFFLINE_CHOICES = [(method.value, method.label) for method in OFFLINE_METHODS]


class OfflinePaymentSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    method = serializers.ChoiceField(choices=OFFLINE_CHOICES)
    received_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)


class OrganizationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization_name", read_only=True)

    class Meta:
        model = Dossier
        fields = ["id", "number", "name", "created_at", "updated_at"]
        read_only_fields = fields


class RelationSubjectSerializer(serializers.ModelSerializer):
    """One authorized subject of a relation and its right (read, or read and write)."""

    code = serializers.CharField(source="authorized_subject.code", read_only=True)
    name_fr = serializers.CharField(source="authorized_subject.name_fr", read_only=True)
    name_en = serializers.CharField(source="authorized_subject.name_en", read_only=True)
    grants = serializers.CharField(source="authorized_subject.grants", read_only=True)

    class Meta:
        model = RelationSubject
        fields = ["id", "code", "name_fr", "name_en", "grants", "level", "created_at", "removed_at"]
        read_only_fields = fields


class RelationSerializer(serializers.ModelSerializer):
    contact_number = serializers.CharField(source="contact.number", read_only=True)
    contact_name = serializers.CharField(source="contact.display_name", read_only=True)
    organization_number = serializers.CharField(source="organization.number", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)
    subjects = RelationSubjectSerializer(many=True, read_only=True)

    class Meta:
        model = Relation
        fields = [
            "id",
            "organization",
            "organization_number",
            "contact",
            "contact_number",
            "contact_name",
            "through",
            "kind",
            "start_date",
            "end_date",
            "active",
            "created_at",
            "removed_at",
            "subjects",
        ]
        read_only_fields = fields


class MemberTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberType
        fields = [
            "id",
            "slug",
            "name",
            "name_en",
            "fee",
            "period",
            "grace_days",
            "starts_on_approval",
            "requires_hiring_resolution",
            "requires_diploma",
            "active",
        ]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    dossier_number = serializers.CharField(source="dossier.number", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "dossier",
            "dossier_number",
            "member_type",
            "status",
            "starts_on",
            "ends_on",
            "grace_ends_on",
            "fee",
            "renews",
            "created_at",
            "started_at",
            "ended_at",
        ]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    dossier_number = serializers.CharField(source="dossier.number", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "dossier",
            "dossier_number",
            "member_type",
            "status",
            "submitted_at",
            "queued_at",
            "decided_at",
            "message",
            "membership",
        ]
        read_only_fields = fields
