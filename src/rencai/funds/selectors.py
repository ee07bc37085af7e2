"""Reads for the reconciliation page: budget, committed, paid and left per fund, level and category."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rencai.funds.models import AccountKind, Commitment, Fund, Level

if TYPE_CHECKING:
    from rencai.core.models import User

ZERO = Decimal("0.00")
# Other apps may name their categories (funds imports none of them): code → readable label.
_labellers: list[Callable[[str], str | None]] = []


def register_category_labeller(labeller: Callable[[str], str | None]) -> None:
    _labellers.append(labeller)


def category_label(code: str) -> str:
    for labeller in _labellers:
        label = labeller(code)
        if label:
            return label
    return code or "（未分类）"


@dataclass
class Line:
    label: str
    budget: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def used(self) -> Decimal:
        """Committed and paid together: what this line has taken from the budget."""
        return self.committed + self.paid

    @property
    def left(self) -> Decimal:
        return self.budget - self.committed - self.paid

    @property
    def used_percent(self) -> int:
        return int((self.committed + self.paid) * 100 / self.budget) if self.budget else 0


@dataclass
class Reconciliation:
    funds: list[tuple[Fund, Line]] = field(default_factory=list)
    levels: list[Line] = field(default_factory=list)
    categories: list[Line] = field(default_factory=list)
    total: Line = field(default_factory=lambda: Line("合计"))


def funds_of_year(user: User, year: int) -> QuerySet[Fund]:
    """The funds of `year` the user may see (the reconciliation page and its workbook)."""
    return Fund.objects.visible_to(user).filter(year=year)


def reconciliation(funds: QuerySet[Fund]) -> Reconciliation:
    """Balances come from the accounts (exact decimals); per category from the commitments' states."""
    result = Reconciliation()
    by_level: dict[str, Line] = {lv: Line(str(Level(lv).label)) for lv in Level.values}
    for fund in funds.prefetch_related("accounts").select_related("zone"):
        balances = {a.kind: a.balance for a in fund.accounts.all()}
        line = Line(str(fund), budget=-balances.get(AccountKind.SOURCE, ZERO),
                    committed=balances.get(AccountKind.COMMITTED, ZERO), paid=balances.get(AccountKind.PAID, ZERO))
        result.funds.append((fund, line))
        for target in (by_level[fund.level], result.total):
            target.budget += line.budget
            target.committed += line.committed
            target.paid += line.paid
    result.levels = [line for line in by_level.values() if line.budget or line.committed or line.paid]
    per_category: dict[str, Line] = defaultdict(lambda: Line(""))
    for c in Commitment.objects.filter(fund__in=funds).only("category", "amount", "status"):
        line = per_category[c.category]
        line.label = category_label(c.category)
        if c.status == Commitment.Status.OPEN:
            line.committed += c.amount
        elif c.status == Commitment.Status.PAID:
            line.paid += c.amount
    result.categories = sorted(per_category.values(), key=lambda x: x.label)
    return result
