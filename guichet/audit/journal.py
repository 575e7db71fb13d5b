"""How the staff journal reads an event's details.

Services record ``AuditEvent.data`` as plain JSON (ids, codes, ISO dates, amounts as text)
so that the trail never depends on labels that change. The journal reads them back as a
person would: each detail under its label, codes by their choice's label, money and dates
formatted, the objects named (an invoice, a request, a file) by their number and linked
to the staff page where staff may open them, and changes as « field: before → after »
under the field's own name.

Models are named by their label (``"billing.Invoice"``), as a foreign key names them: the
audit trail sits above the domains and imports none of them. Each object kind is fetched
once per page, whatever the number of rows. A key not described here still reads (its
name with spaces, its value formatted by its type): an app that records a new key adds
its line to ``READINGS``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from guichet.audit.models import Action, AuditEvent
from guichet.core.money import format_money

EMPTY = "—"


@dataclass(frozen=True)
class Fact:
    """One detail as a person reads it: « Facture : F-2026-00042 » (a link for staff)."""

    label: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class Change:
    """One field changed: « Ville (adresse personnelle) : Québec → Lévis »."""

    label: str
    before: str
    after: str


@dataclass
class Details:
    facts: list[Fact] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


# --- Objects named by id ------------------------------------------------------------------


def _staff_url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _admin_url(obj: Model, user: Any) -> str:
    """The admin's page of the object, for staff whose role may view it there."""
    meta = obj._meta
    if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
        return ""
    return _staff_url(f"admin:{meta.app_label}_{meta.model_name}_change", obj.pk)


def _dossier_text(dossier: Any) -> str:
    return f"{dossier.display_name} ({dossier.number})"


def _registration_text(registration: Any) -> str:
    return f"{registration.offering.title} — {registration.participant.display_name}"


@dataclass(frozen=True)
class Ref:
    """An object recorded by its id: how to fetch it, name it and link to it."""

    model: str  # "billing.Invoice"
    text: Callable[[Any], str]
    url: Callable[[Any, Any], str] = lambda obj, user: ""
    related: tuple[str, ...] = ()


INVOICE = Ref(
    "billing.Invoice",
    lambda invoice: invoice.number,
    lambda invoice, user: _staff_url("billing:staff_invoice_payments", invoice.pk),
)
DOSSIER = Ref("dossiers.Dossier", _dossier_text, _admin_url)
REFS = {
    "invoice": INVOICE,
    "credit_note": Ref(
        "billing.CreditNote",
        lambda note: note.number,
        lambda note, user: _staff_url("billing:staff_invoice_payments", note.invoice_id),
    ),
    "payment": Ref(
        "billing.Payment",
        lambda payment: payment.receipt_number or _("no receipt (a refund)"),
        lambda payment, user: _staff_url("billing:staff_invoice_payments", payment.invoice_id),
    ),
    "checkout": Ref("billing.Checkout", lambda checkout: checkout.provider_id),
    "batch": Ref(
        "billing.TaxSlipBatch",
        lambda batch: _("Relevé 24 of %(year)s") % {"year": batch.year},
        lambda batch, user: _staff_url("billing:rl24_staff_batch", batch.pk),
    ),
    "registration": Ref(
        "registrations.Registration", _registration_text, related=("offering", "participant")
    ),
    "offering": Ref("catalog.Offering", lambda offering: offering.title, _admin_url),
    "attestation": Ref(
        "credentials.Attestation",
        lambda attestation: attestation.display_code,
        lambda attestation, user: _staff_url("credentials:staff_detail", attestation.pk),
    ),
    "replaces": Ref(
        "credentials.Attestation",
        lambda attestation: attestation.display_code,
        lambda attestation, user: _staff_url("credentials:staff_detail", attestation.pk),
    ),
    "request": Ref(
        "requests.Request",
        lambda request: (
            _("%(kind)s no. %(number)s")
            % {"kind": request.get_kind_display(), "number": request.pk}
        ),
        lambda request, user: _staff_url("requests:review", request.pk),
    ),
    "delegation": Ref(
        "dossiers.Delegation",
        lambda delegation: _("no. %(number)s") % {"number": delegation.pk},
        lambda delegation, user: _staff_url("dossiers:staff_delegations"),
    ),
    "child": DOSSIER,
    "other_payer": DOSSIER,
}


# --- How each key reads -------------------------------------------------------------------

# Why a linking attempt ended as it did (``dossiers.services.linking.Status``).
LINKING_OUTCOMES = {
    "linked": gettext_lazy("Linked"),
    "confirmation_sent": gettext_lazy("Confirmation code sent"),
    "refused": gettext_lazy("Refused: no match, or the file cannot take this link"),
    "locked": gettext_lazy("The file is locked for linking"),
    "account_throttled": gettext_lazy("Too many attempts from this account"),
    "minor": gettext_lazy("The information of a child"),
    "adult": gettext_lazy("An adult dependant (through staff)"),
    "already_holder": gettext_lazy("The account already holds a file"),
}
SECTIONS = {
    "information": gettext_lazy("My information"),
    "card": gettext_lazy("My card"),
    "interests": gettext_lazy("My interests"),
    "functions": gettext_lazy("My functions"),
}
VIA = {"admin": gettext_lazy("Administration site")}
STEPS = {"signup": gettext_lazy("Account creation")}


@dataclass(frozen=True)
class Reading:
    """How one key of ``data`` reads: its label and the kind of its value."""

    label: Any
    kind: str = "text"  # text, money, day, moment, yes_no, count, percent, choice, ref…
    choices: Any = None  # a mapping, or "app.Model.field" whose choices label the codes


def choices_of(spec: Any) -> dict[str, Any]:
    if isinstance(spec, dict):
        return spec
    label, field_name = spec.rsplit(".", 1)
    try:
        return dict(apps.get_model(label)._meta.get_field(field_name).flatchoices)
    except (LookupError, FieldDoesNotExist):
        return {}


READINGS: dict[str, Reading] = {
    "invoice": Reading(gettext_lazy("Invoice"), "ref"),
    "credit_note": Reading(gettext_lazy("Credit note"), "ref"),
    "payment": Reading(gettext_lazy("Receipt"), "ref"),
    "checkout": Reading(gettext_lazy("Card checkout"), "ref"),
    "batch": Reading(gettext_lazy("Run"), "ref"),
    "registration": Reading(gettext_lazy("Registration"), "ref"),
    "offering": Reading(gettext_lazy("Offering"), "ref"),
    "attestation": Reading(gettext_lazy("Attestation"), "ref"),
    "replaces": Reading(gettext_lazy("Replaces"), "ref"),
    "request": Reading(gettext_lazy("Request"), "ref"),
    "delegation": Reading(gettext_lazy("Right to act for others"), "ref"),
    "child": Reading(gettext_lazy("Child"), "ref"),
    "other_payer": Reading(gettext_lazy("Shared with"), "ref"),
    "amount": Reading(gettext_lazy("Amount"), "money"),
    "total": Reading(gettext_lazy("Total"), "money"),
    "number": Reading(gettext_lazy("Number")),
    "status": Reading(
        gettext_lazy("Status"), "choice", choices="registrations.Registration.status"
    ),
    "attended": Reading(gettext_lazy("Present"), "yes_no"),
    "kind": Reading(gettext_lazy("Kind"), "choice", choices="requests.Request.kind"),
    "role": Reading(gettext_lazy("Role"), "choice", choices="dossiers.DossierLink.role"),
    "purpose": Reading(gettext_lazy("Code"), "choice", choices="dossiers.LinkingCode.purpose"),
    "staff_role": Reading(gettext_lazy("Staff role"), "choice", choices="accounts.StaffRole.role"),
    "type": Reading(gettext_lazy("Second factor"), "choice", choices="mfa.Authenticator.type"),
    "sent_to": Reading(gettext_lazy("Sent to")),
    "sent": Reading(gettext_lazy("Sent"), "yes_no"),
    "until": Reading(pgettext_lazy("journal", "Until"), "moment"),
    "starts_on": Reading(pgettext_lazy("journal", "From"), "day"),
    "ends_on": Reading(pgettext_lazy("journal", "To"), "day"),
    "ended_on": Reading(gettext_lazy("Ended on"), "day"),
    "withdrawn": Reading(gettext_lazy("Withdrawn before it started"), "yes_no"),
    "file": Reading(gettext_lazy("Imported file")),
    "rows": Reading(gettext_lazy("Rows read"), "count"),
    "created": Reading(gettext_lazy("Files created"), "count"),
    "updated": Reading(gettext_lazy("Files updated"), "count"),
    "bad_rows": Reading(gettext_lazy("Rows refused"), "count"),
    "year": Reading(gettext_lazy("Year")),
    "issued": Reading(gettext_lazy("Slips issued"), "count"),
    "amended": Reading(gettext_lazy("Slips amended"), "count"),
    "cancelled": Reading(gettext_lazy("Slips cancelled"), "count"),
    "unchanged": Reading(gettext_lazy("Slips unchanged"), "count"),
    "missing_sin": Reading(gettext_lazy("Payers without a SIN"), "count"),
    "percent": Reading(gettext_lazy("Share"), "percent"),
    "provider": Reading(gettext_lazy("Payment provider")),
    "remote_addr": Reading(gettext_lazy("From address")),
    "section": Reading(gettext_lazy("Section"), "choice", choices=SECTIONS),
    "via": Reading(gettext_lazy("Through"), "choice", choices=VIA),
    "step": Reading(gettext_lazy("Step"), "choice", choices=STEPS),
    "function": Reading(gettext_lazy("Function")),
    "function_added": Reading(gettext_lazy("Function added"), "function"),
    "options": Reading(gettext_lazy("Options"), "options"),
    "lists": Reading(gettext_lazy("Subscriptions"), "lists"),
}
# The same key means another thing in another part of the portal.
READINGS_BY_PART: dict[tuple[str, str], Reading] = {
    ("billing", "method"): Reading(
        gettext_lazy("Payment method"), "choice", choices="billing.Payment.method"
    ),
    ("billing", "reason"): Reading(gettext_lazy("Reason")),
    ("billing", "number"): Reading("", "hidden"),  # the invoice's, already named by « invoice »
    ("dossier", "method"): Reading(
        gettext_lazy("Linked by"), "choice", choices="dossiers.DossierLink.method"
    ),
    ("dossier", "reason"): Reading(gettext_lazy("Outcome"), "choice", choices=LINKING_OUTCOMES),
    ("request", "reason"): Reading(gettext_lazy("Reason given")),
    ("credentials", "kind"): Reading(
        gettext_lazy("Kind"), "choice", choices="credentials.Attestation.kind"
    ),
    ("credentials", "reason"): Reading(gettext_lazy("Reason")),
    ("credentials", "program"): Reading(gettext_lazy("Title")),
    ("credentials", "awarded_on"): Reading(gettext_lazy("Awarded on"), "day"),
}


def reading(action: str, key: str) -> Reading:
    part = action.split(".", 1)[0]
    found = READINGS_BY_PART.get((part, key)) or READINGS.get(key)
    return found or Reading(capfirst(key.replace("_", " ")), "guess")


# --- Values -------------------------------------------------------------------------------


def yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def as_day(value: Any) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return format_date(day, "Y-m-d")


def as_moment(value: Any) -> str:
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(moment):
        return format_date(moment, "Y-m-d H:i")
    return format_date(timezone.localtime(moment), "Y-m-d H:i")


def as_money(value: Any) -> str:
    try:
        return format_money(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def guess(value: Any) -> str:
    """A value of an unknown key, formatted by its type."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, list):
        return ", ".join(guess(item) for item in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(
            f"{capfirst(str(k).replace('_', ' '))} : {guess(v)}" for k, v in value.items()
        )
    text = str(value)
    if len(text) == 10 and text[4:5] == "-" and text[7:8] == "-":
        return as_day(text)
    if len(text) > 18 and text[4:5] == "-" and "T" in text:
        return as_moment(text)
    return text


# --- Changes (before / after) -------------------------------------------------------------

# Where the fields of recorded changes live: the file, its card, its functions.
CHANGED_MODELS = ("dossiers.Dossier", "dossiers.Profile", "dossiers.Function")
GROUPS = {"home": gettext_lazy("home address"), "work": gettext_lazy("work address")}


def _field(name: str) -> Any:
    for label in CHANGED_MODELS:
        try:
            return apps.get_model(label)._meta.get_field(name)
        except (LookupError, FieldDoesNotExist):
            continue
    return None


def field_label(name: str) -> str:
    found = _field(name)
    if found is None:
        return capfirst(name.replace("_", " "))
    label = capfirst(str(getattr(found, "verbose_name", name)))
    prefix = name.split("_", 1)[0]
    shared = [
        other
        for other in found.model._meta.get_fields()
        if other is not found and str(getattr(other, "verbose_name", "")) == str(found.verbose_name)
    ]
    if shared and prefix in GROUPS:
        return _("%(field)s (%(group)s)") % {"field": label, "group": GROUPS[prefix]}
    return label


def field_value(name: str, value: Any) -> str:
    found = _field(name)
    if value is None or value == "" or value == [] or (value == "None" and found is not None):
        return EMPTY
    if found is None:
        return guess(value)
    choices = dict(found.flatchoices) if getattr(found, "choices", None) else {}
    if choices:
        return str(choices.get(value, value))
    internal = found.get_internal_type()
    if internal == "BooleanField":
        return yes_no(value is True or value == "True")
    if internal == "DateField":
        return as_day(value)
    if internal == "DateTimeField":
        return as_moment(value)
    return guess(value)


def _form_order(name: str) -> tuple[int, int]:
    """Fields in the order their model declares them (the order of the form)."""
    found = _field(name)
    if found is None:
        return (len(CHANGED_MODELS), 0)
    return (CHANGED_MODELS.index(found.model._meta.label), found.creation_counter)


def changes(action: str, before: Any, after: Any) -> list[Change]:
    if not isinstance(after, dict):  # an email address changed: two plain values
        label = _("Email address") if action == Action.EMAIL_CHANGED else _("Value")
        return [Change(label, guess(before), guess(after))]
    before = before if isinstance(before, dict) else {}
    return [
        Change(
            field_label(name), field_value(name, before.get(name)), field_value(name, after[name])
        )
        for name in sorted(after, key=_form_order)
    ]


# --- A page of events ---------------------------------------------------------------------


def _fetch(events: Iterable[AuditEvent]) -> dict[str, dict[int, Any]]:
    """Every object the page's events name, one query per kind."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        for key, value in (event.data or {}).items():
            ref = REFS.get(key)
            if ref is not None and isinstance(value, int):
                wanted[ref.model].add(value)
            if key == "options" and isinstance(value, dict):
                wanted["catalog.Option"].update(int(pk) for pk in value if str(pk).isdigit())
    related = {ref.model: ref.related for ref in REFS.values()}
    found: dict[str, dict[int, Any]] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        rows = model.objects.filter(pk__in=ids).select_related(*related.get(label, ()))
        found[label] = {row.pk: row for row in rows}
    return found


def _fact(event: AuditEvent, key: str, value: Any, found: dict, user: Any) -> Fact:
    how = reading(event.action, key)
    label = str(how.label)
    if how.kind == "ref":
        ref = REFS[key]
        obj = found.get(ref.model, {}).get(value)
        if obj is None:
            return Fact(label, _("no. %(number)s") % {"number": value})
        return Fact(label, ref.text(obj), ref.url(obj, user))
    if how.kind == "money":
        return Fact(label, as_money(value))
    if how.kind == "day":
        return Fact(label, as_day(value) if value else EMPTY)
    if how.kind == "moment":
        return Fact(label, as_moment(value) if value else EMPTY)
    if how.kind == "yes_no":
        return Fact(label, yes_no(value))
    if how.kind == "percent":
        return Fact(label, f"{guess(value)} %")
    if how.kind == "choice":
        return Fact(label, str(choices_of(how.choices).get(value, value)))
    if how.kind == "options":
        options = found.get("catalog.Option", {})
        parts = [
            f"{options[int(pk)].name if int(pk) in options else pk} × {quantity}"
            for pk, quantity in value.items()
        ]
        return Fact(label, ", ".join(parts) or _("none"))
    if how.kind == "lists":
        parts = [
            _("%(name)s: subscribed") % {"name": row.get("name")}
            if row.get("granted")
            else _("%(name)s: unsubscribed") % {"name": row.get("name")}
            for row in value
        ]
        return Fact(label, "; ".join(parts) or EMPTY)
    if how.kind == "function":
        text = ", ".join(str(value.get(k)) for k in ("title", "employer") if value.get(k))
        if value.get("started_on"):
            text += " — " + _("since %(day)s") % {"day": as_day(value["started_on"])}
        return Fact(label, text)
    return Fact(label, guess(value))


# Facts in the order of ``READINGS`` (what it is about first), unknown keys last: the
# database does not keep the order in which a service wrote its keys.
ORDER = {key: position for position, key in enumerate(READINGS)}


def details(event: AuditEvent, found: dict[str, dict[int, Any]], user: Any) -> Details:
    data = event.data or {}
    result = Details()
    for key, value in sorted(data.items(), key=lambda item: ORDER.get(item[0], len(ORDER))):
        if key in ("before", "after") or reading(event.action, key).kind == "hidden":
            continue
        result.facts.append(_fact(event, key, value, found, user))
    if "after" in data:
        result.changes = changes(event.action, data.get("before"), data["after"])
    return result


def read(events: Iterable[AuditEvent], user: Any) -> list[AuditEvent]:
    """The events with their ``details`` read; the objects they name fetched at once."""
    events = list(events)
    found = _fetch(events)
    for event in events:
        event.details = details(event, found, user)
    return events
