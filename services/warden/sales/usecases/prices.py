"""Use cases of prices (4.1.2): the price list, direct price changes, and price-change requests
that an authorised approver approves or rejects."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection

from warden.errors import NotFound
from warden.money import Money
from warden.sales.domain import approvals
from warden.sales.domain import prices as domain
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.prices import Product, Salesperson
from warden.sales.storage import store
from warden.sales.usecases import events
from warden.sales.usecases.base import UseCases


@dataclass(frozen=True)
class PriceChangeResult:
    price_change_id: str
    product: Product
    event_id: str


@dataclass(frozen=True)
class RequestResult:
    request: PriceChangeRequest
    product: Product
    event_id: str


class PriceUseCases(UseCases):
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
            return self.product(conn, product_id)

    @staticmethod
    def product(
        conn: Connection, product_id: str, field: str = "product", lock: bool = False
    ) -> Product:
        product = store.get_product(conn, product_id, lock)
        if product is None:
            raise NotFound(field if field == "product" else f"{field}: product", product_id)
        return product

    def price_policy(self) -> dict[str, int]:
        """The largest discount (basis points) each role may give on its own."""
        return dict(sorted(self.authority.items(), key=lambda item: item[1]))

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
        domain.refuse_self_approval(salesperson_id, approved_by)
        with self.engine.begin() as conn:
            earlier = self.earlier(conn, idempotency_key, "ChangePrice", request)
            if earlier is not None:
                row = store.get_price_change_event_id(conn, earlier)
                return PriceChangeResult(earlier, self.product(conn, row.product_id), row.event_id)
            product = self.product(conn, product_id, lock=True)
            person = self.salesperson(conn, salesperson_id)
            if approved_by and store.get_salesperson(conn, approved_by) is None:
                raise NotFound("approver", approved_by)
            updated, change, event_id = self._apply(
                conn, product, person, new_price, approved_by, reason, None
            )
            self.remember(conn, idempotency_key, "ChangePrice", request, change.price_change_id)
        return PriceChangeResult(change.price_change_id, updated, event_id)

    def _apply(
        self,
        conn: Connection,
        product: Product,
        person: Salesperson,
        new_price: Money,
        approved_by: str,
        reason: str,
        request_id: str | None,
    ) -> tuple[Product, domain.PriceChange, str]:
        updated, change = domain.change_price(
            self.new_id(),
            product,
            person,
            new_price,
            approved_by,
            reason,
            self.authority,
            self.clock(),
        )
        event = events.price_changed(change, request_id)
        store.put_product(conn, updated)
        store.add_price_change(conn, change, event.id, request_id)
        self.emit(conn, event)
        return updated, change, event.id

    def request_price_change(
        self,
        product_id: str,
        salesperson_id: str,
        requested_price: Money,
        reason: str = "",
        idempotency_key: str = "",
    ) -> RequestResult:
        request = {
            "product_id": product_id,
            "salesperson_id": salesperson_id,
            "reason": reason,
            "requested_price": [requested_price.amount_minor, requested_price.currency],
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "RequestPriceChange", request):
                return self._request_result(conn, earlier, decided=False)
            product = self.product(conn, product_id)
            self.salesperson(conn, salesperson_id)
            asked = approvals.check_request(
                PriceChangeRequest(
                    self.new_id(),
                    product_id,
                    salesperson_id,
                    requested_price,
                    product.list_price,
                    reason,
                    self.clock(),
                )
            )
            event = events.price_change_requested(asked)
            store.add_request(conn, asked, event.id)
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "RequestPriceChange", request, asked.request_id)
        return RequestResult(asked, product, event.id)

    def decide_price_change(
        self,
        request_id: str,
        approver_id: str,
        approve: bool,
        reason: str = "",
        idempotency_key: str = "",
    ) -> RequestResult:
        request = {
            "request_id": request_id,
            "approver_id": approver_id,
            "approve": approve,
            "reason": reason,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "DecidePriceChange", request):
                return self._request_result(conn, earlier, decided=True)
            found = store.get_request(conn, request_id, lock=True)
            if found is None:
                raise NotFound("price change request", request_id)
            asked = found[0]
            approver = self.salesperson(conn, approver_id, "approver_id")
            approvals.check_approver(
                approver_id, approver.role, asked.requested_by, asked.discount_bp, self.authority
            )
            decided = approvals.decide(asked, approve, approver_id, reason, self.clock())
            product = self.product(conn, asked.product_id, lock=approve)
            if approve:
                requester = self.salesperson(conn, asked.requested_by)
                product, change, _ = self._apply(
                    conn,
                    product,
                    requester,
                    asked.requested_price,
                    approver_id,
                    asked.reason,
                    asked.request_id,
                )
                decided = replace(decided, price_change_id=change.price_change_id)
            event = events.price_change_decided(decided, approver.role)
            store.put_decision(conn, decided, event.id)
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "DecidePriceChange", request, request_id)
        return RequestResult(decided, product, event.id)

    def _request_result(self, conn: Connection, request_id: str, decided: bool) -> RequestResult:
        found = store.get_request(conn, request_id)
        assert found is not None
        asked, row = found
        event_id = row.decision_event_id if decided else row.event_id
        return RequestResult(asked, self.product(conn, asked.product_id), event_id)
