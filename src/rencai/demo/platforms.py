"""Innovation platforms of the demo enterprises, consistent with the talents they host.

An enterprise with a postdoc has a workstation (or an innovation practice base), one an academician advises has an
academician workstation, a master technician leads a studio; engineering centres, key laboratories and talent
enclaves go to the enterprises that invest steadily in R&D.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from rencai.demo.enterprises import random_day
from rencai.demo.specs import EnterpriseSpec, PlatformSpec

MIN_STATIONS = 10
ENCLAVE_FIELDS = ("rare_earth", "hydrogen", "new_energy", "vaccine")
ENCLAVE_CITIES = ("北京", "上海", "北京", "深圳")


@dataclass
class Hosts:
    """What the talents need of their enterprises: filled while talents are made."""

    postdoc: list[str] = field(default_factory=list)  # credit codes, in order of first postdoc
    academician: list[str] = field(default_factory=list)
    masters: list[tuple[str, str]] = field(default_factory=list)  # (credit code, master technician's name)


def add_platforms(rng: random.Random, enterprises: list[EnterpriseSpec], hosts: Hosts, persona: str) -> None:
    by_code = {e.credit_code: e for e in enterprises}
    steady = [e for e in enterprises if e.innovation == "steady"]
    hosts.postdoc.insert(0, persona)  # the enterprise persona shows a workstation too
    _postdoc(rng, by_code, hosts, steady)
    for code in dict.fromkeys(hosts.academician):
        _add(rng, by_code[code], "academician", f"{by_code[code].name}院士专家工作站", "regional", 2014)
    for n, (code, name) in enumerate(hosts.masters):
        _add(rng, by_code[code], "skill_master", f"{name}技能大师工作室", "regional" if n == 0 else "city", 2016)
    _centres(rng, steady)
    _enclaves(rng, by_code[persona], steady)


def _add(rng: random.Random, enterprise: EnterpriseSpec, kind: str, name: str, level: str, earliest: int,
         location: str = "") -> None:
    start = max(date(earliest, 1, 1), enterprise.established_on + timedelta(days=3 * 365))
    start = min(start, date(2025, 6, 30))
    enterprise.platforms.append(PlatformSpec(kind, name, level, random_day(rng, start, date(2025, 12, 31)), location))


def _has(enterprise: EnterpriseSpec, *kinds: str) -> bool:
    return any(p.kind in kinds for p in enterprise.platforms)


def _postdoc(rng: random.Random, by_code: dict[str, EnterpriseSpec], hosts: Hosts,
             steady: list[EnterpriseSpec]) -> None:
    """Hosts of postdocs first, then steady large enterprises, until the zone has its ~10 workstations."""
    wanted = [by_code[code] for code in dict.fromkeys(hosts.postdoc)]
    spare = sorted((e for e in steady if e not in wanted), key=lambda e: -e.employees)
    stations = 0
    for enterprise in [*wanted, *spare]:
        if stations >= MIN_STATIONS and enterprise not in wanted:
            break
        station = enterprise.innovation == "steady" and enterprise.employees >= 150
        if station:
            _add(rng, enterprise, "postdoc_station", f"{enterprise.name}博士后科研工作站", "national", 2012)
            stations += 1
        else:
            _add(rng, enterprise, "postdoc_base", f"{enterprise.name}博士后创新实践基地", "regional", 2016)


def _centres(rng: random.Random, steady: list[EnterpriseSpec]) -> None:
    """Engineering centres and key laboratories on the enterprise's own line of business, each name once."""
    used: set[str] = set()
    for enterprise in steady:
        if rng.random() < 0.35:
            for level, prefix in (("regional", "内蒙古自治区"), ("city", "包头市")):
                name = f"{prefix}{enterprise.centre}工程技术研究中心"
                if name not in used:
                    used.add(name)
                    _add(rng, enterprise, "engineering", name, level, 2010)
                    break
        name = f"内蒙古自治区{enterprise.centre}重点实验室"
        if enterprise.employees >= 300 and rng.random() < 0.3 and name not in used:
            used.add(name)
            _add(rng, enterprise, "key_lab", name, "regional", 2012)


def _enclaves(rng: random.Random, persona: EnterpriseSpec, steady: list[EnterpriseSpec]) -> None:
    """Research offices in Beijing, Shanghai or Shenzhen where talents work for a Baotou enterprise (人才飞地)."""
    candidates = [e for e in steady if e.field in ENCLAVE_FIELDS and e is not persona and e.employees >= 150]
    chosen = [persona, *rng.sample(candidates, min(len(candidates), len(ENCLAVE_CITIES) - 1))]
    for enterprise, city in zip(chosen, ENCLAVE_CITIES, strict=False):
        _add(rng, enterprise, "enclave", f"{enterprise.name}{city}研发中心（人才飞地）", "zone", 2021, city)
