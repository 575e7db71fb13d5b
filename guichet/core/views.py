from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _

from guichet import presets
from guichet.core import outage
from guichet.core.staff import role_required


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dossiers:home")
    return render(request, "core/home.html")


def terms(request: HttpRequest) -> HttpResponse:
    if presets.active().has(presets.Feature.HOUSEHOLDS):
        who = _(
            "The account is personal and must be created by an adult (18 or older) with "
            "their own information. One account serves the whole family."
        )
    else:
        who = _(
            "The account is personal and must be created by an adult (18 or older) with "
            "their own information."
        )
    paragraphs = [
        who,
        _(
            "You are responsible for keeping your password secret. We will never send you "
            "your password by email, nor ask for it."
        ),
        _(
            "The information you provide must be accurate. Changes to locked information "
            "go through a request reviewed by our staff."
        ),
    ]
    return render(request, "core/page.html", {"title": _("Terms of use"), "paragraphs": paragraphs})


@role_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff home is the back office's dashboard (docs/backoffice.md): what needs doing
    today, the charts and the tools each role opens. Named by URL only (the layers)."""
    return redirect("backoffice:home")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, with this response's nonce for its one small style block.

    A database, Redis or broker that cannot be reached answers the 503 « réessayez »
    page instead (``core.outage``). Like Django's own handler it renders no context
    processor and no base template, so a broken database or template cannot break the
    error page too.
    """
    if outage.current_exception_is_unavailability():
        return outage.service_unavailable(request)  # the database or Redis is down: 503
    nonce = getattr(request, "csp_nonce", "")
    return HttpResponseServerError(loader.get_template("500.html").render({"csp_nonce": nonce}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an expired page, cookies off): our own page,
    in the site's layout and language, instead of Django's English one with inline styles."""
    return render(request, "403_csrf.html", status=403)
