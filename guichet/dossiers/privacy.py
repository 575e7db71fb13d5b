"""What dossiers give to a person's archive and erase when their account closes.

Registered with privacy from ``DossiersConfig.ready`` (see ``guichet.privacy.registry``).
The dossiers that close with an account are the one it holds and those of the children
it alone still guards; a child who has another guardian keeps their file (only this
account's link ends). The file's number, kind and dates stay: invoices and registrations
point to it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.audit.models import AuditEvent
from guichet.dossiers.models import (
    Delegation,
    Dossier,
    DossierLink,
    Function,
    GuardianRequest,
    LinkAttempt,
    LinkingCode,
    LinkRole,
    Profile,
)
from guichet.privacy.models import Consent
from guichet.privacy.registry import (
    Closing,
    Contributor,
    Document,
    Kept,
    Portion,
    SensitiveView,
    Table,
)

IDENTITY = (
    "number",
    "kind",
    "first_name",
    "last_name",
    "organization_name",
    "birth_date",
    "language",
    "email",
    "home_phone",
    "mobile_phone",
    "work_phone",
    "home_street",
    "home_city",
    "home_province",
    "home_postal_code",
    "work_employer",
    "work_street",
    "work_city",
    "work_province",
    "work_postal_code",
    "main_address",
    "is_resident",
    "member_until",
    "created_at",
)
# What the person was known by, taken out of the free text that is kept (the trail).
FORGOTTEN = (
    "first_name",
    "last_name",
    "email",
    "home_phone",
    "mobile_phone",
    "work_phone",
    "home_street",
    "home_postal_code",
    "work_employer",
    "work_street",
    "work_postal_code",
    "legacy_username",
)
ERASED_BLANK = (
    "last_name",
    "organization_name",
    "email",
    "home_phone",
    "mobile_phone",
    "work_phone",
    "home_street",
    "home_city",
    "home_postal_code",
    "work_employer",
    "work_street",
    "work_city",
    "work_postal_code",
    "legacy_username",
    "legacy_password_hash",
)


def held_and_guarded(account: Any) -> dict[int, str]:
    """{dossier id: role} for the account's active links."""
    links = DossierLink.objects.active().filter(account=account)
    return dict(links.values_list("dossier_id", "role"))


def export(account: Any) -> Portion:
    roles = held_and_guarded(account)
    dossiers = list(Dossier.objects.filter(pk__in=roles).order_by("number"))
    held = [d.pk for d in dossiers if roles[d.pk] == LinkRole.HOLDER]
    files = [
        {"role": roles[d.pk], **{name: getattr(d, name) for name in IDENTITY}} for d in dossiers
    ]
    profiles, documents = [], []
    for profile in Profile.objects.filter(dossier__in=dossiers).select_related("dossier"):
        profiles.append(
            {
                "file": profile.dossier.number,
                "allergies": profile.allergies,
                "expertise": profile.expertise,
                "professional_orders": profile.professional_orders,
                "linkedin_url": profile.linkedin_url,
                "in_directory": profile.in_directory,
                "interests": [interest.name for interest in profile.interests.all()],
            }
        )
        if profile.photo:
            with profile.photo.open("rb") as photo:
                documents.append(
                    Document(
                        f"photo-{profile.dossier.number}.jpg",
                        photo.read(),
                        _("The photo of your profile card."),
                    )
                )
    functions = [
        {
            "file": function.dossier.number,
            "title": function.title,
            "employer": function.employer,
            "street": function.street,
            "city": function.city,
            "province": function.province,
            "postal_code": function.postal_code,
            "started_on": function.started_on,
            "ended_on": function.ended_on,
        }
        for function in Function.objects.filter(dossier__in=dossiers).select_related("dossier")
    ]
    links = [
        {
            "file": link.dossier.number,
            "role": link.role,
            "method": link.method,
            "created_at": link.created_at,
            "ended_at": link.ended_at,
        }
        for link in DossierLink.objects.filter(account=account).select_related("dossier")
    ]
    delegations = [
        {"starts_on": d.starts_on, "ends_on": d.ends_on, "granted_at": d.granted_at}
        for d in Delegation.objects.filter(account=account)
    ]
    guardian_requests = [
        {
            "file": r.dossier.number,
            "status": r.status,
            "created_at": r.created_at,
            "decided_at": r.decided_at,
        }
        for r in GuardianRequest.objects.filter(account=account).select_related("dossier")
    ]
    # A child's consents given by another guardian are that guardian's doing.
    consents = [
        {
            "file": c.dossier.number,
            "list": c.mailing_list.name,
            "granted": c.granted,
            "wording": c.wording,
            "language": c.language,
            "recorded_at": c.recorded_at,
            "by_you": c.recorded_by_id == account.pk,
        }
        for c in Consent.objects.filter(Q(dossier__in=held) | Q(recorded_by=account))
        .filter(dossier__in=dossiers)
        .select_related("dossier", "mailing_list")
        .order_by("recorded_at", "id")
    ]
    # « Activité de mon dossier »: every event on the file one holds.
    activity = [
        {
            "file": event.dossier.number if event.dossier else "",
            "occurred_at": event.occurred_at,
            "action": event.get_action_display(),
            "right": event.get_right_display(),
            "by_you": event.actor_id == account.pk,
            "data": event.data,
        }
        for event in AuditEvent.objects.filter(dossier__in=held)
        .select_related("dossier")
        .order_by("occurred_at", "id")
    ]
    return Portion(
        tables=[
            Table("files", _("Your file and those of the people you manage."), files),
            Table("profile_cards", _("Profile cards (« My profile card »)."), profiles),
            Table("functions", _("Jobs held (« My functions »)."), functions),
            Table("links", _("How your account was linked to each file."), links),
            Table("delegations", _("Your rights to act for others."), delegations),
            Table("guardian_requests", _("Your requests to become a guardian."), guardian_requests),
            Table(
                "consents", _("Your consents (« My subscriptions »), with their history."), consents
            ),
            Table(
                "file_activity", _("What was done on your file (« My file's activity »)."), activity
            ),
        ],
        documents=documents,
    )


def opened_in_admin(kwargs: dict[str, Any]) -> list[Dossier]:
    object_id = str(kwargs.get("object_id", ""))
    return list(Dossier.objects.filter(pk=object_id)) if object_id.isdigit() else []


def closing_with(account: Any) -> list[Dossier]:
    """The held dossier and the children no one else still guards."""
    roles = held_and_guarded(account)
    others = set(
        DossierLink.objects.active()
        .filter(dossier__in=roles)
        .exclude(account=account)
        .values_list("dossier_id", flat=True)
    )
    return list(
        Dossier.objects.filter(
            pk__in=[pk for pk, role in roles.items() if role == LinkRole.HOLDER or pk not in others]
        )
    )


def anonymize(closing: Closing) -> dict[str, int]:
    account = closing.account
    dossiers = closing_with(account)
    closing.dossiers.extend(dossiers)
    photos = []
    for dossier in dossiers:
        closing.forget(*(getattr(dossier, name) for name in FORGOTTEN))
        for name in ERASED_BLANK:
            setattr(dossier, name, "")
        dossier.first_name = "Anonyme"
        dossier.birth_date = None
        dossier.linking_locked_until = None
        dossier.save()
    profiles = Profile.objects.filter(dossier__in=dossiers)
    for profile in profiles:
        closing.forget(profile.linkedin_url)
        if profile.photo:
            photos.append((profile.photo.storage, profile.photo.name))
        profile.interests.clear()
    profiles.update(
        allergies="",
        expertise="",
        professional_orders="",
        linkedin_url="",
        photo="",
        in_directory=False,
    )
    for storage, name in photos:
        transaction.on_commit(partial(storage.delete, name))
    functions = Function.objects.filter(dossier__in=dossiers)
    for function in functions:
        closing.forget(function.employer, function.street, function.postal_code)
    today = timezone.localdate()
    counts = {
        "files": len(dossiers),
        "photos": len(photos),
        "functions": functions.delete()[0],
        "linking_codes": LinkingCode.objects.filter(
            Q(dossier__in=dossiers) | Q(account=account)
        ).delete()[0],
        "links_ended": DossierLink.objects.active()
        .filter(Q(account=account) | Q(dossier__in=dossiers))
        .update(ended_at=timezone.now()),
        "delegations_ended": Delegation.objects.filter(account=account)
        .not_ended(today)
        .filter(starts_on__lte=today)
        .update(ends_on=today),
    }
    Delegation.objects.filter(account=account).update(note="")
    Delegation.objects.filter(account=account, starts_on__gt=today).delete()
    LinkAttempt.objects.filter(account=account).update(ip_address=None)
    GuardianRequest.objects.filter(Q(account=account) | Q(dossier__in=dossiers)).update(reason="")
    return counts


CONTRIBUTOR = Contributor(
    "dossiers",
    _("Files"),
    order=100,
    export=export,
    anonymize=anonymize,
    # The admin's page of a file: identity, contacts, addresses.
    sensitive_views=(
        SensitiveView(
            "admin:dossiers_dossier_change", "file", opened_in_admin, _("File in the admin")
        ),
    ),
    erases=(
        _("Names, birth date, email, phones and addresses of your file."),
        _("Your profile card (allergies, expertise, photo), your functions and interests."),
        _(
            "The file of a child you alone still manage; a child with another guardian "
            "keeps their file, only your link ends."
        ),
    ),
    kept=(
        Kept(
            _("The file's number, kind and dates, without anything that names you."),
            _("As long as invoices or registrations point to it"),
            _("The accounting records the law asks us to keep refer to the file by number."),
        ),
    ),
)
