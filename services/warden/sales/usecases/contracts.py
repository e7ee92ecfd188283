"""Use cases of contracts: sign, amend (with the approval rule of 4.1.2), collect payments."""

from __future__ import annotations

from dataclasses import dataclass

from warden.errors import FailedPrecondition, InvalidArgument, NotFound
from warden.money import Money
from warden.platform.unit_of_work import Call
from warden.sales.domain import approvals, contracts, pipeline
from warden.sales.domain.contracts import Amendment, Contract, ContractLine, Payment
from warden.sales.domain.periods import parse_day
from warden.sales.usecases import events
from warden.sales.usecases.context import Context, contract, opportunity, product, salesperson
from warden.sales.usecases.pipeline import Pipeline
from warden.sales.usecases.ports import SalesUnitOfWork


@dataclass(frozen=True)
class LineInput:
    product_id: str
    quantity: int
    unit_price: Money
    price_change_request_id: str = ""


@dataclass(frozen=True)
class ContractResult:
    contract: Contract
    collected_minor: int
    event_id: str


@dataclass(frozen=True)
class AmendResult:
    contract: Contract
    amendment: Amendment
    event_id: str


@dataclass(frozen=True)
class PaymentResult:
    payment: Payment
    contract: Contract
    collected_minor: int
    event_id: str


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    collected_minor: int
    amendments: list[Amendment]
    payments: list[Payment]


def _lines_request(lines: list[LineInput] | None) -> list[list[object]] | None:
    if lines is None:
        return None
    return [
        [
            li.product_id,
            li.quantity,
            li.unit_price.amount_minor,
            li.unit_price.currency,
            li.price_change_request_id,
        ]
        for li in lines
    ]


def _delivery(delivery_date: str) -> str:
    return parse_day(delivery_date, "delivery_date").isoformat() if delivery_date else ""


class Contracts:
    """Contracts move their opportunity along the pipeline (`pipeline`) as they are signed
    and paid."""

    def __init__(self, context: Context, pipeline: Pipeline) -> None:
        self.context = context
        self.pipeline = pipeline

    def sign_contract(
        self,
        opportunity_id: str,
        lines: list[LineInput],
        signed_by: str,
        payment_terms_days: int = 30,
        delivery_date: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> ContractResult:
        request = {
            "opportunity_id": opportunity_id,
            "lines": _lines_request(lines),
            "signed_by": signed_by,
            "payment_terms_days": payment_terms_days,
            "delivery_date": delivery_date,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[ContractResult, str]:
                opp = opportunity(uow, opportunity_id, lock=True)
                _check_signable(uow, opportunity_id, opp.stage)
                if not lines:
                    raise InvalidArgument("lines", "a contract has at least one line")
                resolved = _lines(uow, lines)
                signed = contracts.check_contract(
                    Contract(
                        self.context.new_id(),
                        opportunity_id,
                        opp.customer_id,
                        opp.salesperson_id,
                        resolved[0].unit_price.currency,
                        tuple(resolved),
                        payment_terms_days,
                        _delivery(delivery_date),
                        self.context.clock(),
                    )
                )
                seller = salesperson(uow, opp.salesperson_id)
                authority = self.context.authority.get(seller.role, 0)
                event = events.recorded(events.contract_signed(signed, authority), recorded_by)
                uow.contracts.add(signed, event.id)
                uow.outbox.add(event)
                self.pipeline.move(uow, opp, "contract_signed", signed_by, recorded_by=recorded_by)
                return ContractResult(signed, 0, event.id), signed.contract_id

            def replay(contract_id: str) -> ContractResult:
                found = uow.contracts.get(contract_id)
                assert found is not None
                collected = uow.contracts.collected_on(contract_id)
                return ContractResult(found[0], collected, found[1])

            return uow.once(Call("SignContract", idempotency_key, request), act, replay)

    def amend_contract(
        self,
        contract_id: str,
        amended_by: str,
        lines: list[LineInput] | None = None,
        payment_terms_days: int | None = None,
        delivery_date: str | None = None,
        approved_by: str = "",
        reason: str = "",
        idempotency_key: str = "",
        recorded_by: str = "",
    ) -> AmendResult:
        request = {
            "contract_id": contract_id,
            "amended_by": amended_by,
            "lines": _lines_request(lines),
            "payment_terms_days": payment_terms_days,
            "delivery_date": delivery_date,
            "approved_by": approved_by,
            "reason": reason,
            **events.recorder(recorded_by),
        }
        with self.context.uow() as uow:

            def act() -> tuple[AmendResult, str]:
                current = contract(uow, contract_id, lock=True)
                salesperson(uow, amended_by, "amended_by")
                draft = Amendment(
                    self.context.new_id(),
                    contract_id,
                    (),
                    {},
                    {},
                    amended_by,
                    approved_by,
                    reason,
                    self.context.clock(),
                )
                amended, amendment = contracts.amend(
                    current,
                    _lines(uow, lines) if lines else None,
                    payment_terms_days,
                    _delivery(delivery_date) if delivery_date is not None else None,
                    draft,
                )
                if approved_by:
                    approver = salesperson(uow, approved_by, "approved_by")
                    approvals.check_approver(
                        approved_by,
                        approver.role,
                        amended_by,
                        amended.largest_discount_bp,
                        self.context.authority,
                        field="approved_by",
                    )
                event = events.recorded(events.contract_amended(amended, amendment), recorded_by)
                uow.contracts.put(amended)
                uow.contracts.add_amendment(amendment, event.id)
                uow.outbox.add(event)
                return AmendResult(amended, amendment, event.id), amendment.amendment_id

            def replay(amendment_id: str) -> AmendResult:
                amendment, event_id = uow.contracts.amendment(amendment_id)
                return AmendResult(contract(uow, amendment.contract_id), amendment, event_id)

            return uow.once(Call("AmendContract", idempotency_key, request), act, replay)

    def record_payment(
        self,
        contract_id: str,
        amount: Money,
        recorded_by: str,
        idempotency_key: str = "",
        recorded_via: str = "",
    ) -> PaymentResult:
        """`recorded_by`: who recorded the payment; `recorded_via`: the sales integration it
        was recorded in, if any (the event's `recorded_by` already names the person)."""
        request = {
            "contract_id": contract_id,
            "amount": [amount.amount_minor, amount.currency],
            "recorded_by": recorded_by,
            **({"recorded_via": recorded_via} if recorded_via else {}),
        }
        with self.context.uow() as uow:

            def act() -> tuple[PaymentResult, str]:
                paid = contract(uow, contract_id, lock=True)
                so_far = uow.contracts.collected_on(contract_id)
                payment = contracts.collect(
                    paid,
                    so_far,
                    Payment(
                        self.context.new_id(),
                        contract_id,
                        paid.customer_id,
                        paid.salesperson_id,
                        amount,
                        recorded_by,
                        self.context.clock(),
                    ),
                )
                collected = so_far + amount.amount_minor
                event = events.recorded(
                    events.payment_collected(payment, paid, collected), recorded_via, "recorded_via"
                )
                uow.contracts.add_payment(payment, event.id)
                uow.outbox.add(event)
                self._move_when_paid(uow, paid, collected, recorded_by, recorded_via)
                return PaymentResult(payment, paid, collected, event.id), payment.payment_id

            def replay(payment_id: str) -> PaymentResult:
                payment, event_id = uow.contracts.payment(payment_id)
                paid = contract(uow, payment.contract_id)
                collected = uow.contracts.collected_on(paid.contract_id)
                return PaymentResult(payment, paid, collected, event_id)

            return uow.once(Call("RecordPayment", idempotency_key, request), act, replay)

    def _move_when_paid(
        self,
        uow: SalesUnitOfWork,
        paid: Contract,
        collected: int,
        recorded_by: str,
        recorded_via: str,
    ) -> None:
        opp = opportunity(uow, paid.opportunity_id)
        if collected == paid.total.amount_minor and opp.stage == "contract_signed":
            self.pipeline.move(
                uow,
                opp,
                "payment_collected",
                changed_by=recorded_by,
                reason="paid in full",
                recorded_by=recorded_via,
            )

    def get_contract(self, contract_id: str) -> ContractView:
        with self.context.uow() as uow:
            found = contract(uow, contract_id)
            return ContractView(
                found,
                uow.contracts.collected_on(contract_id),
                uow.contracts.amendments_of(contract_id),
                uow.contracts.payments_of(contract_id),
            )


def _check_signable(uow: SalesUnitOfWork, opportunity_id: str, stage: str) -> None:
    existing = uow.contracts.of_opportunity(opportunity_id)
    if existing is not None:
        raise FailedPrecondition(
            f"opportunity {opportunity_id!r} already has contract "
            f"{existing.contract_id!r}: amend it instead"
        )
    if stage != "proposal":
        raise FailedPrecondition(
            f"opportunity {opportunity_id!r} is at {stage}; a contract is signed from proposal"
        )
    if not pipeline.has_proposal(uow.pipeline.documents_of(opportunity_id)):
        raise FailedPrecondition(
            f"opportunity {opportunity_id!r} has no proposal document archived"
        )


def _lines(uow: SalesUnitOfWork, lines: list[LineInput]) -> list[ContractLine]:
    return [_line(uow, i, li) for i, li in enumerate(lines)]


def _line(uow: SalesUnitOfWork, i: int, li: LineInput) -> ContractLine:
    listed = product(uow, li.product_id, f"lines[{i}].product_id")
    approved = None
    if li.price_change_request_id:
        approved = _approved_request(uow, i, li)
    elif li.unit_price != listed.list_price:
        approved = uow.price_changes.approved_change_at(li.product_id, li.unit_price)
    line = ContractLine(li.product_id, li.quantity, li.unit_price, listed.list_price, approved)
    return contracts.check_line(i, line)


def _approved_request(uow: SalesUnitOfWork, i: int, li: LineInput) -> str | None:
    field = f"lines[{i}].price_change_request_id"
    found = uow.price_changes.get_request(li.price_change_request_id)
    if found is None:
        raise NotFound(f"{field}: price change request", li.price_change_request_id)
    asked = found.request
    if asked.status != approvals.APPROVED:
        raise InvalidArgument(field, f"request {asked.request_id!r} is {asked.status}")
    if asked.product_id != li.product_id or asked.requested_price != li.unit_price:
        raise InvalidArgument(
            field,
            f"request {asked.request_id!r} approved {asked.requested_price} for "
            f"{asked.product_id!r}, not {li.unit_price} for {li.product_id!r}",
        )
    return asked.price_change_id
