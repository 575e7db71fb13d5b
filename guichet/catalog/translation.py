"""Bilingual content (django-modeltranslation): each text a person reads of an offering has a
French and an English column (``title_fr``, ``title_en``…). Reading ``title`` gives the page's
language and falls back to French; the French text is required where the field is.

A value given without a language (``Offering(title=…)``, as the demo, the import and the API
write) is the French one; modeltranslation also writes it in the language active at that
moment, so code that creates rows for an English page names the columns
(``title_fr=…``)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from guichet.catalog.models import Offering, OfferingDocument, Option, Question, Session


@register(Offering)
class OfferingTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "place", "schedule")
    required_languages = {"fr": ("title",), "default": ()}


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("place",)


@register(Option)
class OptionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"fr": ("name",), "default": ()}


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "choices")
    required_languages = {"fr": ("label",), "default": ()}


@register(OfferingDocument)
class OfferingDocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"fr": ("title",), "default": ()}
