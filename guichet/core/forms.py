"""Form rendering shared by every app: one accessible field template."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class GuichetFormRenderer(TemplatesSetting):
    """Renders every field with ``core/forms/field.html``: label tied to the field, help
    text and errors referenced by ``aria-describedby``, ``aria-invalid`` on error."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
