"""Per-language format overrides (settings.FORMAT_MODULE_PATH): what a form accepts, ISO first.

A widget without its own format renders with the first DATE_INPUT_FORMATS entry, and
`<input type="date">` only understands ISO (2027-04-10); Django's zh-hans list starts with 2027/04/10,
which left date inputs blank and erased dates on save. Only the *_INPUT_FORMATS are overridden; how
dates are displayed (DATE_FORMAT, 2027年4月10日) still comes from Django's own locale files.
"""
