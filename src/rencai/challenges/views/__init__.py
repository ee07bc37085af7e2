"""Pages of 揭榜挂帅 (thin: reads from selectors, writes through services)."""

from rencai.core.roles import STAFF, Role

READERS = STAFF | frozenset({Role.ENTERPRISE, Role.BUREAU})  # the office list and a 榜单's page
BIDDERS = frozenset({Role.TALENT, Role.ENTERPRISE})
