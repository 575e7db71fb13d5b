from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _

from guichet import presets
from guichet.core import outage
from guichet.core.staff import role_required, roles_of


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dossiers:home")
    return render(request, "core/home.html")


def privacy(request: HttpRequest) -> HttpResponse:
    preset = presets.active()
    paragraphs = [
        _(
            "%(operator)s collects only the personal information needed to provide its "
            "online services: your identity, your contact details and the files you manage."
        )
        % {"operator": preset.operator_name},
        _(
            "Your information is kept in Quebec-compliant systems, is never sold, and is "
            "shared only with the staff who need it to serve you."
        ),
        _(
            "Every sign-in and every change to your account is recorded so that you and our "
            "staff can see who did what, and when."
        ),
        _(
            "To exercise your rights of access, correction or withdrawal of consent, "
            "contact our privacy officer: %(officer)s."
        )
        % {
            "officer": ", ".join(
                part for part in (preset.privacy_officer.name, preset.privacy_officer.email) if part
            )
        },
    ]
    return render(
        request, "core/page.html", {"title": _("Privacy policy"), "paragraphs": paragraphs}
    )


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
    """The staff's tools, one page: queues first, then settings."""
    delegations = presets.active().has(presets.Feature.DELEGATES)
    # Only the links the account's roles open (docs/backoffice.md).
    context = {"delegations": delegations, "roles": roles_of(request.user)}
    return render(request, "core/staff.html", context)


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
