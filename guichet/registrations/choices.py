"""What a person chose for one participant, and its one conversion to and from each place
it is kept: the details form's fields, JSON (the wizard's session, a cart line) and a
registration's option rows.

The wizard, the cart line and the modify page all read and write choices through this
class, so a companion's name travels the same way everywhere and the rows written by a
registration and by a modification are the same (one row per named companion).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from guichet.catalog.models import Option, OptionKind, Question

if TYPE_CHECKING:
    from guichet.registrations.models import Registration


def companion_names(text: str | None) -> list[str]:
    """The names typed in a companions field, one per line, blank lines ignored."""
    return [name.strip() for name in (text or "").splitlines() if name.strip()]


@dataclass(frozen=True)
class Choices:
    options: dict[int, int] = field(default_factory=dict)  # {option id: quantity > 0}
    companions: dict[int, list[str]] = field(default_factory=dict)  # {option id: names}
    answers: dict[str, Any] = field(default_factory=dict)  # {question label: answer}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Choices:
        """From the wizard's session or a cart line (JSON: option ids as strings)."""
        data = data or {}
        return cls(
            options={int(pk): int(qty) for pk, qty in (data.get("options") or {}).items() if qty},
            companions={
                int(pk): list(names) for pk, names in (data.get("companions") or {}).items()
            },
            answers=dict(data.get("answers") or {}),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "options": {str(pk): qty for pk, qty in self.options.items()},
            "companions": {str(pk): names for pk, names in self.companions.items() if names},
            "answers": self.answers,
        }

    @classmethod
    def from_registration(cls, registration: Registration) -> Choices:
        """What a registration holds: its option rows (in the order written) and answers."""
        options: dict[int, int] = {}
        companions: dict[int, list[str]] = {}
        for row in registration.option_lines.select_related("option").order_by("id"):
            options[row.option_id] = options.get(row.option_id, 0) + row.quantity
            if row.option.kind == OptionKind.COMPANION:
                names = companions.setdefault(row.option_id, [])
                names += [row.companion_name] + [""] * (row.quantity - 1)
        return cls(options=options, companions=companions, answers=dict(registration.answers))

    @classmethod
    def from_form_data(
        cls, data: dict[str, Any], *, questions: Iterable[Question], options: Iterable[Option]
    ) -> Choices:
        """From a details form's cleaned data (fields ``q<id>``, ``o<id>``, ``c<id>``)."""
        options = list(options)
        return cls(
            options={o.pk: data[f"o{o.pk}"] for o in options if data.get(f"o{o.pk}")},
            companions={
                o.pk: companion_names(data.get(f"c{o.pk}"))
                for o in options
                if o.kind == OptionKind.COMPANION and data.get(f"o{o.pk}")
            },
            answers={q.answer_key: data.get(f"q{q.pk}", "") for q in questions},
        )

    def form_initial(
        self, *, questions: Iterable[Question], options: Iterable[Option]
    ) -> dict[str, Any]:
        """The details form's fields showing these choices."""
        initial: dict[str, Any] = {
            f"q{q.pk}": self.answers[q.answer_key]
            for q in questions
            if q.answer_key in self.answers
        }
        for option in options:
            initial[f"o{option.pk}"] = self.options.get(option.pk, 0)
            if option.kind == OptionKind.COMPANION:
                names = [name for name in self.companions.get(option.pk, []) if name]
                initial[f"c{option.pk}"] = "\n".join(names)
        return initial
