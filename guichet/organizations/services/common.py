"""What every form's service shares: the lock, the right, the submission, the audit
event, the email (``conclude``), and sending a form to staff review (``send_for_review``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.dossiers import permissions
from guichet.dossiers.grants import Act
from guichet.dossiers.models import Dossier, DossierKind
from guichet.dossiers.services.linking import absolute_url
from guichet.organizations import header, queries
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import Relation, RelationType, Submission, SubmissionStatus


class Refused(Exception):
    """A change the rules refuse (the last responsible); ``reason`` says why, to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def locked_organization(actor: Any, organization_id: int, act: Act = MANAGE_RELATIONS) -> Dossier:
    """The organization's row, locked for the transaction, once ``actor`` is seen to hold
    ``act`` over it (checked after the lock: a right ended by a concurrent change counts);
    404 otherwise, as for any id one has no right to."""
    organization = (
        Dossier.objects.select_for_update()
        .filter(pk=organization_id, kind=DossierKind.ORGANIZATION)
        .first()
    )
    if organization is None or permissions.right_over(actor, organization, act=act) is None:
        raise Http404
    return organization


def submit(
    *,
    actor: Any,
    organization: Dossier,
    form: str,
    attestations: Sequence[str],
    changes: list[dict[str, str]],
    status: SubmissionStatus = SubmissionStatus.APPLIED,
    payload: dict[str, Any] | None = None,
) -> Submission:
    now = timezone.now()
    return Submission.objects.create(
        form=form,
        status=status,
        payload=payload or {},
        submitted_by=actor,
        organization=organization,
        attestations=[{"text": str(text), "at": now.isoformat()} for text in attestations],
        changes=changes,
        submitted_at=now,
    )


def tell(person: Dossier, organization: Dossier, changes: list[dict[str, str]]) -> None:
    """Email the person concerned, in their language (their account's, else the file's)."""
    account = permissions.holder_of(person)
    to = person.email or (account.email if account else "")
    if not to:
        return
    language = account.language if account else person.language
    send_templated(
        "organizations/email/changed",
        to=to,
        context={"person": person, "organization": organization, "changes": changes},
        language=language,
    )


def tell_responsibles(
    organization: Dossier,
    relation: Relation,
    *,
    actor: Any,
    how: str,
    request: HttpRequest | None,
) -> None:
    """Who already manages the organization's relations hears that ``relation`` gives
    someone a right there (« Personne responsable »…), in their language, with the page
    where they may end it (« Retirer cette relation »). ``how``: « legacy » (linked with
    the organization's former online access) or « form » (named by a responsible, who is
    not told of their own act)."""
    others = (
        queries.active_responsibles(organization.pk)
        .exclude(contact_id=relation.contact_id)
        .exclude(contact__in=queries.held_dossiers(actor))
        .select_related("contact")
    )
    url = absolute_url(request, reverse("organizations:end_relation", args=[relation.pk]))
    for held in others:
        person = held.contact
        account = permissions.holder_of(person)
        to = account.email if account else person.email
        if not to:
            continue
        send_templated(
            "organizations/email/responsible_added",
            to=to,
            context={
                "person": person,
                "organization": organization,
                "added": relation.contact,
                "actor": actor,
                "kind": RelationType(relation.kind).label,
                "how": how,
                "end_url": url,
            },
            language=account.language if account else person.language,
        )


def lines(changes: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Changes as the submission keeps them: words (lazy labels made text)."""
    return [{k: str(v) for k, v in change.items()} for change in changes]


def conclude(
    *,
    actor: Any,
    organization: Dossier,
    form: str,
    attestations: Sequence[str],
    changes: list[dict[str, str]],
    action: Action,
    data: dict[str, Any],
    request: HttpRequest | None,
    told: Dossier | None = None,
    right: Right = Right.RELATION,
    submission: Submission | None = None,
) -> Submission:
    """What every applied change ends with: its submission in « Mes demandes » (or the
    reviewed one, now applied), its audit event with the attestations and the submission,
    and, for ``told``, the email of the changes and a fresh header."""
    if submission is None:
        submission = submit(
            actor=actor,
            organization=organization,
            form=form,
            attestations=attestations,
            changes=changes,
        )
    audit.record(
        action,
        actor=actor,
        dossier=organization,
        right=right,
        request=request,
        data={
            **data,
            "attestations": [str(text) for text in attestations],
            "submission": submission.pk,
        },
    )
    if told is not None:
        header.bump_holders_of(told.pk)
        tell(told, organization, changes)
    return submission


def send_for_review(
    *,
    actor: Any,
    organization: Dossier,
    form: str,
    attestations: Sequence[str],
    changes: list[dict[str, str]],
    payload: dict[str, Any],
    request: HttpRequest | None,
) -> Submission:
    """A form staff review: nothing changes yet; the submission (« soumise ») keeps what
    to apply, it is audited, and its author is told it was received."""
    submission = submit(
        actor=actor,
        organization=organization,
        form=form,
        attestations=attestations,
        changes=changes,
        status=SubmissionStatus.SUBMITTED,
        payload=payload,
    )
    audit.record(
        Action.FORM_SUBMITTED,
        actor=actor,
        dossier=organization,
        right=RIGHT,
        request=request,
        data={
            "form": form,
            "attestations": [str(text) for text in attestations],
            "submission": submission.pk,
        },
    )
    tell_author(submission, request)
    return submission


def tell_author(submission: Submission, request: HttpRequest | None) -> None:
    """The submission's author hears of its state (received, taken, applied, refused)."""
    author = submission.submitted_by
    send_templated(
        "organizations/email/submission",
        to=author.email,
        context={
            "account": author,
            "submission": submission,
            "url": absolute_url(request, reverse("organizations:submission", args=[submission.pk])),
        },
        language=author.language,
    )


def save_changes(dossier: Dossier, wanted: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Set the columns that really change, checked by the model's validators, and save
    them; column → (before, after)."""
    diff = {
        column: (getattr(dossier, column) or "", value or "")
        for column, value in wanted.items()
        if (getattr(dossier, column) or "") != (value or "")
    }
    if not diff:
        raise Refused(_("Nothing was changed."))
    for column, (_before, after) in diff.items():
        setattr(dossier, column, after)
    dossier.full_clean(exclude=[f.name for f in Dossier._meta.fields if f.name not in diff])
    dossier.save(update_fields=[*diff, "updated_at"])
    return diff


def diff_lines(
    diff: Mapping[str, tuple[str, str]], labels: Mapping[str, str]
) -> list[dict[str, str]]:
    return [
        {"what": labels[column], "value": f"{before or '—'} → {after or '—'}"}
        for column, (before, after) in diff.items()
    ]


RIGHT = Right.RELATION
