"""What credentials give to a person's archive and erase when their account closes.

Registered with privacy from ``CredentialsConfig.ready`` (see ``guichet.privacy.registry``).
The directory listing is deleted (the profile card's opt-in is turned off by dossiers).
An attestation stays with its code, kind, what it attests, dates and status, so that a
reader holding its PDF can still learn at ``/verifier/<code>/`` that it was issued; the
name it carries is replaced (« Anonyme »), so the public page no longer names anyone.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.credentials.models import Attestation, DirectoryListing, TitleAward
from guichet.dossiers.privacy import held_and_guarded
from guichet.privacy.registry import (
    Closing,
    Contributor,
    Kept,
    Portion,
    SensitiveView,
    Table,
    scrub,
)

ANONYMOUS = "Anonyme"


def export(account: Any) -> Portion:
    dossiers = list(held_and_guarded(account))
    attestations = [
        {
            "file": a.dossier.number,
            "kind": a.get_kind_display(),
            "code": a.display_code,
            "name": a.holder_name,
            "subject": a.subject,
            "subject_en": a.subject_en,
            "hours": a.hours,
            "attested_on": a.attested_on,
            "valid_until": a.valid_until,
            "issued_at": a.issued_at,
            "status": a.get_status_display(),
            "revoked_at": a.revoked_at,
            "revocation_reason": a.revocation_reason,
        }
        for a in Attestation.objects.filter(dossier__in=dossiers)
        .select_related("dossier")
        .order_by("issued_at", "id")
    ]
    titles = [
        {"file": t.dossier.number, "title": t.program.title, "awarded_on": t.awarded_on}
        for t in TitleAward.objects.filter(dossier__in=dossiers).select_related(
            "dossier", "program"
        )
    ]
    listings = [
        {
            "file": listing.dossier.number,
            "region": listing.get_region_display() if listing.region else "",
            **{name: getattr(listing, name) for name in DirectoryListing.SHOWN_FIELDS},
            "updated_at": listing.updated_at,
        }
        for listing in DirectoryListing.objects.filter(dossier__in=dossiers).select_related(
            "dossier"
        )
    ]
    return Portion(
        tables=[
            Table("attestations", _("Your attestations, as issued."), attestations),
            Table("titles", _("The titles awarded to you."), titles),
            Table(
                "directory_listing",
                _("What you chose to show in the members directory."),
                listings,
            ),
        ]
    )


def anonymize(closing: Closing) -> dict[str, int]:
    dossiers = [d.pk for d in closing.dossiers]
    attestations = Attestation.objects.filter(dossier__in=dossiers)
    closing.forget(*attestations.values_list("holder_name", flat=True).distinct())
    # Staff's reasons for a revocation stay (why it no longer counts), without the person.
    for attestation in attestations.exclude(revocation_reason=""):
        reason = scrub(attestation.revocation_reason, closing.forgotten)
        Attestation.objects.filter(pk=attestation.pk).update(revocation_reason=reason)
    return {
        "directory_listings": DirectoryListing.objects.filter(dossier__in=dossiers).delete()[0],
        "attestations_anonymized": attestations.update(holder_name=ANONYMOUS),
    }


def attestation_shown(kwargs: dict[str, Any]) -> list[Any]:
    found = Attestation.objects.filter(pk=kwargs.get("pk") or 0).select_related("dossier")
    return [attestation.dossier for attestation in found]


CONTRIBUTOR = Contributor(
    "credentials",
    _("Titles and attestations"),
    order=600,
    export=export,
    anonymize=anonymize,
    sensitive_views=(
        SensitiveView(
            "credentials:staff_detail", "attestation", attestation_shown, _("Attestation")
        ),
    ),
    erases=(
        _("Your listing in the members directory."),
        _("Your name on the attestations issued to you."),
    ),
    kept=(
        Kept(
            _(
                "Each attestation's code, what it attests, its dates and status, and the "
                "titles awarded, without your name."
            ),
            _("As long as the operator issues attestations"),
            _(
                "Whoever holds a copy of an attestation can still check that it was issued "
                "and whether it was revoked; the verification page no longer names you."
            ),
        ),
    ),
)
