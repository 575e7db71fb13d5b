"""The admin names every model of the portal in French: each has a translated verbose name."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

# Words written the same in both languages.
SAME_IN_FRENCH = {
    "option", "options", "question", "questions", "document", "documents", "attestation",
    "attestations", "relation", "relations", "Relevé 24", "Relevés 24", "session", "sessions",
}  # fmt: skip


def test_every_model_of_the_portal_has_a_french_name():
    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("guichet."):
            continue
        for key in ("verbose_name", "verbose_name_plural"):
            name = model._meta.original_attrs.get(key)
            if not isinstance(name, Promise):
                untranslated.append(f"{model._meta.label}.{key}")
                continue
            with translation.override("fr"):
                french = str(name)
            with translation.override("en"):
                english = str(name)
            if french == english and english not in SAME_IN_FRENCH:
                untranslated.append(f"{model._meta.label}.{key}: {english}")
    assert not untranslated, untranslated
