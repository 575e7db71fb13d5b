"""The privacy policy, written from what this deployment actually does.

Nothing here is a template an operator fills: each paragraph comes from the preset's
features (what is collected: a city's Relevé 24 asks for the social insurance number, a
corporation's membership application for a hiring resolution), from the retention rules
in force (the preset's delays, ``GUICHET_RETENTION_INACTIVE_YEARS``) and from the
processors the settings name (the card payment provider, the email relay, an external
file store). Change the preset or the settings and the policy says so. Texts are
translated at each request (French and English).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.presets import Feature, Preset
from guichet.privacy.middleware import staff_views_named
from guichet.privacy.services.archive import EXPORT_LIFETIME_DAYS

# How long consents are kept after the last one (contributors.py) and invoices after
# their year (billing): fixed by the code and the law, not by the operator.
CONSENT_YEARS = 3
TAX_YEARS = 6


@dataclass(frozen=True)
class Part:
    """One heading of the policy and its items."""

    key: str
    title: str
    items: list[str] = field(default_factory=list)


def _collected(preset: Preset) -> list[str]:
    items = [
        _(
            "Your identity and contact details: first and last names, birth date, email "
            "address, phone numbers, home and work addresses, preferred language."
        ),
        _(
            "Your account: your email address (your sign-in identifier), your password "
            "(stored only as a one-way fingerprint), your sign-ins with the network "
            "address and browser they came from."
        ),
        _(
            "What you choose to add in “My profile card” and “My functions”: allergies or "
            "intolerances, expertise, professional orders, LinkedIn link, profile photo, "
            "employer and job title; your interests."
        ),
    ]
    if preset.has(Feature.HOUSEHOLDS):
        items.append(
            _(
                "Your family: the children you register (names, birth dates) and the "
                "guardians who share them."
            )
        )
    if preset.has(Feature.CATALOG):
        items.append(
            _(
                "Your registrations and your answers to the questions an activity asks "
                "(which may concern health, such as allergies or medical conditions)."
            )
        )
    if preset.has(Feature.BILLING):
        items.append(
            _(
                "Your invoices, credit notes and payments (the method, the amount, the "
                "date). Card numbers are typed on the payment provider's page: we never "
                "see nor keep them."
            )
        )
    if preset.has(Feature.TAX_SLIPS):
        items.append(
            _(
                "Your social insurance number (NAS), asked only to issue the Relevé 24 "
                "(childcare expenses) and stored encrypted."
            )
        )
    if preset.has(Feature.MEMBERSHIPS):
        items.append(
            _(
                "Your membership applications: the member type, your employer and "
                "function, and the documents you join (hiring resolution, diploma "
                "copies, as PDF); your memberships and their fees."
            )
        )
        if preset.title_rules is not None:
            items.append(
                _(
                    "The trainings you attended and their hours, toward the title "
                    "%(title)s, and the attestations issued to you."
                )
                % {"title": preset.title_rules.title}
            )
    if preset.has(Feature.DIRECTORY):
        items.append(
            _(
                "If you choose to appear in the members directory (off until you do): "
                "your name and only the fields you choose to show."
            )
        )
    if preset.has(Feature.ORGANIZATIONS):
        items.append(
            _(
                "Your relations with organizations (employers, associations) and the "
                "authorizations they give you or you give them."
            )
        )
    items.append(
        _(
            "Your consents to our communications, each with the exact wording you "
            "agreed to, when and how."
        )
    )
    return items


def _purposes(preset: Preset) -> list[str]:
    items = [_("To open and keep your file, and to let you manage it online.")]
    if preset.has(Feature.CATALOG):
        items.append(_("To register you to our activities and to reach you about them."))
    if preset.has(Feature.BILLING):
        items.append(_("To invoice you, receive your payments and keep our accounts."))
    if preset.has(Feature.TAX_SLIPS):
        items.append(_("To issue the tax slips the law requires (Relevé 24)."))
    if preset.has(Feature.MEMBERSHIPS):
        items.append(_("To review your membership application and keep your membership current."))
    items.append(
        _(
            "To send you newsletters and offers only if you agreed to them; you may "
            "withdraw at any time, in one click from any of these emails."
        )
    )
    return items


def _processors(preset: Preset) -> list[str]:
    items = []
    provider = settings.GUICHET_PAYMENT_PROVIDER if preset.has(Feature.BILLING) else ""
    if provider == "stripe":
        items.append(
            _(
                "Card payments: Stripe, which receives your card details on its own page "
                "and tells us only whether the payment succeeded."
            )
        )
    elif provider == "demo":
        items.append(
            _(
                "Card payments: a demonstration provider run by this portal itself (no "
                "real payment, nothing leaves the portal)."
            )
        )
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        items.append(
            _(
                "Emails: sent through the relay %(host)s, which receives each message's "
                "address and contents in order to deliver it."
            )
            % {"host": settings.EMAIL_HOST}
        )
    if preset.has(Feature.MEMBERSHIPS) and "memberships" in settings.STORAGES:
        options: Any = settings.STORAGES["memberships"].get("OPTIONS") or {}
        endpoint = options.get("endpoint_url", "") if isinstance(options, dict) else ""
        where = urlsplit(str(endpoint)).hostname or ""
        items.append(
            _(
                "Membership documents: kept in an external file store%(where)s, which "
                "only our portal may read."
            )
            % {"where": f" ({where})" if where else ""}
        )
    if not items:
        items.append(_("None: your information stays in this portal and its database."))
    return items


def _kept(preset: Preset) -> list[str]:
    items = []
    years = settings.GUICHET_RETENTION_INACTIVE_YEARS
    if years:
        items.append(
            ngettext(
                "An account nobody signed in to for %(years)s year is closed and its "
                "personal information anonymized, unless something is still owed or "
                "under way.",
                "An account nobody signed in to for %(years)s years is closed and its "
                "personal information anonymized, unless something is still owed or "
                "under way.",
                years,
            )
            % {"years": years}
        )
    else:
        items.append(
            _(
                "Your account and your file are kept until you ask us to close them "
                "(“My data”); nothing is closed automatically."
            )
        )
    items.append(
        _(
            "When an account is closed, names, contact details, birth dates and what "
            "was typed are replaced by neutral values; this cannot be undone."
        )
    )
    if preset.has(Feature.BILLING):
        items.append(
            _(
                "Invoices, credit notes and receipts are kept as issued for %(years)s "
                "years after the year they concern, as tax law requires."
            )
            % {"years": TAX_YEARS}
        )
    if preset.has(Feature.TAX_SLIPS):
        items.append(
            _(
                "The social insurance number is erased when the account closes; the "
                "Relevés 24 issued are kept %(years)s years, as tax law requires."
            )
            % {"years": TAX_YEARS}
        )
    if preset.has(Feature.MEMBERSHIPS):
        days = preset.membership_documents_kept_days
        if days is None:
            items.append(
                _(
                    "The documents joined to a membership application are kept until "
                    "the account closes."
                )
            )
        else:
            items.append(
                ngettext(
                    "The documents joined to a membership application are deleted "
                    "%(days)s day after the decision.",
                    "The documents joined to a membership application are deleted "
                    "%(days)s days after the decision.",
                    days,
                )
                % {"days": days}
            )
        hours = preset.membership_uploads_kept_hours
        items.append(
            ngettext(
                "A document joined to an application never sent is deleted after %(hours)s hour.",
                "A document joined to an application never sent is deleted after %(hours)s hours.",
                hours,
            )
            % {"hours": hours}
        )
    items.append(
        _("Consents are kept %(years)s years after the last one, as proof of what you agreed to.")
        % {"years": CONSENT_YEARS}
    )
    items.append(
        _("A copy of your data is offered for %(days)s days, downloaded once, then erased.")
        % {"days": EXPORT_LIFETIME_DAYS}
    )
    return items


def _rights(preset: Preset) -> list[str]:
    officer = preset.privacy_officer
    contact = ", ".join(part for part in (officer.name, officer.email, officer.phone) if part)
    return [
        _(
            "See and download what we hold on you (“My data”), correct it "
            "(“My information”), withdraw a consent (“My subscriptions”), or ask "
            "that your account be closed."
        ),
        _("Our privacy officer answers your questions and requests: %(contact)s.")
        % {"contact": contact},
        _(
            "Every change to your file and every time our staff consult its information "
            "is recorded; you see it in “My file's activity”, with the name of who "
            "consulted it."
        )
        if staff_views_named(preset)
        else _(
            "Every change to your file and every time our staff consult its information "
            "is recorded; you see it in “My file's activity”: that our staff consulted "
            "it, not who (our privacy officer knows who)."
        ),
        _(
            "If you are not satisfied with our answer, you may complain to the Commission "
            "d'accès à l'information du Québec."
        ),
    ]


def parts(preset: Preset) -> list[Part]:
    """The policy of ``preset`` under the current settings, in the active language."""
    return [
        Part(
            "responsible",
            _("Who is responsible"),
            [
                _(
                    "%(operator)s is responsible for the personal information this "
                    "portal holds. It is never sold."
                )
                % {"operator": preset.operator_name}
            ],
        ),
        Part("collected", _("What we collect"), _collected(preset)),
        Part("purposes", _("Why"), _purposes(preset)),
        Part("processors", _("Who else handles it on our behalf"), _processors(preset)),
        Part("kept", _("How long we keep it"), _kept(preset)),
        Part("rights", _("Your rights"), _rights(preset)),
    ]
