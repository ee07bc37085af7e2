"""Money that follows the milestones: the policy engine's entitlements, created and stopped from here only.

The policies app owns entitlements, instalments and the fund; this module only says when one is due.
Sources name the record that caused them (postdoc.station:<pk>, postdoc.postdoc:<pk>), so granting twice
is harmless (the policy engine is idempotent per policy, beneficiary and source).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.http import HttpRequest

from rencai.core.models import User

STATION_SETUP = "postdoc_station_setup"
LIVING_SUBSIDY = "postdoc_living_subsidy"


def _engine() -> ModuleType | None:
    """The policy engine's services, once that app provides them; until then the hooks record nothing."""
    try:
        from rencai.policies import services
    except ImportError:
        return None
    return services if hasattr(services, "entitlement_grant") else None


def _grant(engine: ModuleType, **kwargs: Any) -> Any:
    """Grant, unless the office has no such policy (removed or never loaded): then the milestone stands alone."""
    from rencai.policies.models import Policy

    if not Policy.objects.filter(code=kwargs["policy_code"]).exists():
        return None
    return engine.entitlement_grant(**kwargs)


def subsidy_on_station_approved(*, station: Any, by: User, request: HttpRequest | None = None) -> Any:
    """A workstation approved: its one-time set-up grant (100,000 yuan) to the enterprise. Bases get none."""
    from rencai.postdoc.models import StationKind

    engine = _engine()
    if engine is None or station.kind != StationKind.STATION:
        return None
    return _grant(engine, policy_code=STATION_SETUP, beneficiary=station.enterprise,
                  source=station.source, by=by, request=request, today=station.approved_on)


def subsidy_on_entry(*, postdoc: Any, by: User, request: HttpRequest | None = None) -> Any:
    """In station: the living subsidy (300,000 yuan over two years, three government levels) to the postdoc."""
    engine = _engine()
    if engine is None:
        return None
    # The schedule runs from the entry date, under the policy version in force on that day.
    return _grant(engine, policy_code=LIVING_SUBSIDY, beneficiary=postdoc.talent,
                  source=postdoc.source, by=by, request=request, today=postdoc.entered_on)


def subsidy_on_leave(*, postdoc: Any, reason: str, by: User, request: HttpRequest | None = None) -> int:
    """Leaving early stops the unpaid instalments, with the reason; returns how many were stopped."""
    engine = _engine()
    if engine is None:
        return 0
    stopped = 0
    for entitlement in engine.entitlements_for_source(postdoc.source):
        if entitlement.status == "stopped":
            continue
        stopped += engine.entitlement_stop(entitlement=entitlement, reason=reason, by=by, request=request) or 0
    return stopped


def entitlements_for(source: str, *, visible_to: User | None = None) -> list[Any]:
    """The entitlements a record caused; with `visible_to`, only those that user may see (pages pass it)."""
    engine = _engine()
    if engine is None:
        return []
    found = engine.entitlements_for_source(source)
    return list(found.visible_to(visible_to) if visible_to is not None else found)
