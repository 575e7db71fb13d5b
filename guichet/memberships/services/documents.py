"""Documents of an application (hiring resolution, diploma copies): real PDFs only.

A file is accepted when it *is* a PDF, whatever its name says: it starts with the PDF
signature, parses (pypdf), is not encrypted, carries no active content (JavaScript,
launch actions, embedded files) and decompresses within a budget — a « PDF bomb » (a
small file that inflates to gigabytes) is refused as soon as the budget is passed,
before anything is stored. Accepted files are stored through Django's storage API
(``models.document_storage``) under a random name, never under a served root; they go
out only through ``views.documents.download``, which checks the right.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

MAX_SIZE = 10 * 1024 * 1024  # 10 MB: a scanned resolution of a few pages fits easily
MAX_PAGES = 100
# What all the pages' contents may inflate to, together.
MAX_INFLATED = 40 * 1024 * 1024
SIGNATURE = b"%PDF-"
# Names that make a PDF act when opened: refused in documents staff will open.
ACTIVE_CONTENT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


@dataclass(frozen=True)
class CheckedPdf:
    name: str
    size: int
    pages: int


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_pdf(upload: UploadedFile) -> CheckedPdf:
    """Raise ``ValidationError`` (a plain French message) unless ``upload`` is a safe PDF."""
    size = upload.size or 0
    if size > MAX_SIZE:
        raise _refuse(
            _(
                "This file is larger than %(max)s MB. Send a lighter PDF (scanned in black "
                "and white, for instance)."
            )
            % {"max": MAX_SIZE // (1024 * 1024)},
            "too_large",
        )
    if size == 0:
        raise _refuse(_("This file is empty."), "empty")
    upload.seek(0)
    data = upload.read(MAX_SIZE + 1)
    upload.seek(0)
    if len(data) > MAX_SIZE:
        raise _refuse(_("This file is too large."), "too_large")
    if not data.startswith(SIGNATURE):
        raise _refuse(
            _("This file is not a PDF document, whatever its name says. Send a PDF file."),
            "not_pdf",
        )
    if ACTIVE_CONTENT.search(data):
        raise _refuse(
            _(
                "This PDF contains active content (scripts or attached files). Save it again "
                "as a plain PDF, then send it."
            ),
            "active_content",
        )
    pages = _parse(data)
    return CheckedPdf(name=_plain_name(upload.name or "document.pdf"), size=size, pages=pages)


def _parse(data: bytes) -> int:
    unreadable = _refuse(
        _(
            "This PDF cannot be read: it is damaged or built to harm. Save it again as a "
            "PDF, then send it."
        ),
        "unreadable",
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(
                _("This PDF is protected by a password. Send it without protection."),
                "encrypted",
            )
        count = len(reader.pages)
        if count == 0:
            raise unreadable
        if count > MAX_PAGES:
            raise _refuse(
                _("This PDF has more than %(max)s pages.") % {"max": MAX_PAGES}, "too_many_pages"
            )
        inflated = 0
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                inflated += len(contents.get_data())
            if inflated > MAX_INFLATED:
                raise unreadable
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        logger.info("PDF refused: %s", type(error).__name__)
        raise unreadable from None
    except MemoryError:
        raise unreadable from None
    return count


def _plain_name(name: str) -> str:
    """The name as the person typed it, without a path, kept only for display."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base[:200] or "document.pdf"
