"""The `rencai` command line: Django's management commands plus rencai's own (import, match, …).

`rencai match` works on two spreadsheets without any database, so it is dispatched before Django starts.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "match":
        from rencai.matching.cli import main as match_main

        return match_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rencai", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
