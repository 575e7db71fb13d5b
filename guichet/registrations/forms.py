"""Forms of the registration pages: who, questions and options, the cart."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.catalog.models import Offering, Option, OptionKind, Question, QuestionKind
from guichet.catalog.templatetags.catalog import money
from guichet.dossiers.models import Dossier
from guichet.registrations.choices import Choices, companion_names


class ParticipantsWidget(forms.CheckboxSelectMultiple):
    """Checkboxes where a person the offering refuses is disabled, the reason beside the
    name and tied to the box by ``aria-describedby``."""

    option_template_name = "registrations/widgets/participant_option.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused: dict[int, str] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        reason = self.refused.get(option["value"])
        if reason:
            reason_id = f"{option['attrs']['id']}_reason"
            described = option["attrs"].get("aria-describedby", "")
            option["attrs"] = {
                **option["attrs"],
                "disabled": True,
                "aria-describedby": f"{described} {reason_id}".strip(),
            }
            option["reason"], option["reason_id"] = reason, reason_id
        return option


class WhoForm(forms.Form):
    participants = forms.TypedMultipleChoiceField(
        label=_("Who are you registering?"),
        coerce=int,
        widget=ParticipantsWidget,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[int, str]],
        refused: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``refused``: why the offering refuses some of the people, by dossier id."""
        super().__init__(*args, **kwargs)
        self.names = dict(choices)
        self.refused = refused or {}
        self.fields["participants"].choices = choices
        self.fields["participants"].widget.refused = self.refused

    def clean_participants(self) -> list[int]:
        chosen = self.cleaned_data["participants"]
        errors = [
            _("%(name)s: %(reason)s") % {"name": self.names[pk], "reason": self.refused[pk]}
            for pk in chosen
            if pk in self.refused
        ]
        if errors:
            raise forms.ValidationError(errors)
        return chosen


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name of the person"), max_length=100, required=False)


class DetailsForm(forms.Form):
    """The offering's questions and options, built from the offering.

    On the registration pages there is one form per participant: ``details_forms`` reads
    the questions and options once and shares them, and each form is prefixed with the
    participant's dossier (``p<id>-q<question id>``) so names and ids stay unique on the
    page. Without a participant (modifying one registration) the names are unprefixed."""

    def __init__(
        self,
        *args: Any,
        offering: Offering,
        participant: Dossier | None = None,
        questions: list[Question] | None = None,
        options: list[Option] | None = None,
        **kwargs: Any,
    ) -> None:
        if participant is not None:
            kwargs.setdefault("prefix", f"p{participant.pk}")
        super().__init__(*args, **kwargs)
        self.offering = offering
        self.participant = participant
        self.questions = list(offering.questions.all()) if questions is None else questions
        self.option_list = list(offering.options.all()) if options is None else options
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.CHOICE:
                choices = [("", "—"), *question.choice_pairs]
                field: forms.Field = forms.ChoiceField(choices=choices)
            elif question.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(choices=[("", "—"), ("oui", _("Yes")), ("non", _("No"))])
            else:
                field = forms.CharField(max_length=500)
            field.label = question.label
            field.required = question.required
            self.fields[name] = field
        for option in self.option_list:
            label = f"{option.name} ({money(option.price)})"
            self.fields[f"o{option.pk}"] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=option.max_per_registration,
                initial=0,
                required=False,
            )
            if option.kind == OptionKind.COMPANION:
                self.fields[f"c{option.pk}"] = forms.CharField(
                    label=_("Companions' names (one per line)"),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for option in self.option_list:
            if option.kind != OptionKind.COMPANION or not data.get(f"o{option.pk}"):
                continue
            if len(companion_names(data.get(f"c{option.pk}"))) != data[f"o{option.pk}"]:
                self.add_error(f"c{option.pk}", _("Give the name of each companion."))
        return data

    def typed(self) -> dict[str, Any]:
        """What was typed, valid or not, to show again later (« Précédent »)."""
        return {
            name: value for name in self.fields if (value := self[name].value()) not in (None, "")
        }

    def kept(self) -> dict[str, Any]:
        """The valid answers, as they are shown again when the person comes back."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def choices(self) -> Choices:
        """What the service needs: options, companions' names and answers."""
        return Choices.from_form_data(
            self.cleaned_data, questions=self.questions, options=self.option_list
        )


def details_forms(
    data: Any,
    *,
    offering: Offering,
    participants: list[Dossier],
    initial: dict[str, dict[str, Any]],
) -> list[DetailsForm]:
    """One ``DetailsForm`` per participant, in order; two queries whatever their number.
    ``initial`` holds what each participant's form showed last, by dossier id."""
    questions = list(offering.questions.all())
    options = list(offering.options.all())
    return [
        DetailsForm(
            data,
            offering=offering,
            participant=participant,
            questions=questions,
            options=options,
            initial=initial.get(str(participant.pk), {}),
        )
        for participant in participants
    ]


class CartLineForm(forms.Form):
    offering = forms.ModelChoiceField(label=_("Activity"), queryset=Offering.objects.none())
    participant = forms.TypedChoiceField(label=_("Participant"), coerce=int)

    def __init__(
        self, *args: Any, offerings: Any, participants: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings
        self.fields["participant"].choices = participants


class SubmitForm(forms.Form):
    """Carries the idempotency key: a double click posts the same key twice."""

    key = forms.UUIDField(widget=forms.HiddenInput)
