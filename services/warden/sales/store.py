"""Sales persistence: tables, and rows mapped to and from the domain's plain classes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, Text, select

from warden.money import Money
from warden.platform.db import UtcDateTime
from warden.platform.idempotency import IdempotencyKeys
from warden.platform.outbox import Outbox, outbox_table
from warden.sales.domain import PriceChange, Product, Salesperson

metadata = MetaData()

salespeople = Table(
    "salespeople",
    metadata,
    Column("salesperson_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(64), nullable=False),
    Column("team", String(64), nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("product_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("list_price_minor", Integer, nullable=False),
    Column("floor_price_minor", Integer, nullable=False),
    Column("current_price_minor", Integer, nullable=False),
)

price_changes = Table(
    "price_changes",
    metadata,
    Column("price_change_id", String(64), primary_key=True),
    Column("product_id", String(64), nullable=False, index=True),
    Column("salesperson_id", String(64), nullable=False, index=True),
    Column("role", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("list_price_minor", Integer, nullable=False),
    Column("floor_price_minor", Integer, nullable=False),
    Column("old_price_minor", Integer, nullable=False),
    Column("new_price_minor", Integer, nullable=False),
    Column("authority_bp", Integer, nullable=False),
    Column("approved_by", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("event_id", String(64), nullable=False),
)

idempotency = IdempotencyKeys(metadata)
outbox = Outbox(outbox_table(metadata))


def get_salesperson(conn: Connection, salesperson_id: str) -> Salesperson | None:
    row = conn.execute(
        select(salespeople).where(salespeople.c.salesperson_id == salesperson_id)
    ).first()
    return Salesperson(row.salesperson_id, row.name, row.role, row.team) if row else None


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


def get_product(conn: Connection, product_id: str) -> Product | None:
    row = conn.execute(select(products).where(products.c.product_id == product_id)).first()
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


def add_price_change(conn: Connection, change: PriceChange, event_id: str) -> None:
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
        )
    )


def get_price_change_event_id(conn: Connection, change_id: str) -> Any:
    return conn.execute(
        select(price_changes.c.product_id, price_changes.c.event_id).where(
            price_changes.c.price_change_id == change_id
        )
    ).first()
