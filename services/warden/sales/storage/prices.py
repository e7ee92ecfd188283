"""Rows of salespeople, products, price changes and price-change requests."""

from __future__ import annotations

from sqlalchemy import Connection, select

from warden.money import Money
from warden.platform.db import lock_row, upsert
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.prices import PriceChange, Product, Salesperson
from warden.sales.storage import rows
from warden.sales.storage.tables import (
    price_change_requests,
    price_changes,
    products,
    salespeople,
)
from warden.sales.usecases import ports
from warden.sales.usecases.ports import StoredRequest


class Salespeople(ports.Salespeople):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, salesperson_id: str) -> Salesperson | None:
        query = select(salespeople).where(salespeople.c.salesperson_id == salesperson_id)
        row = self.conn.execute(query).first()
        return rows.SALESPERSON.load(row) if row else None

    def put(self, person: Salesperson) -> None:
        upsert(self.conn, salespeople, "salesperson_id", rows.SALESPERSON.values(person))

    def teams_of(self, salesperson_ids: list[str]) -> dict[str, str]:
        found = self.conn.execute(
            select(salespeople.c.salesperson_id, salespeople.c.team).where(
                salespeople.c.salesperson_id.in_(salesperson_ids)
            )
        )
        return {row.salesperson_id: row.team for row in found}

    def team_members(self, team: str) -> list[str]:
        found = self.conn.execute(
            select(salespeople.c.salesperson_id)
            .where(salespeople.c.team == team)
            .order_by(salespeople.c.salesperson_id)
        )
        return [row.salesperson_id for row in found]


class Products(ports.Products):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, product_id: str, lock: bool = False) -> Product | None:
        if lock:
            lock_row(self.conn, products, "product_id", product_id)
        row = self.conn.execute(select(products).where(products.c.product_id == product_id))
        found = row.first()
        return rows.PRODUCT.load(found) if found else None

    def put(self, product: Product) -> None:
        upsert(self.conn, products, "product_id", rows.PRODUCT.values(product))


class PriceChanges(ports.PriceChanges):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, change: PriceChange, event_id: str, request_id: str | None) -> None:
        values = rows.PRICE_CHANGE.values(change, event_id=event_id, request_id=request_id)
        self.conn.execute(price_changes.insert().values(**values))

    def product_and_event(self, change_id: str) -> tuple[str, str]:
        row = self.conn.execute(
            select(price_changes.c.product_id, price_changes.c.event_id).where(
                price_changes.c.price_change_id == change_id
            )
        ).one()
        return row.product_id, row.event_id

    def approved_change_at(self, product_id: str, price: Money) -> str | None:
        row = self.conn.execute(
            select(price_changes.c.price_change_id)
            .where(
                price_changes.c.product_id == product_id,
                price_changes.c.currency == price.currency,
                price_changes.c.new_price_minor == price.amount_minor,
                price_changes.c.approved_by != "",
            )
            .order_by(price_changes.c.changed_at.desc())
        ).first()
        return row.price_change_id if row else None

    def add_request(self, request: PriceChangeRequest, event_id: str) -> None:
        values = rows.PRICE_CHANGE_REQUEST.values(request, event_id=event_id)
        self.conn.execute(price_change_requests.insert().values(**values))

    def decide_request(self, request: PriceChangeRequest, event_id: str) -> None:
        table = price_change_requests
        self.conn.execute(
            table.update()
            .where(table.c.request_id == request.request_id)
            .values(
                status=request.status,
                decided_by=request.decided_by,
                decision_reason=request.decision_reason,
                decided_at=request.decided_at,
                price_change_id=request.price_change_id,
                decision_event_id=event_id,
            )
        )

    def get_request(self, request_id: str, lock: bool = False) -> StoredRequest | None:
        table = price_change_requests
        if lock:
            lock_row(self.conn, table, "request_id", request_id)
        row = self.conn.execute(select(table).where(table.c.request_id == request_id)).first()
        if row is None:
            return None
        request = rows.PRICE_CHANGE_REQUEST.load(row)
        return StoredRequest(request, row.event_id, row.decision_event_id)
