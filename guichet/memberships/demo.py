"""The memberships demo, for operators with memberships (COMAQ, CAOMSC, the demo city).

- the three member types (``seeds``);
- Marie Tremblay, a regular member whose membership ends in a week: « Devenir membre »
  offers « Renouveler mon adhésion », and the sweep sends her the 7-day reminder;
- Chantal Girard, with an account and a file, whose application waits in the staff queue
  with her hiring resolution and diploma (real PDFs);
- Jean-François Gagnon stays a participant who is not a member (dossiers' demo).

Idempotent like every app's demo: records are found by their natural key and put back in
their demo state.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from guichet.accounts.models import Account
from guichet.dossiers import demo as dossiers_demo
from guichet.dossiers.demo import DemoDossier
from guichet.dossiers.models import Dossier, LinkRole
from guichet.dossiers.services.identity import mirror_membership
from guichet.memberships.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
    Membership,
    MembershipStatus,
    RenewalReminder,
    document_storage,
)
from guichet.memberships.seeds import ensure_member_types
from guichet.presets import Preset
from guichet.privacy.models import MailingList
from guichet.privacy.services import granted_lists, record_consents

APPLICANT = DemoDossier(
    "104820",
    "Chantal",
    "Girard",
    date(1981, 7, 3),
    "chantal.girard@exemple.ca",
    matricule="04820",
)
RENEWAL_IN = timedelta(days=7)


def blank_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@transaction.atomic
def load(operator: Preset) -> list[tuple[str, str]]:
    types = {member_type.slug: member_type for member_type in ensure_member_types(operator)}
    if not types:
        return []
    lines = [("Types de membre", ", ".join(t.name for t in types.values()))]
    regular = types["membre-regulier"]

    marie = Dossier.objects.filter(email__iexact=dossiers_demo.MARIE.email).first()
    if marie is not None:
        today = timezone.localdate()
        ends_on = today + RENEWAL_IN
        membership = (
            Membership.objects.filter(dossier=marie, renews__isnull=True).order_by("pk").first()
        )
        fields = {
            "member_type": regular,
            "status": MembershipStatus.ACTIVE,
            "starts_on": ends_on - timedelta(days=364),
            "ends_on": ends_on,
            "grace_ends_on": ends_on + timedelta(days=regular.grace_days),
            "fee": regular.fee,
            "started_at": timezone.now() - timedelta(days=358),
            "ended_at": None,
        }
        if membership is None:
            membership = Membership.objects.create(dossier=marie, **fields)
        else:
            Membership.objects.filter(pk=membership.pk).update(**fields)
        # A renewal tried in an earlier demo gives way (its invoice stays, as always).
        Membership.objects.filter(dossier=marie).exclude(pk=membership.pk).update(
            status=MembershipStatus.CANCELLED, renews=None
        )
        RenewalReminder.objects.filter(membership__dossier=marie).delete()
        mirror_membership(marie, ends_on)
        lines.append(("Marie Tremblay : membre régulière, renouvellement dans 7 jours", ""))
        # « Mes abonnements » as the guide shows it: the corporation's newsletter, which
        # members are warned not to turn off; Marie gave her consent on the page.
        bulletin = _newsletter()
        if bulletin.pk not in granted_lists(marie):
            record_consents(marie, {bulletin: True}, actor=marie_account(marie), language="fr")

    account = _applicant_account()
    if account is None:
        return lines
    dossier = dossiers_demo.ensure_dossier(
        dossiers_demo.fitting(APPLICANT, operator), dossiers_demo.DEMO_TOWN
    )
    dossiers_demo.ensure_link(account, dossier, LinkRole.HOLDER)
    Application.objects.filter(dossier=dossier).exclude(
        status__in=[ApplicationStatus.APPROVED]
    ).delete()
    if not Application.objects.filter(dossier=dossier).exists():
        application = Application.objects.create(
            dossier=dossier, applicant=account, member_type=regular
        )
        for kind, name, pages in (
            (DocumentKind.HIRING_RESOLUTION, "resolution-embauche-girard.pdf", 2),
            (DocumentKind.DIPLOMA, "diplome-girard.pdf", 1),
        ):
            content = blank_pdf(pages)
            stored = document_storage().save(
                f"memberships/applications/demo-{dossier.number}-{kind}.pdf",
                ContentFile(content),
            )
            ApplicationDocument.objects.create(
                application=application,
                kind=kind,
                file=stored,
                original_name=name,
                size=len(content),
                pages=pages,
                uploaded_by=account,
            )
    lines.append(("Demande d'adhésion à traiter (Chantal Girard)", APPLICANT.email))
    return lines


def _newsletter() -> MailingList:
    found, _created = MailingList.objects.get_or_create(
        name="Bulletin d'information",
        defaults={
            "name_en": "Newsletter",
            "wording": "J'accepte de recevoir le bulletin d'information par courriel.",
            "wording_en": "I agree to receive the newsletter by email.",
            "position": 1,
        },
    )
    return found


def marie_account(marie: Dossier) -> Account | None:
    return Account.objects.filter(email__iexact=marie.email).first()


def _applicant_account() -> Account | None:
    """Chantal's account, made by ``accounts.demo`` with every demo person."""
    return Account.objects.filter(email__iexact=APPLICANT.email).first()
