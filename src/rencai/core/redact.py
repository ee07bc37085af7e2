"""Masking personal numbers in text that is logged: query strings, log lines, audit details.

No model imports here: LOGGING loads RedactFilter before the apps are ready.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rencai.core.masking import mask_bank_account, mask_id_number, mask_middle, mask_phone

# A run of 11 to 19 digits (spaces or hyphens allowed between them, an ID number may end in X) not part of a
# longer number: a mobile, an ID number or a bank account. Logs and audit details never keep one in full.
_NUMBERISH = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){10,18}(?:[ -]?[Xx])?(?![0-9A-Za-z])")


def _mask_number(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match[0])
    if len(digits) == 18:
        return mask_id_number(digits)
    if len(digits) == 11 and digits.startswith("1"):
        return mask_phone(digits)
    if len(digits) >= 12:
        return mask_bank_account(digits)
    return mask_middle(digits, 3, 4)


def redact(value: Any) -> Any:
    """The value with every ID number, mobile and bank account in it masked (strings, lists and dicts)."""
    if isinstance(value, str):
        return _NUMBERISH.sub(_mask_number, value)
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


class RedactFilter(logging.Filter):
    """Masks personal numbers in any log line (request lines, access logs) before a handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logged as it is
            return True
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
