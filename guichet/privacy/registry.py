"""What each app holds on a person, how it is exported and how it is anonymized.

Privacy sits low in the layers: it knows no domain. Each app that holds personal
information registers a ``Contributor`` from its ``AppConfig.ready`` (in a small module of
its own, ``guichet/<app>/privacy.py``)::

    # guichet/memberships/privacy.py
    CONTRIBUTOR = Contributor(
        "memberships", _("Memberships"), order=50,
        export=export,          # (account) -> Portion: the tables and documents
        anonymize=anonymize,    # (closing) -> {what: how many}: erases, in the closing's
                                #   transaction, what the app holds on closing.dossiers
        holds=holds,            # (account) -> why the retention job must wait, or None
        erases=(_("…"),),       # said to the person and to staff before closing
        kept=(Kept(_("…"), _("6 years"), _("tax law"), fields=("memberships.Fee.payer",)),),
    )

    # guichet/memberships/apps.py, in ready():
    privacy.register(memberships_privacy.CONTRIBUTOR)

The export (``services/exporting.py``) calls every ``export``; closing an account
(``services/closing.py``) calls every ``anonymize`` in ``order`` inside one transaction.
``Kept.fields`` names the columns that keep personal information on purpose (an invoice's
payer, as issued): ``tests/privacy/test_anonymization.py`` scans every other text column of
every model for what the person was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

Text = str | Promise


@dataclass(frozen=True)
class Table:
    """One file of the archive (``<name>.json`` and ``<name>.csv``): rows of one kind."""

    name: str
    description: Text  # one line of the archive's README
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Document:
    """A file given as is (an invoice's PDF, a photo), under ``documents/``."""

    name: str
    content: bytes
    description: Text


@dataclass
class Portion:
    """What one app gives to a person's archive."""

    tables: list[Table] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


@dataclass(frozen=True)
class Kept:
    """Something closing keeps on purpose: what, for how long, why, and which columns."""

    what: Text
    how_long: Text
    why: Text
    fields: tuple[str, ...] = ()  # "app_label.Model.field"


@dataclass
class Closing:
    """One account being closed, passed to each contributor in order.

    ``dossiers`` is filled by the contributor that owns dossiers (it runs first): the
    files that close with the account. ``forget`` collects the values the person was
    known by (names, addresses, phones), so that the audit trail's contributor, which
    runs last, can take them out of the free text it keeps.
    """

    account: Any
    actor: Any
    dossiers: list[Any] = field(default_factory=list)
    forgotten: set[str] = field(default_factory=set)

    def forget(self, *values: Any) -> None:
        for value in values:
            text = str(value or "").strip()
            if len(text) >= 3:  # shorter values would scrub innocent text
                self.forgotten.add(text)


Exporter = Callable[[Any], Portion]
Anonymizer = Callable[[Closing], dict[str, int]]
# Why the retention job must not close this account yet (an open invoice), or None.
Holder = Callable[[Any], Text | None]


@dataclass(frozen=True)
class SensitiveView:
    """A staff page that shows sensitive information on files (a NAS, a file's identity,
    answers about health): each time staff open it, the register of staff views records
    it on each file it shows (``privacy.middleware``). ``dossiers`` reads the files from
    the page's URL arguments."""

    view_name: str  # "requests:review", "admin:dossiers_dossier_change"
    what: str  # a short code kept in the event: "request", "tax_slip"
    dossiers: Callable[[dict[str, Any]], Iterable[Any]]
    label: Text = ""  # what the register of staff views calls the page: « Relevé 24 »


@dataclass(frozen=True)
class Contributor:
    name: str
    label: Text
    order: int
    export: Exporter | None = None
    anonymize: Anonymizer | None = None
    erases: tuple[Text, ...] = ()
    kept: tuple[Kept, ...] = ()
    holds: Holder | None = None
    sensitive_views: tuple[SensitiveView, ...] = ()


_contributors: dict[str, Contributor] = {}


def register(*contributors: Contributor) -> None:
    """Add an app's contributor (from its ``AppConfig.ready``)."""
    for contributor in contributors:
        known = _contributors.get(contributor.name)
        if known is not None and known != contributor:
            raise ImproperlyConfigured(f"Two privacy contributors are named {contributor.name!r}.")
        _contributors[contributor.name] = contributor


def contributors() -> list[Contributor]:
    """Every registered contributor, in its order."""
    return sorted(_contributors.values(), key=lambda contributor: contributor.order)


def sensitive_view(view_name: str) -> SensitiveView | None:
    for contributor in _contributors.values():
        for view in contributor.sensitive_views:
            if view.view_name == view_name:
                return view
    return None


def what_label(what: str) -> Text:
    """How the register of staff views names a page's code (``"tax_slip"``)."""
    for contributor in _contributors.values():
        for view in contributor.sensitive_views:
            if view.what == what and view.label:
                return view.label
    return what


def kept_fields() -> set[str]:
    """Every column some contributor keeps on purpose (``"billing.Invoice.payer_name"``)."""
    return {name for c in contributors() for kept in c.kept for name in kept.fields}


def scrub(value: Any, forgotten: Iterable[str]) -> Any:
    """``value`` (text, or JSON made of lists and dicts) with every forgotten value replaced."""
    if isinstance(value, str):
        for text in sorted(forgotten, key=len, reverse=True):
            if text.lower() in value.lower():
                value = _replace_insensitive(value, text, "[…]")
        return value
    if isinstance(value, list):
        return [scrub(item, forgotten) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, forgotten) for key, item in value.items()}
    return value


def _replace_insensitive(value: str, text: str, replacement: str) -> str:
    lowered, needle, out, start = value.lower(), text.lower(), [], 0
    while (found := lowered.find(needle, start)) != -1:
        out.append(value[start:found])
        out.append(replacement)
        start = found + len(text)
    out.append(value[start:])
    return "".join(out)
