from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class LanguageMiddleware:
    """One language per person: a signed-in person's is their account's, a visitor's the
    language cookie's (French unless they chose English).

    The language switch (``accounts.views.set_language``) saves the choice on the account, so
    the pages, the emails (``send_templated(language=account.language)``) and the
    documents issued afterwards (``Invoice.language``) agree, in every browser. Signing in
    applies the account's language, and the cookie is brought in line so the browser
    keeps it after signing out. Unlike Django's LocaleMiddleware this ignores the
    browser's Accept-Language: the portal speaks French first, English on request.
    Placed after AuthenticationMiddleware, which gives ``request.user``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._account_language(request) or self._cookie_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # After the view: the person may just have signed in (or switched).
        account_language = self._account_language(request)
        if (
            account_language
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != account_language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                account_language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # a literal
            )
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response

    def _account_language(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        language = getattr(user, "language", "")
        return language if language in self.supported else ""

    def _cookie_language(self, request: HttpRequest) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        return chosen if chosen in self.supported else settings.LANGUAGE_CODE


class NoStoreForPrivatePagesMiddleware:
    """Pages shown to a signed-in person, and every form, are never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        if request.user.is_authenticated or request.method == "POST" or "/compte/" in request.path:
            add_never_cache_headers(response)
        return response
