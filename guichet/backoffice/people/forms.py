"""The people part's forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.backoffice.people.services.counter import COUNTER_METHODS
from guichet.billing.forms.payments import MoneyMovementForm
from guichet.catalog.models import Question, QuestionKind
from guichet.core.roles import Role


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CounterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, file number, phone or email"),
        max_length=100,
        min_length=2,
        error_messages={"min_length": _("Type at least two characters.")},
    )


class CounterRegistrationForm(forms.Form):
    """The offering's questions, asked of the person at the counter or on the phone."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, questions: Iterable[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.CHOICE and question.choices:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    required=question.required,
                    choices=[("", "—"), *[(c, c) for c in question.choices]],
                )
            elif question.kind == QuestionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    required=question.required,
                    choices=[("", "—"), ("Oui", _("Yes")), ("Non", _("No"))],
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label, required=question.required, max_length=500
                )

    def answers(self) -> dict[str, str]:
        """Keyed by the question's label, as the online registration keeps them."""
        return {
            question.label: self.cleaned_data[f"q{question.pk}"]
            for question in self.questions
            if self.cleaned_data.get(f"q{question.pk}")
        }


class CounterPaymentForm(MoneyMovementForm):
    """Money received in person: debit terminal, cash or cheque."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, methods=COUNTER_METHODS, **kwargs)
        del self.fields["received_on"]  # today: the person is in front of us
