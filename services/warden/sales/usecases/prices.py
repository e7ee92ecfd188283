"""Use cases of prices (4.1.2): the price list, direct price changes, and price-change requests
that an authorised approver approves or rejects."""

from __future__ import annotations

from dataclasses import dataclass, replace

from warden.errors import NotFound
from warden.money import Money
from warden.platform.unit_of_work import Call
from warden.sales.domain import approvals, prices
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.prices import PriceChange, Product, Salesperson
from warden.sales.usecases import events
from warden.sales.usecases.context import Context, product, salesperson
from warden.sales.usecases.ports import SalesUnitOfWork


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


class Prices:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.authority = context.authority

    def register_salesperson(self, person: Salesperson) -> Salesperson:
        prices.validate_role(person.role, self.authority)
        with self.context.uow() as uow:
            uow.salespeople.put(person)
            uow.commit()
        return person

    def set_list_price(
        self, product_id: str, name: str, list_price: Money, floor_price: Money
    ) -> Product:
        with self.context.uow() as uow:
            existing = uow.products.get(product_id)
            updated = prices.set_list_price(product_id, name, list_price, floor_price, existing)
            uow.products.put(updated)
            uow.commit()
        return updated

    def get_product(self, product_id: str) -> Product:
        with self.context.uow() as uow:
            return product(uow, product_id)

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
        recorded_by: str = "",
    ) -> PriceChangeResult:
        """`recorded_by`: the sales integration that recorded the change, if one did."""
        request = {
            "product_id": product_id,
            "salesperson_id": salesperson_id,
            "new_price": [new_price.amount_minor, new_price.currency],
            "approved_by": approved_by,
            "reason": reason,
            **events.recorder(recorded_by),
        }
        prices.refuse_self_approval(salesperson_id, approved_by)
        with self.context.uow() as uow:

            def act() -> tuple[PriceChangeResult, str]:
                found = product(uow, product_id, lock=True)
                person = salesperson(uow, salesperson_id)
                if approved_by and uow.salespeople.get(approved_by) is None:
                    raise NotFound("approver", approved_by)
                updated, change, event_id = self.apply(
                    uow, found, person, new_price, approved_by, reason, None, recorded_by
                )
                result = PriceChangeResult(change.price_change_id, updated, event_id)
                return result, change.price_change_id

            def replay(change_id: str) -> PriceChangeResult:
                changed, event_id = uow.price_changes.product_and_event(change_id)
                return PriceChangeResult(change_id, product(uow, changed), event_id)

            return uow.once(Call("ChangePrice", idempotency_key, request), act, replay)

    def apply(
        self,
        uow: SalesUnitOfWork,
        current: Product,
        person: Salesperson,
        new_price: Money,
        approved_by: str,
        reason: str,
        request_id: str | None,
        recorded_by: str = "",
    ) -> tuple[Product, PriceChange, str]:
        """Change the product's price in `uow`, recording the change and its event."""
        updated, change = prices.change_price(
            self.context.new_id(),
            current,
            person,
            new_price,
            approved_by,
            reason,
            self.authority,
            self.context.clock(),
        )
        event = events.recorded(events.price_changed(change, request_id), recorded_by)
        uow.products.put(updated)
        uow.price_changes.add(change, event.id, request_id)
        uow.outbox.add(event)
        return updated, change, event.id

    def request_price_change(
        self,
        product_id: str,
        salesperson_id: str,
        requested_price: Money,
        reason: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> RequestResult:
        request = {
            "product_id": product_id,
            "salesperson_id": salesperson_id,
            "reason": reason,
            "requested_price": [requested_price.amount_minor, requested_price.currency],
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[RequestResult, str]:
                found = product(uow, product_id)
                salesperson(uow, salesperson_id)
                asked = approvals.check_request(
                    PriceChangeRequest(
                        self.context.new_id(),
                        product_id,
                        salesperson_id,
                        requested_price,
                        found.list_price,
                        reason,
                        self.context.clock(),
                    )
                )
                event = events.recorded(events.price_change_requested(asked), recorded_by)
                uow.price_changes.add_request(asked, event.id)
                uow.outbox.add(event)
                return RequestResult(asked, found, event.id), asked.request_id

            call = Call("RequestPriceChange", idempotency_key, request)
            return uow.once(call, act, lambda earlier: _request_result(uow, earlier, False))

    def decide_price_change(
        self,
        request_id: str,
        approver_id: str,
        approve: bool,
        reason: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> RequestResult:
        request = {
            "request_id": request_id,
            "approver_id": approver_id,
            "approve": approve,
            "reason": reason,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[RequestResult, str]:
                decided = self._decide(uow, request_id, approver_id, approve, reason, recorded_by)
                return decided, request_id

            call = Call("DecidePriceChange", idempotency_key, request)
            return uow.once(call, act, lambda earlier: _request_result(uow, earlier, True))

    def _decide(
        self,
        uow: SalesUnitOfWork,
        request_id: str,
        approver_id: str,
        approve: bool,
        reason: str,
        recorded_by: str,
    ) -> RequestResult:
        stored = uow.price_changes.get_request(request_id, lock=True)
        if stored is None:
            raise NotFound("price change request", request_id)
        asked = stored.request
        approver = salesperson(uow, approver_id, "approver_id")
        approvals.check_approver(
            approver_id, approver.role, asked.requested_by, asked.discount_bp, self.authority
        )
        decided = approvals.decide(asked, approve, approver_id, reason, self.context.clock())
        current = product(uow, asked.product_id, lock=approve)
        if approve:
            requester = salesperson(uow, asked.requested_by)
            current, change, _ = self.apply(
                uow,
                current,
                requester,
                asked.requested_price,
                approver_id,
                asked.reason,
                asked.request_id,
                recorded_by,
            )
            decided = replace(decided, price_change_id=change.price_change_id)
        event = events.recorded(events.price_change_decided(decided, approver.role), recorded_by)
        uow.price_changes.decide_request(decided, event.id)
        uow.outbox.add(event)
        return RequestResult(decided, current, event.id)


def _request_result(uow: SalesUnitOfWork, request_id: str, decided: bool) -> RequestResult:
    stored = uow.price_changes.get_request(request_id)
    assert stored is not None
    event_id = stored.decision_event_id if decided else stored.event_id
    assert event_id is not None
    return RequestResult(stored.request, product(uow, stored.request.product_id), event_id)
