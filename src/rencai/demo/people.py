"""Invented people: unique names, birth dates, valid resident ID numbers and mobiles, from one seeded random."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from rencai.core.validators import id_number_check_char
from rencai.demo.data import (
    AS_OF,
    GIVEN_NAMES,
    HOME_PROVINCES,
    MOBILE_PREFIXES,
    MONGOLIAN_NAMES,
    REGIONS,
    SURNAMES,
)

MONGOLIAN_SHARE = 0.07  # of people born in Inner Mongolia
T = TypeVar("T")


def weighted(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


class People:
    """Hands out people who do not collide: every name, ID number and mobile is given once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._names: set[str] = set()
        self._ids: set[str] = set()
        self._mobiles: set[str] = set()

    def gender(self, female_share: float = 0.3) -> str:
        return "女" if self.rng.random() < female_share else "男"

    def birth_date(self, age: int) -> date:
        """A birthday that makes the person `age` on AS_OF."""
        year = AS_OF.year - age
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        if (month, day) > (AS_OF.month, AS_OF.day):
            year -= 1
        return date(year, month, day)

    def home_province(self, likely: str = "") -> str:
        """Where a person was born: often the province of their university when one is given."""
        if likely and likely in REGIONS and self.rng.random() < 0.5:
            return likely
        return weighted(self.rng, HOME_PROVINCES)

    def name(self, gender: str, birth_year: int, province: str = "内蒙古自治区") -> str:
        generation = max(year for year in GIVEN_NAMES[gender] if year <= max(birth_year, 1940))
        for _ in range(200):
            if province == "内蒙古自治区" and self.rng.random() < MONGOLIAN_SHARE:
                candidate = self.rng.choice(MONGOLIAN_NAMES[gender])
            else:
                candidate = weighted(self.rng, SURNAMES) + self.rng.choice(GIVEN_NAMES[gender][generation])
            if candidate not in self._names:
                self._names.add(candidate)
                return candidate
        raise RuntimeError("ran out of distinct names")

    def id_number(self, birth: date, gender: str, province: str) -> str:
        """GB 11643: region, birth date, a sequence whose last digit is odd for men, then the check character."""
        for _ in range(200):
            sequence = self.rng.randrange(0, 1000)
            if (sequence % 2 == 1) != (gender == "男"):
                sequence = (sequence + 1) % 1000
            first17 = f"{self.rng.choice(REGIONS[province])}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_number_check_char(first17)
            if number not in self._ids:
                self._ids.add(number)
                return number
        raise RuntimeError("ran out of distinct ID numbers")

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def person(self, age: int, *, gender: str = "", province: str = "") -> tuple[str, str, date]:
        """Name, gender and birth date of someone aged `age`, e.g. an enterprise contact."""
        gender = gender or self.gender()
        birth = self.birth_date(age)
        return self.name(gender, birth.year, province or "内蒙古自治区"), gender, birth
