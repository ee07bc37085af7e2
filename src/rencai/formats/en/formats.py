"""English: ISO first (Django's own list already starts with it; kept explicit so it cannot drift)."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2027-04-10
    "%m/%d/%Y",  # 04/10/2027
    "%d %b %Y",  # 10 Apr 2027
    "%b %d %Y",  # Apr 10 2027
    "%b %d, %Y",  # Apr 10, 2027
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
]
