"""Seasons, as a municipal recreation service counts them: winter (January to March), spring
(April to June), summer (July and August), autumn (September to December). An offering
belongs to the season it starts in; « Dupliquer la saison » copies one season's offerings to
another, every date moved by whole weeks so each keeps its weekday."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

# (key, first month, label)
SEASONS = (
    ("hiver", 1, pgettext_lazy("season", "Winter")),
    ("printemps", 4, pgettext_lazy("season", "Spring")),
    ("ete", 7, pgettext_lazy("season", "Summer")),
    ("automne", 9, pgettext_lazy("season", "Autumn")),
)
KEYS = [key for key, _month, _label in SEASONS]


@dataclass(frozen=True, order=True)
class Season:
    year: int
    index: int  # 0 to 3, in SEASONS

    @classmethod
    def of(cls, day: datetime.date) -> Season:
        index = max(i for i, (_key, month, _label) in enumerate(SEASONS) if month <= day.month)
        return cls(day.year, index)

    @classmethod
    def from_key(cls, key: str) -> Season | None:
        """``"2027-hiver"``, or ``None`` for anything else."""
        year, _dash, name = key.partition("-")
        if not (year.isdigit() and len(year) == 4 and name in KEYS):
            return None
        return cls(int(year), KEYS.index(name))

    @property
    def key(self) -> str:
        return f"{self.year}-{KEYS[self.index]}"

    @property
    def label(self) -> str:
        return f"{SEASONS[self.index][2]} {self.year}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, SEASONS[self.index][1], 1)

    @property
    def ends_on(self) -> datetime.date:
        """The day before the next season starts."""
        return self.next().starts_on - datetime.timedelta(days=1)

    def next(self) -> Season:
        if self.index == len(SEASONS) - 1:
            return Season(self.year + 1, 0)
        return Season(self.year, self.index + 1)

    def shift_to(self, other: Season) -> datetime.timedelta:
        """Whole weeks nearest to the distance between the two seasons' first days."""
        days = (other.starts_on - self.starts_on).days
        return datetime.timedelta(weeks=round(days / 7))

    def __str__(self) -> str:
        return self.label
