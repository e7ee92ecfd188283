"""Finding, case and deadline ids derive from what they are about (a redelivery repeats them):
stable_id is uuid5 in Warden's namespace, written without building a UUID object, and must stay
exactly that, or ids already stored would no longer be found again."""

from __future__ import annotations

import uuid

import pytest

from warden.compliance.domain.findings import NAMESPACE, stable_id


@pytest.mark.parametrize(
    "name", ["", "case|x", "rule@v1|ev-1", "deadline|first-response|T-7", "张三|Zoë" * 40]
)
def test_is_uuid5_in_the_namespace(name: str) -> None:
    assert stable_id(name) == str(uuid.uuid5(NAMESPACE, name))
    assert uuid.UUID(stable_id(name)).version == 5


def test_differs_by_name() -> None:
    assert stable_id("a") != stable_id("b")
