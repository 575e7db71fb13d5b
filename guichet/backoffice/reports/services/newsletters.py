"""Newsletters (role Administration): sent only to the files whose latest consent to the
list is « yes » (CASL; the privacy app's append-only consents), each in the person's
language, each with the privacy app's one-click unsubscribe (RFC 8058 headers and a link
that works without signing in). Recorded (``Newsletter``, one ``NewsletterRecipient`` per
file) and audited, in one transaction: the emails leave once it commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.backoffice.models import Newsletter, NewsletterRecipient
from guichet.core.mail import dispatch
from guichet.core.roles import Role
from guichet.dossiers.models import Dossier, DossierLink, LinkRole
from guichet.privacy.models import Consent, MailingList
from guichet.privacy.services.consents import shown_name
from guichet.privacy.services.unsubscribing import link_for, list_headers


def subscribers(mailing_list: MailingList) -> QuerySet[Dossier]:
    """The files whose latest consent to the list is « yes » and that have an address,
    each with ``reads_in``: its holder's account language, else the file's."""
    latest = (
        Consent.objects.filter(dossier=OuterRef("pk"), mailing_list=mailing_list)
        .order_by("-recorded_at", "-id")
        .values("granted")[:1]
    )
    holder_language = (
        DossierLink.objects.active()
        .filter(dossier=OuterRef("pk"), role=LinkRole.HOLDER)
        .values("account__language")[:1]
    )
    return (
        Dossier.objects.filter(
            pk__in=Consent.objects.filter(mailing_list=mailing_list).values("dossier_id")
        )
        .annotate(latest_consent=Subquery(latest))
        .filter(latest_consent=True)
        .exclude(email="")
        .annotate(reads_in=Coalesce(Subquery(holder_language), "language"))
        .order_by("pk")
    )


def _in(language: str, french: str, english: str) -> str:
    return english if language.startswith("en") and english.strip() else french


@transaction.atomic
def send(
    mailing_list: MailingList,
    *,
    subject: str,
    subject_en: str,
    body: str,
    body_en: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Newsletter:
    """Record the newsletter, one recipient row per consenting file, the audit row; queue
    one email per file for after the commit."""
    newsletter = Newsletter.objects.create(
        mailing_list=mailing_list,
        subject=subject,
        subject_en=subject_en,
        body=body,
        body_en=body_en,
        sent_by=actor if getattr(actor, "pk", None) else None,
    )
    operator = presets.active()
    recipients = []
    for dossier in subscribers(mailing_list).iterator(chunk_size=1000):
        language = "en" if str(getattr(dossier, "reads_in", "")).startswith("en") else "fr"
        recipients.append(
            NewsletterRecipient(newsletter=newsletter, dossier=dossier, language=language)
        )
        context = {
            "operator": operator,
            "body": _in(language, body, body_en),
            "list_name": shown_name(mailing_list, language),
            "unsubscribe_url": link_for(dossier, mailing_list),
        }
        with translation.override(language):
            text = render_to_string("backoffice/reports/email/newsletter_message.txt", context)
        message = EmailMultiAlternatives(
            f"{operator.short_name} — {_in(language, subject, subject_en)}",
            text,
            settings.DEFAULT_FROM_EMAIL,
            [dossier.email],
            headers=list_headers(dossier, mailing_list),
        )
        dispatch(message)
    NewsletterRecipient.objects.bulk_create(recipients, batch_size=1000)
    newsletter.recipients_count = len(recipients)
    newsletter.save(update_fields=["recipients_count"])
    record(
        Action.NEWSLETTER_SENT,
        actor=actor,
        right=Right.STAFF,
        request=request,
        data={
            "role": str(Role.ADMINISTRATION),
            "newsletter": newsletter.pk,
            "list": mailing_list.pk,
            "name": mailing_list.name,
            "recipients": len(recipients),
        },
    )
    return newsletter
