"""Writing bilingual content (the columns are declared in ``catalog/translation.py``)."""

from __future__ import annotations

from django.utils import translation


def in_french() -> translation.override:
    """Save inside this: the unsuffixed column (``title``) is written with the value read in
    the active language, so saving in French keeps the French text there for code that
    reads the column itself (another app's ``values("offering__title")``)."""
    return translation.override("fr")
