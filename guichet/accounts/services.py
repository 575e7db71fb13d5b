"""Write paths of the accounts app."""

from __future__ import annotations

from allauth.usersessions.adapter import get_adapter
from allauth.usersessions.internal.flows.sessions import end_other_sessions as end
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.http import HttpRequest

from guichet.accounts.models import Account


def set_preferred_language(account: Account, language: str) -> None:
    if language in dict(settings.LANGUAGES) and account.language != language:
        account.language = language
        account.save(update_fields=["language"])


def end_other_sessions(request: HttpRequest, account: Account) -> None:
    """End every session of the account but the current one, on the server."""
    end(request, account)


def end_all_sessions(account: Account) -> None:
    get_adapter().end_sessions(list(UserSession.objects.filter(user=account)))
