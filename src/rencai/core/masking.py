"""How personal data is shown to roles that may not see it in full."""


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_id_number(value: str) -> str:
    """150203198805121234 → 150203********1234."""
    return mask_middle(value, 6, 4)


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678."""
    return mask_middle(value, 3, 4)


def mask_bank_account(value: str) -> str:
    return mask_middle(value, 4, 4)
