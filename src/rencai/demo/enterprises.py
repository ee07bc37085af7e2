"""Invented enterprises of the city's industries: names, valid credit codes, contacts and three years of R&D."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from rencai.core.validators import credit_code_check_char
from rencai.demo.data import INDICATOR_YEARS, TRADE_NAMES, ZONES
from rencai.demo.fields import FIELDS, Field
from rencai.demo.people import People, weighted
from rencai.demo.specs import ContactSpec, EnterpriseSpec, IndicatorSpec

ZONES_BY_CODE = {zone.code: zone for zone in ZONES}
# Characters of the 9-character organisation code; GB 32100 leaves out I, O, S, V and Z.
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# How many enterprises have not yet cleared the three zeros (三清零), and how many cleared them lately.
LAGGING, RECENT = 12, 12
SIZES = {"large": (600, 3200), "medium": (150, 600), "small": (25, 150)}
HR_POSITIONS = ("人力资源部部长", "综合办公室主任", "行政人事部经理", "人力资源部经理")
TECH_POSITIONS = ("技术中心主任", "总工程师", "研发部经理", "副总经理（分管技术）")


def org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def credit_code(rng: random.Random, region: str, established: date) -> str:
    """91 (an enterprise registered with market regulation), region, organisation code, GB 32100 check."""
    if established.year >= 2016:  # codes issued since the reform start with MA
        body = "MA0" + "".join(rng.choice(CODE_CHARS) for _ in range(5))
    else:
        body = rng.choice("567") + "".join(rng.choice("0123456789") for _ in range(7))
    first17 = "91" + region + body + org_code_check(body)
    return first17 + credit_code_check_char(first17)


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


class EnterpriseMaker:
    def __init__(self, rng: random.Random, people: People) -> None:
        self.rng = rng
        self.people = people
        self.trades = list(TRADE_NAMES)
        rng.shuffle(self.trades)
        self.used: set[str] = set()
        self.codes: set[str] = set()

    def build(self) -> list[EnterpriseSpec]:
        plan = [(field, index) for field in FIELDS for index in range(field.enterprises)]
        stories = self._stories(len(plan))
        return [self.make(field, story, persona=(index == 0 and field.key == "rare_earth"))
                for (field, index), story in zip(plan, stories, strict=True)]

    def _stories(self, count: int) -> list[str]:
        stories = ["lagging"] * LAGGING + ["recent"] * RECENT + ["steady"] * (count - LAGGING - RECENT)
        self.rng.shuffle(stories)
        stories[0] = "steady"  # the enterprise persona (first of the first field) is a showcase
        return stories

    def make(self, field: Field, story: str, *, persona: bool = False) -> EnterpriseSpec:
        rng = self.rng
        zone = "xitu" if persona else weighted(rng, field.zones)
        size = "large" if persona else self._size(story)
        employees = rng.randint(*SIZES[size])
        business = rng.choice(field.businesses)
        established = random_day(rng, *{"steady": (date(1996, 1, 1), date(2018, 12, 31)),
                                        "recent": (date(2005, 1, 1), date(2021, 12, 31)),
                                        "lagging": (date(2010, 1, 1), date(2022, 12, 31))}[story])
        spec = EnterpriseSpec(
            name=self._name(field, business.word), credit_code=self._code(zone, established), zone=zone,
            field=field.key,
            industry_code=business.industry,
            qualifications=self._qualifications(story, employees, persona), address=self._address(zone),
            established_on=established, employees=employees,
            remarks="主营产品：" + "、".join(rng.sample(business.products, 2)), innovation=story,
            centre=business.centre,
        )
        spec.contacts = self._contacts()
        spec.indicators = self._indicators(story, employees)
        return spec

    def _size(self, story: str) -> str:
        weights = {"steady": (("large", 15), ("medium", 45), ("small", 40)),
                   "recent": (("medium", 30), ("small", 70)), "lagging": (("small", 1),)}[story]
        return weighted(self.rng, weights)

    def _name(self, field: Field, business: str) -> str:
        rng = self.rng
        prefix = weighted(rng, (("包头", 70), ("内蒙古", 25), ("包头市", 5)))
        form = weighted(rng, (("有限公司", 60), ("有限责任公司", 25), ("股份有限公司", 15)))
        flavoured = [t for t in field.trades if t not in self.used]
        trade = rng.choice(flavoured) if flavoured and rng.random() < 0.4 else self._neutral_trade()
        self.used.add(trade)
        return f"{prefix}{trade}{business}{form}"

    def _neutral_trade(self) -> str:
        while (trade := self.trades.pop()) in self.used:
            pass
        return trade

    def _code(self, zone: str, established: date) -> str:
        while True:
            code = credit_code(self.rng, ZONES_BY_CODE[zone].region, established)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _address(self, zone: str) -> str:
        info = ZONES_BY_CODE[zone]
        return f"内蒙古自治区包头市{info.name}{self.rng.choice(info.areas)}{self.rng.randint(1, 168)}号"

    def _qualifications(self, story: str, employees: int, persona: bool) -> list[str]:
        rng = self.rng
        high_tech = persona or (story == "steady" and rng.random() < 0.75) or (story == "recent" and rng.random() < 0.1)
        specialized = persona or (story == "steady" and rng.random() < 0.3)
        little_giant = specialized and employees >= 150 and rng.random() < 0.35
        above_scale = employees >= 100 or (story != "lagging" and rng.random() < 0.4)
        flags = (("high_tech", high_tech), ("specialized", specialized), ("little_giant", little_giant),
                 ("above_scale", above_scale))
        return [name for name, present in flags if present]

    def _contacts(self) -> list[ContactSpec]:
        rng = self.rng
        name = self.people.person(rng.randint(30, 52), gender=self.people.gender(0.55))[0]
        contacts = [ContactSpec(name, rng.choice(HR_POSITIONS), self.people.mobile(), True)]
        if rng.random() < 0.7:
            name = self.people.person(rng.randint(38, 58))[0]
            contacts.append(ContactSpec(name, rng.choice(TECH_POSITIONS), self.people.mobile(), False))
        return contacts

    def _indicators(self, story: str, employees: int) -> list[IndicatorSpec]:
        """Three years of 研发投入/研发机构/发明专利, telling the enterprise's 三清零 story."""
        rng = self.rng
        if story == "steady":
            rd = employees * rng.uniform(1.5, 6.0)
            patents = rng.randint(1, 10) + employees // rng.randint(40, 120)
            rows = []
            for year in reversed(INDICATOR_YEARS):
                rows.append(IndicatorSpec(year, _money(rd), True, patents))
                rd /= rng.uniform(1.05, 1.25)
                patents = max(1, patents - rng.randint(0, 4))
            return rows[::-1]
        if story == "recent":
            rd = employees * rng.uniform(0.2, 0.8)
            first_institution = rng.random() < 0.3
            return [IndicatorSpec(INDICATOR_YEARS[0], _money(rd), first_institution, 0),
                    IndicatorSpec(INDICATOR_YEARS[1], _money(rd * 1.4), True, 0),
                    IndicatorSpec(INDICATOR_YEARS[2], _money(rd * 1.9), True, rng.randint(1, 3))]
        rd = employees * rng.uniform(0.05, 0.3)
        return [IndicatorSpec(INDICATOR_YEARS[0], _money(rd if rng.random() < 0.5 else 0), False, 0),
                IndicatorSpec(INDICATOR_YEARS[1], _money(rd * 1.2), False, 0),
                IndicatorSpec(INDICATOR_YEARS[2], _money(rd * 1.5), False, 1 if rng.random() < 0.3 else 0)]


def _money(value: float) -> Decimal:
    """万元 with two decimals, as the statistics forms take them."""
    return Decimal(f"{value:.2f}")


def build_enterprises(rng: random.Random, people: People) -> list[EnterpriseSpec]:
    return EnterpriseMaker(rng, people).build()
