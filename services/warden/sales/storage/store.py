"""Sales persistence: rows mapped to and from the domain's plain classes (tables in tables.py)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from warden.money import Money
from warden.platform.db import lock_row
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.prices import PriceChange, Product, Salesperson
from warden.sales.storage.tables import (
    idempotency,
    metadata,
    outbox,
    price_change_requests,
    price_changes,
    products,
    salespeople,
)

__all__ = ["idempotency", "metadata", "outbox"]


def get_salesperson(conn: Connection, salesperson_id: str) -> Salesperson | None:
    row = conn.execute(
        select(salespeople).where(salespeople.c.salesperson_id == salesperson_id)
    ).first()
    return Salesperson(row.salesperson_id, row.name, row.role, row.team) if row else None


def teams_of(conn: Connection, salesperson_ids: list[str]) -> dict[str, str]:
    rows = conn.execute(
        select(salespeople.c.salesperson_id, salespeople.c.team).where(
            salespeople.c.salesperson_id.in_(salesperson_ids)
        )
    )
    return {row.salesperson_id: row.team for row in rows}


def team_members(conn: Connection, team: str) -> list[str]:
    rows = conn.execute(
        select(salespeople.c.salesperson_id)
        .where(salespeople.c.team == team)
        .order_by(salespeople.c.salesperson_id)
    )
    return [row.salesperson_id for row in rows]


def put_salesperson(conn: Connection, person: Salesperson) -> None:
    values = {"name": person.name, "role": person.role, "team": person.team}
    if get_salesperson(conn, person.salesperson_id):
        conn.execute(
            salespeople.update()
            .where(salespeople.c.salesperson_id == person.salesperson_id)
            .values(**values)
        )
    else:
        conn.execute(salespeople.insert().values(salesperson_id=person.salesperson_id, **values))


def get_product(conn: Connection, product_id: str, lock: bool = False) -> Product | None:
    query = select(products).where(products.c.product_id == product_id)
    if lock:
        lock_row(conn, products, "product_id", product_id)
    row = conn.execute(query).first()
    if row is None:
        return None
    return Product(
        row.product_id,
        row.name,
        Money(row.list_price_minor, row.currency),
        Money(row.floor_price_minor, row.currency),
        Money(row.current_price_minor, row.currency),
    )


def put_product(conn: Connection, product: Product) -> None:
    values = {
        "name": product.name,
        "currency": product.list_price.currency,
        "list_price_minor": product.list_price.amount_minor,
        "floor_price_minor": product.floor_price.amount_minor,
        "current_price_minor": product.current_price.amount_minor,
    }
    exists = conn.execute(
        select(products.c.product_id).where(products.c.product_id == product.product_id)
    ).first()
    if exists:
        conn.execute(
            products.update().where(products.c.product_id == product.product_id).values(**values)
        )
    else:
        conn.execute(products.insert().values(product_id=product.product_id, **values))


def add_price_change(
    conn: Connection, change: PriceChange, event_id: str, request_id: str | None = None
) -> None:
    conn.execute(
        price_changes.insert().values(
            price_change_id=change.price_change_id,
            product_id=change.product_id,
            salesperson_id=change.salesperson_id,
            role=change.role,
            currency=change.list_price.currency,
            list_price_minor=change.list_price.amount_minor,
            floor_price_minor=change.floor_price.amount_minor,
            old_price_minor=change.old_price.amount_minor,
            new_price_minor=change.new_price.amount_minor,
            authority_bp=change.authority_bp,
            approved_by=change.approved_by,
            reason=change.reason,
            changed_at=change.changed_at,
            event_id=event_id,
            request_id=request_id,
        )
    )


def get_price_change_event_id(conn: Connection, change_id: str) -> Any:
    return conn.execute(
        select(price_changes.c.product_id, price_changes.c.event_id).where(
            price_changes.c.price_change_id == change_id
        )
    ).first()


def approved_change_at(conn: Connection, product_id: str, price: Money) -> str | None:
    """The latest approved price change of `product_id` to exactly `price`, if any."""
    row = conn.execute(
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


def add_request(conn: Connection, request: PriceChangeRequest, event_id: str) -> None:
    conn.execute(
        price_change_requests.insert().values(
            request_id=request.request_id,
            product_id=request.product_id,
            requested_by=request.requested_by,
            currency=request.requested_price.currency,
            requested_price_minor=request.requested_price.amount_minor,
            list_price_minor=request.list_price.amount_minor,
            reason=request.reason,
            requested_at=request.requested_at,
            status=request.status,
            decided_by="",
            decision_reason="",
            event_id=event_id,
        )
    )


def put_decision(conn: Connection, request: PriceChangeRequest, event_id: str) -> None:
    conn.execute(
        price_change_requests.update()
        .where(price_change_requests.c.request_id == request.request_id)
        .values(
            status=request.status,
            decided_by=request.decided_by,
            decision_reason=request.decision_reason,
            decided_at=request.decided_at,
            price_change_id=request.price_change_id,
            decision_event_id=event_id,
        )
    )


def get_request(
    conn: Connection, request_id: str, lock: bool = False
) -> tuple[PriceChangeRequest, Any] | None:
    """The request and its row (for the event ids); `lock` holds the row."""
    query = select(price_change_requests).where(price_change_requests.c.request_id == request_id)
    if lock:
        lock_row(conn, price_change_requests, "request_id", request_id)
    row = conn.execute(query).first()
    if row is None:
        return None
    request = PriceChangeRequest(
        request_id=row.request_id,
        product_id=row.product_id,
        requested_by=row.requested_by,
        requested_price=Money(row.requested_price_minor, row.currency),
        list_price=Money(row.list_price_minor, row.currency),
        reason=row.reason,
        requested_at=row.requested_at,
        status=row.status,
        decided_by=row.decided_by,
        decision_reason=row.decision_reason,
        decided_at=row.decided_at,
        price_change_id=row.price_change_id,
    )
    return request, row


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def count(conn: Connection, table: Any, **where: Any) -> int:
    query = select(func.count()).select_from(table)
    for name, value in where.items():
        query = query.where(table.c[name] == value)
    return int(conn.execute(query).scalar_one())
