"""Sales use cases: each runs in one transaction that also writes its events to the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from warden.errors import NotFound
from warden.money import Money
from warden.platform.topics import SALES_EVENTS
from warden.sales import domain, events, store
from warden.sales.domain import Product, Salesperson


@dataclass(frozen=True)
class PriceChangeResult:
    price_change_id: str
    product: Product
    event_id: str


class SalesApp:
    def __init__(
        self,
        engine: Engine,
        authority_bp: dict[str, int] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.authority = dict(authority_bp or domain.DEFAULT_AUTHORITY_BP)
        self.clock = clock

    def register_salesperson(self, person: Salesperson) -> Salesperson:
        domain.validate_role(person.role, self.authority)
        with self.engine.begin() as conn:
            store.put_salesperson(conn, person)
        return person

    def set_list_price(
        self, product_id: str, name: str, list_price: Money, floor_price: Money
    ) -> Product:
        with self.engine.begin() as conn:
            product = domain.set_list_price(
                product_id, name, list_price, floor_price, store.get_product(conn, product_id)
            )
            store.put_product(conn, product)
        return product

    def get_product(self, product_id: str) -> Product:
        with self.engine.connect() as conn:
            product = store.get_product(conn, product_id)
        if product is None:
            raise NotFound("product", product_id)
        return product

    def change_price(
        self,
        product_id: str,
        salesperson_id: str,
        new_price: Money,
        approved_by: str = "",
        reason: str = "",
        idempotency_key: str = "",
    ) -> PriceChangeResult:
        request = {
            "product_id": product_id,
            "salesperson_id": salesperson_id,
            "new_price": [new_price.amount_minor, new_price.currency],
            "approved_by": approved_by,
            "reason": reason,
        }
        with self.engine.begin() as conn:
            earlier = store.idempotency.seen(conn, idempotency_key, "ChangePrice", request)
            if earlier is not None:
                row = store.get_price_change_event_id(conn, earlier)
                product = store.get_product(conn, row.product_id)
                assert product is not None
                return PriceChangeResult(earlier, product, row.event_id)
            product = store.get_product(conn, product_id)
            if product is None:
                raise NotFound("product", product_id)
            person = store.get_salesperson(conn, salesperson_id)
            if person is None:
                raise NotFound("salesperson", salesperson_id)
            if approved_by and store.get_salesperson(conn, approved_by) is None:
                raise NotFound("approver", approved_by)
            updated, change = domain.change_price(
                str(uuid.uuid4()),
                product,
                person,
                new_price,
                approved_by,
                reason,
                self.authority,
                self.clock(),
            )
            event = events.price_changed(change)
            store.put_product(conn, updated)
            store.add_price_change(conn, change, event.id)
            store.outbox.add(conn, SALES_EVENTS, event)
            store.idempotency.remember(
                conn, idempotency_key, "ChangePrice", request, change.price_change_id
            )
        return PriceChangeResult(change.price_change_id, updated, event.id)
