"""factory_boy factories for the registers; valid check digits are computed, never hard-coded."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from rencai.core.models import Bureau, City, ImportJob, User, Zone
from rencai.core.roles import Role
from rencai.core.validators import credit_code_check_char, id_number_check_char
from rencai.engagements import models as engagements
from rencai.funds.models import PaymentBatch
from rencai.matching import models as matching
from rencai.needs import models as needs
from rencai.orgs.models import Enterprise, EnterpriseContact, InnovationIndicator, Institution, Platform
from rencai.policies import models as policies
from rencai.postdoc import models as postdoc_models
from rencai.talents.models import Achievement, Education, Employment, Talent

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_id_number(birth: date | None = None, region: str = "150203", seq: int | None = None) -> str:
    birth = birth or date(1988, 5, 12)
    seq = random.randint(0, 999) if seq is None else seq
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_number_check_char(first17)


def make_credit_code(n: int | None = None) -> str:
    rng = random.Random(n)
    first17 = "91150200" + "".join(rng.choice(CREDIT_CHARS) for _ in range(9))
    return first17 + credit_code_check_char(first17)


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["name"]

    name = "包头市"


class ZoneFactory(DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ["code"]

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"测试园区{n}")
    code = factory.Sequence(lambda n: f"zone{n}")


class BureauFactory(DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ["code"]

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"测试局{n}")
    code = factory.Sequence(lambda n: f"bureau{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICE_ADMIN
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试大学{n}")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"包头测试稀土材料有限公司{n}")
    credit_code = factory.Sequence(make_credit_code)
    zone = factory.SubFactory(ZoneFactory)


class TalentFactory(DjangoModelFactory):
    class Meta:
        model = Talent

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试人才{n}")
    degree = "博士"
    title = "副教授"
    discipline_code = "0805"
    discipline = "材料科学与工程"
    research_directions = "稀土永磁材料；晶界扩散"


# --- the registers of every app: builders for the generated scoping test and any test that needs a row ------
# Each factory makes a valid row with the fewest fields; pass the parents (zone, enterprise, talent ...) that
# decide who may see it.



class EnterpriseContactFactory(DjangoModelFactory):
    class Meta:
        model = EnterpriseContact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = "13900001111"


class InnovationIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = InnovationIndicator

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2025
    rd_spending = Decimal("120.00")


class PlatformFactory(DjangoModelFactory):
    class Meta:
        model = Platform

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = Platform.Kind.KEY_LAB
    name = factory.Sequence(lambda n: f"测试重点实验室{n}")


class EducationFactory(DjangoModelFactory):
    class Meta:
        model = Education

    talent = factory.SubFactory(TalentFactory)
    school = factory.Sequence(lambda n: f"测试学校{n}")
    degree = "博士"


class EmploymentFactory(DjangoModelFactory):
    class Meta:
        model = Employment

    talent = factory.SubFactory(TalentFactory)
    employer = factory.Sequence(lambda n: f"测试单位{n}")


class AchievementFactory(DjangoModelFactory):
    class Meta:
        model = Achievement

    talent = factory.SubFactory(TalentFactory)
    kind = Achievement.Kind.PATENT
    title = factory.Sequence(lambda n: f"测试专利{n}")
    year = 2024


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = needs.Need

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"测试需求{n}")
    description = "烧结钕铁硼磁体的晶界扩散工艺优化"
    discipline_code = "0805"
    status = needs.Status.PUBLISHED


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = needs.Campaign

    city = factory.LazyAttribute(lambda o: o.zone.city if o.zone else CityFactory())
    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试问需活动{n}")
    starts_on = date(2025, 3, 1)
    ends_on = date(2025, 6, 30)
    bureaus = ["科技局"]
    created_by = factory.SubFactory(UserFactory)


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = needs.Visit

    campaign = factory.SubFactory(CampaignFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    bureau = "科技局"
    visited_on = date(2025, 3, 10)
    visitors = "张科长"
    recorded_by = factory.SubFactory(UserFactory)


class CatalogEditionFactory(DjangoModelFactory):
    class Meta:
        model = needs.CatalogEdition

    city = factory.LazyAttribute(lambda o: o.zone.city if o.zone else CityFactory())
    zone = None
    year = 2025
    version = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"测试紧缺人才目录{n}")
    published_by = factory.SubFactory(UserFactory)


class CatalogLineFactory(DjangoModelFactory):
    class Meta:
        model = needs.CatalogLine

    edition = factory.SubFactory(CatalogEditionFactory)
    rank = 1
    key = "0805|博士"
    discipline_code = "0805"
    discipline = "材料科学与工程"
    level = "博士"
    demand = 3
    supply = 1
    shortage = 2


class CatalogAdjustmentFactory(DjangoModelFactory):
    class Meta:
        model = needs.CatalogAdjustment

    city = factory.LazyAttribute(lambda o: o.zone.city if o.zone else CityFactory())
    zone = None
    year = 2025
    key = factory.Sequence(lambda n: f"0805|博士|{n}")
    demand = 4
    updated_by = factory.SubFactory(UserFactory)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = engagements.Programme

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试柔性引才项目{n}")
    year = 2025


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = engagements.Agreement

    talent = factory.SubFactory(TalentFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    institution = factory.SubFactory(InstitutionFactory)
    programme = None
    starts_on = date(2025, 3, 1)
    ends_on = factory.LazyAttribute(lambda o: engagements.one_year_from(o.starts_on))


class ServiceProjectFactory(DjangoModelFactory):
    class Meta:
        model = engagements.ServiceProject

    agreement = factory.SubFactory(AgreementFactory)
    lead = True
    title = factory.Sequence(lambda n: f"测试服务项目{n}")


class ServiceVisitFactory(DjangoModelFactory):
    class Meta:
        model = engagements.ServiceVisit

    agreement = factory.SubFactory(AgreementFactory)
    starts_on = date(2025, 3, 5)
    ends_on = date(2025, 3, 6)
    work = "现场指导晶界扩散工艺"
    logged_by = factory.SubFactory(UserFactory, role=Role.TALENT)


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = engagements.Outcome

    agreement = factory.SubFactory(AgreementFactory)
    kind = engagements.OutcomeKind.PATENT
    title = factory.Sequence(lambda n: f"测试服务成果{n}")
    achieved_on = date(2025, 5, 1)
    recorded_by = factory.SubFactory(UserFactory)


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = engagements.Assessment

    agreement = factory.SubFactory(AgreementFactory)
    year = 2025


class LetterFactory(DjangoModelFactory):
    """A sent letter's row; its files are names only (tests that open them generate real ones)."""

    class Meta:
        model = engagements.Letter

    assessment = factory.SubFactory(AssessmentFactory)
    institution = factory.LazyAttribute(lambda o: o.assessment.agreement.institution)
    number = factory.Sequence(lambda n: f"考核〔2025〕{n}号")
    docx = "engagements/letters/2025/test.docx"
    pdf = "engagements/letters/2025/test.pdf"
    sent_by = factory.SubFactory(UserFactory)


class StationFactory(DjangoModelFactory):
    class Meta:
        model = postdoc_models.Station

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"测试博士后科研工作站{n}")
    stage = postdoc_models.Stage.APPROVED
    approved_on = date(2025, 1, 10)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = postdoc_models.Partner

    station = factory.SubFactory(StationFactory)
    institution = factory.SubFactory(InstitutionFactory)
    discipline_code = factory.Sequence(lambda n: f"{801 + n % 90:04d}")
    discipline = "材料科学与工程"


class PostdocFactory(DjangoModelFactory):
    class Meta:
        model = postdoc_models.Postdoc

    talent = factory.SubFactory(TalentFactory)
    station = factory.SubFactory(StationFactory)
    partner = None
    topic = factory.Sequence(lambda n: f"测试课题{n}")
    entered_on = date(2025, 3, 1)
    proposal_due = factory.LazyAttribute(lambda o: o.entered_on + timedelta(days=90))
    midterm_due = factory.LazyAttribute(lambda o: o.entered_on + timedelta(days=365))
    exit_due = factory.LazyAttribute(lambda o: o.entered_on + timedelta(days=730))


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = postdoc_models.Milestone

    postdoc = factory.SubFactory(PostdocFactory)
    kind = postdoc_models.Milestone.Kind.ENTRY
    on = date(2025, 3, 1)


class AssistanceFactory(DjangoModelFactory):
    class Meta:
        model = postdoc_models.Assistance

    station = factory.SubFactory(StationFactory)
    postdoc = None
    kind = postdoc_models.Assistance.Kind.GUIDANCE
    on = date(2025, 4, 1)
    content = factory.Sequence(lambda n: f"开题卡点一对一指导{n}")


class MatchRoundFactory(DjangoModelFactory):
    class Meta:
        model = matching.MatchRound

    name = factory.Sequence(lambda n: f"测试匹配批次{n}")
    zone = factory.SubFactory(ZoneFactory)
    status = matching.RoundStatus.PUBLISHED
    created_by = factory.SubFactory(UserFactory)


class RoundCandidateFactory(DjangoModelFactory):
    class Meta:
        model = matching.RoundCandidate

    round = factory.SubFactory(MatchRoundFactory)
    need = factory.SubFactory(NeedFactory)
    talent = factory.SubFactory(TalentFactory)
    rank = 1
    score = 0.8


class RoundPinFactory(DjangoModelFactory):
    class Meta:
        model = matching.RoundPin

    round = factory.SubFactory(MatchRoundFactory)
    need = factory.SubFactory(NeedFactory)
    talent = factory.SubFactory(TalentFactory)
    kind = matching.RoundPin.Kind.PIN
    by = factory.SubFactory(UserFactory)


class PairingFactory(DjangoModelFactory):
    class Meta:
        model = matching.Pairing

    round = factory.SubFactory(MatchRoundFactory)
    need = factory.SubFactory(NeedFactory)
    talent = factory.SubFactory(TalentFactory)
    score = 0.8
    status = matching.PairingStatus.PUBLISHED


class ConflictFactory(DjangoModelFactory):
    class Meta:
        model = matching.Conflict

    talent = factory.SubFactory(TalentFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    reason = "曾在该企业任职"
    created_by = factory.SubFactory(UserFactory)


def _policy(code: str) -> policies.Policy:
    return policies.Policy.objects.get(code=code)  # the example policies come with the migrations


class EntitlementFactory(DjangoModelFactory):
    """An entitlement under one of the example policies; give `talent` or `enterprise`, and `zone`."""

    class Meta:
        model = policies.Entitlement

    class Params:
        policy_code = "postdoc_living_subsidy"

    policy = factory.LazyAttribute(lambda o: _policy(o.policy_code))
    version = factory.LazyAttribute(lambda o: o.policy.versions.order_by("-number").first())
    talent = None
    enterprise = None
    beneficiary_key = factory.LazyAttribute(
        lambda o: f"talent:{o.talent.pk}" if o.talent else f"enterprise:{o.enterprise.pk}")
    zone = factory.LazyAttribute(lambda o: (o.talent or o.enterprise).zone)
    source = factory.Sequence(lambda n: f"test:{n}")
    amount = Decimal("300000.00")
    created_by = factory.SubFactory(UserFactory)


class InstalmentFactory(DjangoModelFactory):
    class Meta:
        model = policies.Instalment

    entitlement = factory.SubFactory(EntitlementFactory)
    seq = 1
    due_on = date(2025, 3, 1)
    amount = factory.LazyAttribute(lambda o: o.entitlement.amount)


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = policies.Application

    class Params:
        policy_code = "postdoc_living_subsidy"

    policy = factory.LazyAttribute(lambda o: _policy(o.policy_code))
    version = factory.LazyAttribute(lambda o: o.policy.versions.order_by("-number").first())
    talent = None
    enterprise = None
    zone = factory.LazyAttribute(lambda o: (o.talent or o.enterprise).zone)
    applicant = factory.SubFactory(UserFactory, role=Role.TALENT)
    statement = "申请说明"


class ApplicationAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = policies.Attachment

    application = factory.SubFactory(ApplicationFactory)
    title = factory.Sequence(lambda n: f"测试申请材料{n}")
    file = "policies/applications/2025/test.pdf"


class PaymentBatchFactory(DjangoModelFactory):
    class Meta:
        model = PaymentBatch

    title = factory.Sequence(lambda n: f"测试支付批次{n}")
    request_key = factory.Sequence(lambda n: f"test-batch-{n}")
    zone = factory.SubFactory(ZoneFactory)
    by = factory.SubFactory(UserFactory, role=Role.FINANCE)


class ImportJobFactory(DjangoModelFactory):
    class Meta:
        model = ImportJob

    kind = "talents"
    file = "imports/2025/01/test.xlsx"
    filename = factory.Sequence(lambda n: f"人才导入{n}.xlsx")
    zone = factory.SubFactory(ZoneFactory)
    created_by = factory.SubFactory(UserFactory)
    status = ImportJob.Status.PREVIEWED
    preview = factory.LazyFunction(lambda: {"created": 2, "updated": 0, "duplicates": [], "refused": [], "rows": 2,
                                            "unknown_columns": [], "written": False, "changes": []})
