"""Event types the sales service produces on `sales.events`."""

from __future__ import annotations

from warden.contract.fields import INT, OBJECT, TEXT, FieldKinds

EVENTS: dict[str, FieldKinds] = {
    "warden.sales.price.changed": {
        "price_change_id": TEXT,
        "product_id": TEXT,
        "currency": TEXT,
        "list_price_minor": INT,
        "floor_price_minor": INT,
        "old_price_minor": INT,
        "new_price_minor": INT,
        "discount_bp": INT,
        "changed_by": TEXT,
        "changed_by_role": TEXT,
        "authority_bp": INT,
        "approval": OBJECT,
    },
}
