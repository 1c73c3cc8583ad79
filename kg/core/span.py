"""Half-open character ranges into one stored text: the unit every record points with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` into ``Document.text``."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        # Written by hand (the dataclass keeps it): checked, then stored straight into the
        # instance's dict, which a frozen dataclass's own __init__ does at twice the cost
        # through object.__setattr__ — spans are made by the thousand per document.
        if start < 0 or end < start:
            raise ValueError(f"invalid span [{start}, {end})")
        fields = self.__dict__
        fields["start"] = start
        fields["end"] = end

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_json(self) -> list[int]:
        return [self.start, self.end]
