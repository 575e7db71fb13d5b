"""The staff upload form for an import of dossiers."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# 100,000 rows of the documented format weigh about 20 MB as CSV.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File to import (CSV or XLSX)"),
        help_text=_(
            "CSV (comma or semicolon; UTF-8 or as Excel saves it) or the first sheet of an "
            "XLSX workbook, with a header row; 50 MB at most. Nothing is written before "
            "you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Choose a CSV or XLSX file."), code="extension")
        if upload.size and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."), code="too_large")
        return upload
