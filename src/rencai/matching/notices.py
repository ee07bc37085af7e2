"""The kinds of notice matching sends (found by rencai.core.inbox at start-up)."""

from rencai.core.inbox import register_kind

PAIRING = "matching.pairing"

register_kind(PAIRING, "配对消息")
