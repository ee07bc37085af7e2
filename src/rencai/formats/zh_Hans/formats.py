"""Simplified Chinese: ISO first, then the forms people type (2027/04/10, 2027年4月10日)."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2027-04-10, what <input type="date"> sends and expects
    "%Y/%m/%d",  # 2027/04/10
    "%Y年%m月%d日",  # 2027年4月10日 (strptime accepts one-digit months and days)
    "%Y.%m.%d",  # 2027.04.10
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M",
]
