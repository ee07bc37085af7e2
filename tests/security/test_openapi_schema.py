"""The OpenAPI schema says which fields are masked (and what a masked value looks like) and lists the 400,
401, 403 and 404 answers the API gives, so a client (or schemathesis) can rely on it.

Found by an outside test: masked fields appeared as plain strings and no operation listed 400 or 404.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from rencai.core.masking import mask_bank_account, mask_id_number, mask_phone
from tests.factories import make_id_number


@pytest.fixture
def schema(db) -> dict:
    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def _property(schema: dict, component: str, name: str) -> dict:
    return schema["components"]["schemas"][component]["properties"][name]


def test_masked_fields_are_described_as_masked_with_their_shape(schema):
    examples = {"id_number_masked": mask_id_number(make_id_number(seq=3)), "phone_masked": mask_phone("13812345678")}
    for name, masked in examples.items():
        prop = _property(schema, "Talent", name)
        assert prop["type"] == "string" and prop["readOnly"] is True
        assert "脱敏" in prop["description"]
        assert re.fullmatch(prop["pattern"], masked) and re.fullmatch(prop["pattern"], "")
        assert not re.fullmatch(prop["pattern"], "13812345678")  # a full value does not fit the schema


def test_every_masked_field_in_the_schema_has_a_pattern(schema):
    masked = [(c, n, p) for c, s in schema["components"]["schemas"].items()
              for n, p in s.get("properties", {}).items() if n.endswith("_masked")]
    assert masked
    assert [f"{c}.{n}" for c, n, p in masked if "pattern" not in p] == []
    bank = [p for c, n, p in masked if "bank" in n or "account" in n]
    assert all(re.fullmatch(p["pattern"], mask_bank_account("6222020600001234567")) for p in bank)


def test_operations_list_their_error_answers(schema):
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            wanted = {"400", "401", "403"}  # 400: any operation's query string may carry a refused NUL
            if "{" in path or method == "get":
                wanted.add("404")  # a record out of scope, or a page past the end
            if path == "/api/v1/schema/":
                continue
            if not wanted <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(wanted - codes)}")
    assert missing == []


def test_a_nul_in_an_api_query_is_a_documented_json_400(world):
    from tests.conftest import verified_client

    client = verified_client(world.admin)
    response = client.get("/api/v1/needs/", {"q": "\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "NUL" in response.json()["detail"]
