"""The sales events on `sales.events` (documented in docs/events.md)."""

from __future__ import annotations

from warden.platform.cloudevents import CloudEvent
from warden.sales.domain import PriceChange

SOURCE = "/warden/sales"
PRICE_CHANGED = "warden.sales.price.changed"


def price_changed(change: PriceChange) -> CloudEvent:
    return CloudEvent(
        type=PRICE_CHANGED,
        source=SOURCE,
        subject=change.salesperson_id,
        time=change.changed_at,
        data={
            "price_change_id": change.price_change_id,
            "product_id": change.product_id,
            "currency": change.list_price.currency,
            "list_price_minor": change.list_price.amount_minor,
            "floor_price_minor": change.floor_price.amount_minor,
            "old_price_minor": change.old_price.amount_minor,
            "new_price_minor": change.new_price.amount_minor,
            "discount_bp": change.discount_bp,
            "changed_by": change.salesperson_id,
            "changed_by_role": change.role,
            "authority_bp": change.authority_bp,
            "approval": {
                "status": "approved" if change.approved_by else "none",
                "approved_by": change.approved_by or None,
                "requested_by": change.salesperson_id,
            },
            "reason": change.reason,
        },
    )
