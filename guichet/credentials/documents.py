"""An attestation's PDF: core's WeasyPrint template, its verification code and QR code (an
SVG drawn inline: nothing is fetched), then the operator's PAdES signature."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import override

from guichet.core.pdf import render_pdf
from guichet.credentials import signing
from guichet.credentials.models import Attestation


def verification_url(attestation: Attestation) -> str:
    path = reverse("credentials:verify", args=[attestation.code])
    return f"{settings.GUICHET_SITE_URL}{path}"


def qr_svg(data: str) -> SafeString:
    """The QR code of ``data`` as inline SVG (a path, no external resource)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg: str = image.to_string(encoding="unicode")
    # qrcode's own output: only the path's coordinates come from the data.
    return format_html("{}", SafeString(svg))


def attestation_pdf(attestation: Attestation, *, language: str = "") -> bytes:
    """The signed PDF, in ``language`` (the file's language by default)."""
    language = language or attestation.dossier.language or settings.LANGUAGE_CODE
    url = verification_url(attestation)
    content = render_pdf(
        "credentials/pdf/attestation.html",
        {
            "attestation": attestation,
            "verification_url": url,
            "qr": qr_svg(url),
            "drawn_on": timezone.localdate(),
        },
        language=language,
    )
    with override(language):
        reason = _("Attestation %(code)s") % {"code": attestation.display_code}
    return signing.sign(content, reason=reason)
