"""Yuan as office staff read them: `{{ amount|yuan }}` → 1,500,000.00 (grouped, two decimals).

Only for display: a form's input keeps the plain number it parses back.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value: object) -> str:
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount:,.2f}"
