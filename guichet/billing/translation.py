"""Bilingual stored texts of the ledger (django-modeltranslation, docs/backoffice.md): a credit
note's reason has a French and an English column; ``reason`` reads the page's language and
falls back to French."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from guichet.billing.models import CreditNote


@register(CreditNote)
class CreditNoteTranslation(TranslationOptions):
    fields = ("reason",)
    required_languages = {"fr": ("reason",), "default": ()}
