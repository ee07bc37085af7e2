"""List pages ask the database a fixed number of questions, however many rows they show (issue 18: a list
page that grows by one query per row is the first thing to fall over at a city's scale).

Each page is opened with a few rows and again with three times as many: the number of SQL statements must not
change. A new list page belongs here with a builder for its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import verified_client
from tests.factories import (
    AgreementFactory,
    EnterpriseFactory,
    EntitlementFactory,
    InstitutionFactory,
    NeedFactory,
    PostdocFactory,
    StationFactory,
    TalentFactory,
)


def _talents(world: Any) -> None:
    TalentFactory(zone=world.zone_a, institution=world.institution)


def _enterprises(world: Any) -> None:
    EnterpriseFactory(zone=world.zone_a)


def _needs(world: Any) -> None:
    NeedFactory(enterprise=EnterpriseFactory(zone=world.zone_a))


def _agreements(world: Any) -> None:
    AgreementFactory(talent=TalentFactory(zone=world.zone_a), enterprise=EnterpriseFactory(zone=world.zone_a),
                     institution=world.institution)


def _stations(world: Any) -> None:
    StationFactory(enterprise=EnterpriseFactory(zone=world.zone_a))


def _postdocs(world: Any) -> None:
    PostdocFactory(talent=TalentFactory(zone=world.zone_a), station=StationFactory(
        enterprise=EnterpriseFactory(zone=world.zone_a)))


def _entitlements(world: Any) -> None:
    EntitlementFactory(talent=TalentFactory(zone=world.zone_a), created_by=world.admin)


PAGES: list[tuple[str, Callable[[Any], None]]] = [
    ("/talents/", _talents),
    ("/orgs/enterprises/", _enterprises),
    ("/orgs/institutions/", lambda world: TalentFactory(zone=world.zone_a, institution=InstitutionFactory())),
    ("/needs/", _needs),
    ("/engagements/", _agreements),
    ("/postdoc/", _stations),
    ("/postdoc/postdocs/", _postdocs),
    ("/policies/entitlements/", _entitlements),
]


def _queries(client: Any, url: str) -> tuple[list[str], int]:
    """The statements the page ran and the number of table rows it showed."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries], response.content.decode().count("<tr")


@pytest.mark.parametrize(("url", "add_row"), PAGES, ids=[url for url, _ in PAGES])
def test_a_list_page_asks_the_same_number_of_queries_for_three_rows_as_for_nine(world, url, add_row):
    client = verified_client(world.admin)
    for _ in range(3):
        add_row(world)
    client.get(url)  # warm the per-process caches (content types, the tier rules), as a running site has them
    few, rows_few = _queries(client, url)
    for _ in range(6):
        add_row(world)
    many, rows_many = _queries(client, url)
    assert rows_many > rows_few, "the page does not show the added rows, so it measures nothing"
    assert len(many) == len(few), "\n".join(q for q in many if q not in few)[:3000]
