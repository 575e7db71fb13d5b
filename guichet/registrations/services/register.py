"""Submitting a cart: each line all-or-nothing, independently, exactly once.

The whole cart runs in one transaction that first inserts its ``Submission`` (unique
key): a double click or a retried request with the same key waits on that insert, then
finds the stored result and creates nothing. Each line runs in its own savepoint, so a
refused line leaves no trace while the others stand. Lines are taken in offering id
order so two carts never lock the same offerings in opposite orders (no deadlock).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing.owed import Billed
from guichet.catalog import eligibility
from guichet.catalog.models import Offering, Option, OptionKind
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier
from guichet.registrations import signals
from guichet.registrations.models import (
    PriceCategory,
    Registration,
    RegistrationOption,
    RegistrationStatus,
    Submission,
)
from guichet.registrations.services import capacity
from guichet.registrations.services.billing import billing_applies, invoice_registration
from guichet.registrations.services.confirmation import record_confirmed


class Outcome(models.TextChoices):
    """What became of one line of a submitted cart (``submit_cart``'s result)."""

    HELD = "held"  # a spot is held, the registration to complete
    CONFIRMED = "confirmed"  # a free spot with nothing to decide: confirmed with the hold
    WAITING = "waiting"  # on the waiting list
    REFUSED = "refused"  # see its ``refusal`` and ``reason``


class Refusal(enum.StrEnum):
    """Why a line was refused, so the result page can offer what to do next."""

    NO_RIGHT = "no_right"
    CLOSED = "closed"  # not published, or outside the registration window
    NOT_ELIGIBLE = "not_eligible"  # age, membership, residency
    ALREADY = "already"  # a live registration (waiting list included)
    HOUSEHOLD_CAP = "household_cap"
    OPTION = "option"  # an option unavailable or full


class LineRefused(Exception):
    """A line cannot be registered; the message is shown to the person."""

    def __init__(self, message: str = "", kind: Refusal = Refusal.CLOSED) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class ToRegister:
    """One line of a cart to submit: who, to which offering, with which choices."""

    offering: Offering
    participant: Dossier
    options: dict[int, int] = field(default_factory=dict)  # {option_id: quantity}
    answers: dict[str, Any] = field(default_factory=dict)
    companions: dict[int, list[str]] = field(default_factory=dict)  # {option_id: names}


def registration_right(actor: Actor, dossier: Dossier) -> Right | None:
    """Under which right ``actor`` may register ``dossier``: self, guardian or delegate."""
    return permissions.right_over(actor, dossier, act=permissions.REGISTER)


def refusals(
    offering: Offering, participants: Iterable[Dossier], *, at: datetime | None = None
) -> dict[int, str]:
    """Why each of ``participants`` would be refused for who they are (eligibility, a live
    registration already), in the words ``submit_cart`` would use; one query. People who
    may register are absent."""
    people = list(participants)
    already = set(
        Registration.objects.filter(
            offering=offering, participant__in=people, status__in=RegistrationStatus.LIVE
        ).values_list("participant_id", flat=True)
    )
    found = {}
    for person in people:
        if reason := eligibility.person_refusal(
            offering, person, at=at, already=person.pk in already
        ):
            found[person.pk] = reason
    return found


def _as_line(line: ToRegister | Sequence[Any]) -> ToRegister:
    if isinstance(line, ToRegister):
        return line
    offering, participant, options, answers, *rest = line
    return ToRegister(offering, participant, dict(options or {}), dict(answers or {}), *rest)


def submit_cart(
    *,
    actor: Actor,
    lines: Iterable[ToRegister | Sequence[Any]],
    idempotency_key: str,
    right_for: Callable[[Any, Dossier], Right | None] | None = None,
    confirm_free: bool = False,
) -> dict[str, Any]:
    """Register every line; returns ``{"key", "lines": [{outcome, reason, …}]}`` in input
    order. ``right_for`` (default ``registration_right``) says who may register whom.
    ``confirm_free``: a held spot with nothing owed (free, no paid option) is confirmed in
    the same transaction as the hold (``Outcome.CONFIRMED``), as ``confirm`` would do it,
    audit row and email included: the pages pass it, so a family has no confirmation
    step left when there is nothing to decide."""
    right_for = right_for or registration_right
    cart = [_as_line(line) for line in lines]
    # Inside a view's transaction no savepoint is needed: a failure there rolls back all.
    with transaction.atomic(savepoint=False):
        submission, created = _claim(actor, idempotency_key)
        if not created:
            stored: dict[str, Any] = submission.result
            return stored
        now = timezone.now()
        if any(line.offering.household_cap for line in cart):
            # One household's carts run one at a time, so its cap cannot be passed twice.
            get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        results: dict[int, dict[str, Any]] = {}
        order = sorted(
            range(len(cart)), key=lambda i: (cart[i].offering.pk, cart[i].participant.pk)
        )
        for index in order:
            results[index] = _register_line(
                actor, cart[index], submission, right_for, now, confirm_free
            )
        submission.result = {"key": submission.key, "lines": [results[i] for i in range(len(cart))]}
        with connection.cursor() as cursor:  # plain SQL on the rush's path, like _claim
            cursor.execute(
                f"UPDATE {Submission._meta.db_table} SET result = %s WHERE id = %s",  # noqa: S608 (table name from the model)
                [json.dumps(submission.result, cls=DjangoJSONEncoder), submission.pk],
            )
    result: dict[str, Any] = submission.result
    return result


def _claim(actor: Actor, idempotency_key: str) -> tuple[Submission, bool]:
    """Insert the submission or find it. ``INSERT … ON CONFLICT DO NOTHING`` waits for a
    concurrent insert of the same key to commit, so the stored result is then complete.
    The key is the account's own: another account's key never returns its result."""
    key = f"{actor.pk}:{idempotency_key}"[:64]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Submission._meta.db_table} (key, account_id, created_at, result) "  # noqa: S608 (table name from the model)
            "VALUES (%s, %s, %s, %s) ON CONFLICT (key) DO NOTHING RETURNING id",
            [key, actor.pk, timezone.now(), "{}"],
        )
        row = cursor.fetchone()
    if row:
        return Submission(pk=row[0], key=key, account=actor, result={}), True
    return Submission.objects.get(key=key), False


def _register_line(
    actor: Actor,
    line: ToRegister,
    submission: Submission,
    right_for: Callable[[Any, Dossier], Right | None],
    now: datetime,
    confirm_free: bool = False,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "offering": line.offering.pk,
        "offering_title": line.offering.title,
        "participant": line.participant.pk,
        "participant_name": line.participant.display_name,
        "registration": None,
        "reason": "",
    }
    try:
        with transaction.atomic():
            registration = _create(actor, line, submission, right_for, now, confirm_free)
    except LineRefused as refusal:
        return {
            **result,
            "outcome": Outcome.REFUSED,
            "reason": str(refusal),
            "refusal": refusal.kind,
        }
    except IntegrityError:
        # A concurrent cart registered the same person first (one live registration each).
        return {
            **result,
            "outcome": Outcome.REFUSED,
            "reason": eligibility.already_registered(line.participant),
            "refusal": Refusal.ALREADY,
        }
    outcome = {
        RegistrationStatus.HELD: Outcome.HELD,
        RegistrationStatus.CONFIRMED: Outcome.CONFIRMED,
    }.get(RegistrationStatus(registration.status), Outcome.WAITING)
    return {**result, "outcome": outcome, "registration": registration.pk}


def _create(
    actor: Actor,
    line: ToRegister,
    submission: Submission,
    right_for: Callable[[Any, Dossier], Right | None],
    now: datetime,
    confirm_free: bool = False,
) -> Registration:
    offering, participant = line.offering, line.participant
    right = right_for(actor, participant)
    if right is None:
        raise LineRefused(_("You may not register this person."), Refusal.NO_RIGHT)
    if not offering.published:
        raise LineRefused(_("Registration for this offering is not open."), Refusal.CLOSED)
    if reasons := eligibility.window_reasons(offering, now):
        raise LineRefused(" ".join(reasons), Refusal.CLOSED)
    if reasons := eligibility.participant_reasons(offering, participant, at=now):
        raise LineRefused(" ".join(reasons), Refusal.NOT_ELIGIBLE)
    already, looks_free = _already_and_free(offering, participant)
    if already:
        raise LineRefused(eligibility.already_registered(participant), Refusal.ALREADY)
    if offering.household_cap:
        live = Registration.objects.filter(offering=offering, status__in=RegistrationStatus.LIVE)
        household = permissions.acting_for(actor, rights=[Right.SELF, Right.GUARDIAN])
        count = live.filter(Q(participant__in=household) | Q(registered_by=actor)).count()
        if count >= offering.household_cap:
            raise LineRefused(
                _("Your household has reached the limit of %(cap)s registrations here.")
                % {"cap": offering.household_cap},
                Refusal.HOUSEHOLD_CAP,
            )
    options = _chosen_options(offering, line)
    price = eligibility.price_for(offering, participant)
    held = looks_free and capacity.take_spot(offering.pk)
    owed = price.amount + sum((option.price * quantity for option, quantity in options), 0)
    confirmed = held and confirm_free and owed == 0
    if confirmed:
        status = RegistrationStatus.CONFIRMED
    else:
        status = RegistrationStatus.HELD if held else RegistrationStatus.WAITING
    registration = Registration.objects.create(
        offering=offering,
        participant=participant,
        registered_by=actor,
        right=right,
        status=status,
        price_category=PriceCategory.MEMBER if price.is_member else PriceCategory.NON_MEMBER,
        unit_price=price.amount,
        answers=line.answers,
        created_at=now,
        confirmed_at=now if confirmed else None,
        held_until=(
            now + timedelta(minutes=offering.hold_minutes)
            if status == RegistrationStatus.HELD
            else None
        ),
        submission=submission,
    )
    # Options are counted only for a held spot; a waiting registration takes them when
    # its offer is accepted.
    add_option_lines(registration, options, line.companions, take=held)
    audit.record(
        Action.REGISTERED,
        actor=actor,
        dossier=participant,
        right=right,
        data={
            "offering": offering.pk,
            "registration": registration.pk,
            "status": registration.status,
        },
    )
    signals.announce(signals.registration_created, registration)
    if not held:
        signals.announce(signals.registration_waitlisted, registration)
    if confirmed:  # created in this transaction: no invoice to read yet
        record_confirmed(registration, actor, billed=Billed())
    return registration


def _already_and_free(offering: Offering, participant: Dossier) -> tuple[bool, bool]:
    """One round trip for two plain reads: is the person already registered here, and does
    the offering look free (``capacity.looks_free``: never waits on the row lock; only the
    conditional UPDATE of ``capacity.take_spot`` decides). Plain SQL: this runs for every
    line of the registration-day rush, and composing it with the ORM cost more CPU than
    the database spent answering it (docs/benchmarks.md)."""
    registrations = Registration._meta.db_table
    offerings = Offering._meta.db_table
    statuses = ", ".join(["%s"] * len(RegistrationStatus.LIVE))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {registrations} WHERE offering_id = %s"  # noqa: S608 (table names from the models)
            f" AND participant_id = %s AND status IN ({statuses})),"
            f" (SELECT spots_taken < capacity FROM {offerings} WHERE id = %s)",
            [offering.pk, participant.pk, *RegistrationStatus.LIVE, offering.pk],
        )
        already, free = cursor.fetchone()
    return bool(already), bool(free)


def _chosen_options(offering: Offering, line: ToRegister) -> list[tuple[Option, int]]:
    wanted = {int(pk): int(qty) for pk, qty in line.options.items() if int(qty) > 0}
    if not wanted:
        return []
    found = {option.pk: option for option in offering.options.filter(pk__in=wanted)}
    chosen = []
    for pk, quantity in sorted(wanted.items()):
        option = found.get(pk)
        if option is None or quantity > option.max_per_registration:
            raise LineRefused(_("One of the chosen options is not available."), Refusal.OPTION)
        chosen.append((option, quantity))
    return chosen


def add_option_lines(
    registration: Registration,
    options: list[tuple[Option, int]],
    companions: dict[int, list[str]] | None = None,
    *,
    take: bool,
) -> None:
    """Write a new registration's option lines; with ``take``, count them against each
    option's capacity."""
    companions = companions or {}
    for option, quantity in options:
        if take and not capacity.take_option(option.pk, quantity):
            raise LineRefused(
                _("The option « %(name)s » is full.") % {"name": option.name}, Refusal.OPTION
            )
        set_option_rows(registration, option, quantity, companions.get(option.pk, []), rows=[])


def set_option_rows(
    registration: Registration,
    option: Option,
    quantity: int,
    names: Sequence[str] = (),
    *,
    rows: list[RegistrationOption] | None = None,
) -> None:
    """Make the registration's rows of ``option`` hold ``quantity`` units: a row per
    companion, named in the order of ``names`` (blank where none was given), else one row
    with the quantity. Registering and modifying both write through here, so they write the
    same rows. Rows already there keep their id and price (billing reads them in order:
    the newest are the added ones); new rows take the option's price. ``rows``: the rows
    already read (``[]`` for a new registration, which saves a query on the rush's path)."""
    if option.kind == OptionKind.COMPANION:
        named = list(names)[:quantity]
        wanted = [(1, name) for name in named + [""] * (quantity - len(named))]
    else:
        wanted = [(quantity, "")] if quantity else []
    if rows is None:
        rows = list(registration.option_lines.filter(option=option).order_by("id"))
    for row, (units, name) in zip(rows, wanted, strict=False):
        if (row.quantity, row.companion_name) != (units, name):
            row.quantity, row.companion_name = units, name
            row.save(update_fields=["quantity", "companion_name"])
    extra = [row.pk for row in rows[len(wanted) :]]
    if extra:
        RegistrationOption.objects.filter(pk__in=extra).delete()
    RegistrationOption.objects.bulk_create(
        RegistrationOption(
            registration=registration,
            option=option,
            quantity=units,
            unit_price=option.price,
            companion_name=name,
        )
        for units, name in wanted[len(rows) :]
    )


@transaction.atomic
def confirm(registration: Registration, *, actor: Actor) -> Registration:
    """The person completed the details step: the held spot is theirs.

    Where the operator bills and something is owed, the registration waits for payment
    (``pending_payment``) with its invoice issued at once; the invoice's payment confirms
    it (``confirmation.mark_paid``, on billing's ``invoice_settled``), and the sweeper frees
    the spot if it stays unpaid (``invoice_overdue``). A free registration is confirmed
    here."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.HELD:
        return registration
    registration.held_until = None
    if billing_applies() and registration.amount_due > 0:
        registration.status = RegistrationStatus.PENDING_PAYMENT
        registration.save(update_fields=["status", "held_until"])
        invoice_registration(registration, actor=actor)
        return registration
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at", "held_until"])
    record_confirmed(registration, actor)
    return registration
