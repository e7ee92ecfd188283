"""What every sales use case is given, and the look-ups that refuse a record that is missing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from warden.errors import NotFound
from warden.sales.domain.contracts import Contract
from warden.sales.domain.pipeline import Opportunity
from warden.sales.domain.prices import Product, Salesperson
from warden.sales.usecases.ports import SalesUnitOfWork


@dataclass(frozen=True)
class Context:
    """A new unit of work per use case, the clock, and the price policy's authority table."""

    uow: Callable[[], SalesUnitOfWork]
    clock: Callable[[], datetime]
    authority: dict[str, int]

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())


def salesperson(
    uow: SalesUnitOfWork, salesperson_id: str, field: str = "salesperson"
) -> Salesperson:
    person = uow.salespeople.get(salesperson_id)
    if person is None:
        raise NotFound(field if field == "salesperson" else f"{field}: salesperson", salesperson_id)
    return person


def product(
    uow: SalesUnitOfWork, product_id: str, field: str = "product", lock: bool = False
) -> Product:
    found = uow.products.get(product_id, lock)
    if found is None:
        raise NotFound(field if field == "product" else f"{field}: product", product_id)
    return found


def opportunity(uow: SalesUnitOfWork, opportunity_id: str, lock: bool = False) -> Opportunity:
    found = uow.pipeline.get(opportunity_id, lock)
    if found is None:
        raise NotFound("opportunity", opportunity_id)
    return found


def contract(uow: SalesUnitOfWork, contract_id: str, lock: bool = False) -> Contract:
    found = uow.contracts.get(contract_id, lock)
    if found is None:
        raise NotFound("contract", contract_id)
    return found[0]
