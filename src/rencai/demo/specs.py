"""Plain records of what the demo will write: built from a seed without touching the database."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field  # the specs have a `field` attribute of their own
from datetime import date
from decimal import Decimal


@dataclass
class ContactSpec:
    name: str
    position: str
    phone: str
    is_primary: bool


@dataclass
class IndicatorSpec:
    year: int
    rd_spending: Decimal
    has_rd_institution: bool
    invention_patents: int


@dataclass
class PlatformSpec:
    kind: str  # a Platform.Kind value
    name: str
    level: str  # a Platform.Level value
    approved_on: date
    location: str = ""


@dataclass
class EnterpriseSpec:
    name: str
    credit_code: str
    zone: str
    field: str
    industry_code: str
    qualifications: list[str]
    address: str
    established_on: date
    employees: int
    remarks: str
    innovation: str  # steady / recent / lagging: how its 三清零 story goes
    centre: str  # topic its engineering centre or key laboratory would carry
    contacts: list[ContactSpec] = dataclass_field(default_factory=list)
    indicators: list[IndicatorSpec] = dataclass_field(default_factory=list)
    platforms: list[PlatformSpec] = dataclass_field(default_factory=list)


@dataclass
class EducationSpec:
    start: date
    end: date
    school: str
    major: str
    degree: str


@dataclass
class EmploymentSpec:
    start: date
    end: date | None
    employer: str
    position: str


@dataclass
class AchievementSpec:
    kind: str  # an Achievement.Kind value
    title: str
    year: int
    detail: str


@dataclass
class TalentSpec:
    name: str
    gender: str
    birth_date: date
    id_number: str
    phone: str
    education: str
    degree: str
    graduated_from: str
    major: str
    discipline_code: str
    discipline: str
    research_directions: str
    title: str
    employer: str
    institution: str  # name of the sending unit, or ""
    talent_type: str
    flexible_mode: str
    achievements: str
    region: str
    remarks: str
    zone: str
    field: str
    expected_tier: str  # what the default tier rules (or the manual tier) give; "" for unclassified
    manual_tier: str = ""
    employer_code: str = ""  # credit code of the demo enterprise that employs or hosts the talent
    educations: list[EducationSpec] = dataclass_field(default_factory=list)
    employments: list[EmploymentSpec] = dataclass_field(default_factory=list)
    items: list[AchievementSpec] = dataclass_field(default_factory=list)


@dataclass
class StaffSpec:
    username: str
    role: str  # a Role value
    zone: str  # zone code, "" for city level
    display_name: str


@dataclass
class DemoData:
    seed: int
    enterprises: list[EnterpriseSpec]
    talents: list[TalentSpec]
    staff: list[StaffSpec]
    persona_enterprise: str  # credit code of the enterprise the enterprise user belongs to
    persona_talent: str  # ID number of the talent the talent user is
    liaison_name: str
