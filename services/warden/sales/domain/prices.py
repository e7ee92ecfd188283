"""Sales domain: products under a price policy, salespeople, and price changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from warden.errors import FailedPrecondition, InvalidArgument
from warden.money import Money

# The price policy: the largest discount off list price each role may give on its own,
# in basis points (1000 = 10%).
DEFAULT_AUTHORITY_BP: dict[str, int] = {
    "sales_rep": 1000,
    "senior_sales": 1500,
    "sales_manager": 2500,
    "sales_director": 4000,
}


@dataclass(frozen=True)
class Salesperson:
    salesperson_id: str
    name: str
    role: str
    team: str


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    list_price: Money
    floor_price: Money
    current_price: Money


@dataclass(frozen=True)
class PriceChange:
    """One recorded change of a product's price, with everything needed to judge it alone."""

    price_change_id: str
    product_id: str
    salesperson_id: str
    role: str
    list_price: Money
    floor_price: Money
    old_price: Money
    new_price: Money
    authority_bp: int
    approved_by: str
    reason: str
    changed_at: datetime

    @property
    def discount_bp(self) -> int:
        """Discount off list price in basis points (negative for a mark-up)."""
        off = self.list_price.amount_minor - self.new_price.amount_minor
        return off * 10_000 // self.list_price.amount_minor


def validate_role(role: str, authority: dict[str, int]) -> str:
    if role not in authority:
        known = ", ".join(sorted(authority))
        raise InvalidArgument(
            "salesperson.role", f"{role!r} is not a role of the price policy ({known})"
        )
    return role


def same_person(one: str, other: str) -> bool:
    """Two ids name the same person when equal case-folded and trimmed ("Alice " is alice)."""
    return one.strip().casefold() == other.strip().casefold()


def refuse_self_approval(salesperson_id: str, approved_by: str) -> None:
    """A price change is not approved by the person who makes it (4.1.2)."""
    if approved_by.strip() and same_person(salesperson_id, approved_by):
        raise InvalidArgument(
            "approved_by",
            f"{approved_by!r} is the salesperson changing the price ({salesperson_id!r}); "
            "the approval must come from someone else",
        )


def set_list_price(
    product_id: str, name: str, list_price: Money, floor_price: Money, existing: Product | None
) -> Product:
    if floor_price.currency != list_price.currency:
        raise InvalidArgument("floor_price.currency", "must be the list price's currency")
    if floor_price.amount_minor > list_price.amount_minor:
        raise InvalidArgument("floor_price.amount_minor", "must not exceed the list price")
    current = existing.current_price if existing else list_price
    if current.currency != list_price.currency:
        current = list_price
    return Product(product_id, name, list_price, floor_price, current)


def change_price(
    change_id: str,
    product: Product,
    salesperson: Salesperson,
    new_price: Money,
    approved_by: str,
    reason: str,
    authority: dict[str, int],
    at: datetime,
) -> tuple[Product, PriceChange]:
    """Record a price change. It is never refused for being outside policy: that is for the
    compliance service to judge, and refusing here would hide the attempt."""
    refuse_self_approval(salesperson.salesperson_id, approved_by)
    if new_price.currency != product.list_price.currency:
        raise InvalidArgument(
            "new_price.currency", f"must be the list price's currency {product.list_price.currency}"
        )
    if new_price == product.current_price:
        raise FailedPrecondition(f"product {product.product_id!r} is already at {new_price}")
    change = PriceChange(
        price_change_id=change_id,
        product_id=product.product_id,
        salesperson_id=salesperson.salesperson_id,
        role=salesperson.role,
        list_price=product.list_price,
        floor_price=product.floor_price,
        old_price=product.current_price,
        new_price=new_price,
        authority_bp=authority.get(salesperson.role, 0),
        approved_by=approved_by,
        reason=reason,
        changed_at=at,
    )
    updated = Product(
        product.product_id, product.name, product.list_price, product.floor_price, new_price
    )
    return updated, change
