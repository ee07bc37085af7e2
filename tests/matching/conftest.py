"""Small engines built once per test module: the shipped thesaurus and the national catalogs."""

from __future__ import annotations

import pytest

from rencai.matching.engine.knowledge import FieldKnowledge
from rencai.matching.engine.thesaurus import Thesaurus, load_thesaurus
from rencai.matching.fieldknowledge import catalog_field_knowledge


@pytest.fixture(scope="session")
def thesaurus() -> Thesaurus:
    return load_thesaurus()


@pytest.fixture(scope="session")
def knowledge() -> FieldKnowledge:
    return catalog_field_knowledge()
