"""Use cases of contracts: sign, amend (with the approval rule of 4.1.2), collect payments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from warden.errors import FailedPrecondition, InvalidArgument, NotFound
from warden.money import Money
from warden.sales.domain import approvals, contracts, pipeline
from warden.sales.domain.contracts import Amendment, Contract, ContractLine, Payment
from warden.sales.domain.periods import parse_day
from warden.sales.storage import contracts_store, pipeline_store, store
from warden.sales.usecases import events
from warden.sales.usecases.pipeline import PipelineUseCases
from warden.sales.usecases.prices import PriceUseCases


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


class ContractUseCases(PipelineUseCases, PriceUseCases):
    def sign_contract(
        self,
        opportunity_id: str,
        lines: list[LineInput],
        signed_by: str,
        payment_terms_days: int = 30,
        delivery_date: str = "",
        idempotency_key: str = "",
    ) -> ContractResult:
        request = {
            "opportunity_id": opportunity_id,
            "lines": _lines_request(lines),
            "signed_by": signed_by,
            "payment_terms_days": payment_terms_days,
            "delivery_date": delivery_date,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "SignContract", request):
                return self._contract_result(conn, earlier)
            opp = self.opportunity(conn, opportunity_id, lock=True)
            existing = contracts_store.contract_of(conn, opportunity_id)
            if existing is not None:
                raise FailedPrecondition(
                    f"opportunity {opportunity_id!r} already has contract "
                    f"{existing.contract_id!r}: amend it instead"
                )
            if opp.stage != "proposal":
                raise FailedPrecondition(
                    f"opportunity {opportunity_id!r} is at {opp.stage}; a contract is signed "
                    "from proposal"
                )
            if not pipeline.has_proposal(pipeline_store.documents_of(conn, opportunity_id)):
                raise FailedPrecondition(
                    f"opportunity {opportunity_id!r} has no proposal document archived"
                )
            if not lines:
                raise InvalidArgument("lines", "a contract has at least one line")
            resolved = self._lines(conn, lines)
            contract = contracts.check_contract(
                Contract(
                    self.new_id(),
                    opportunity_id,
                    opp.customer_id,
                    opp.salesperson_id,
                    resolved[0].unit_price.currency,
                    tuple(resolved),
                    payment_terms_days,
                    _delivery(delivery_date),
                    self.clock(),
                )
            )
            seller = self.salesperson(conn, opp.salesperson_id)
            event = events.contract_signed(contract, self.authority.get(seller.role, 0))
            contracts_store.add_contract(conn, contract, event.id)
            self.emit(conn, event)
            self.move(conn, opp, "contract_signed", signed_by)
            self.remember(conn, idempotency_key, "SignContract", request, contract.contract_id)
        return ContractResult(contract, 0, event.id)

    def _lines(self, conn: Connection, lines: list[LineInput]) -> list[ContractLine]:
        return [self._line(conn, i, li) for i, li in enumerate(lines)]

    def _line(self, conn: Connection, i: int, li: LineInput) -> ContractLine:
        product = self.product(conn, li.product_id, f"lines[{i}].product_id")
        approved = None
        if li.price_change_request_id:
            approved = self._approved_request(conn, i, li)
        elif li.unit_price != product.list_price:
            approved = store.approved_change_at(conn, li.product_id, li.unit_price)
        return contracts.check_line(
            i, ContractLine(li.product_id, li.quantity, li.unit_price, product.list_price, approved)
        )

    @staticmethod
    def _approved_request(conn: Connection, i: int, li: LineInput) -> str | None:
        field = f"lines[{i}].price_change_request_id"
        found = store.get_request(conn, li.price_change_request_id)
        if found is None:
            raise NotFound(f"{field}: price change request", li.price_change_request_id)
        asked = found[0]
        if asked.status != approvals.APPROVED:
            raise InvalidArgument(field, f"request {asked.request_id!r} is {asked.status}")
        if asked.product_id != li.product_id or asked.requested_price != li.unit_price:
            raise InvalidArgument(
                field,
                f"request {asked.request_id!r} approved {asked.requested_price} for "
                f"{asked.product_id!r}, not {li.unit_price} for {li.product_id!r}",
            )
        return asked.price_change_id

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
    ) -> AmendResult:
        request = {
            "contract_id": contract_id,
            "amended_by": amended_by,
            "lines": _lines_request(lines),
            "payment_terms_days": payment_terms_days,
            "delivery_date": delivery_date,
            "approved_by": approved_by,
            "reason": reason,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "AmendContract", request):
                amendment, event_id = contracts_store.amendment(conn, earlier)
                return AmendResult(self.contract(conn, amendment.contract_id), amendment, event_id)
            contract = self.contract(conn, contract_id, lock=True)
            self.salesperson(conn, amended_by, "amended_by")
            draft = Amendment(
                self.new_id(),
                contract_id,
                (),
                {},
                {},
                amended_by,
                approved_by,
                reason,
                self.clock(),
            )
            amended, amendment = contracts.amend(
                contract,
                self._lines(conn, lines) if lines else None,
                payment_terms_days,
                _delivery(delivery_date) if delivery_date is not None else None,
                draft,
            )
            if approved_by:
                approver = self.salesperson(conn, approved_by, "approved_by")
                approvals.check_approver(
                    approved_by,
                    approver.role,
                    amended_by,
                    amended.largest_discount_bp,
                    self.authority,
                    field="approved_by",
                )
            event = events.contract_amended(amended, amendment)
            contracts_store.put_contract(conn, amended)
            contracts_store.add_amendment(conn, amendment, event.id)
            self.emit(conn, event)
            self.remember(conn, idempotency_key, "AmendContract", request, amendment.amendment_id)
        return AmendResult(amended, amendment, event.id)

    def record_payment(
        self, contract_id: str, amount: Money, recorded_by: str, idempotency_key: str = ""
    ) -> PaymentResult:
        request = {
            "contract_id": contract_id,
            "amount": [amount.amount_minor, amount.currency],
            "recorded_by": recorded_by,
        }
        with self.engine.begin() as conn:
            if earlier := self.earlier(conn, idempotency_key, "RecordPayment", request):
                payment, event_id = contracts_store.payment(conn, earlier)
                contract = self.contract(conn, payment.contract_id)
                collected = contracts_store.collected_on(conn, contract.contract_id)
                return PaymentResult(payment, contract, collected, event_id)
            contract = self.contract(conn, contract_id, lock=True)
            so_far = contracts_store.collected_on(conn, contract_id)
            payment = contracts.collect(
                contract,
                so_far,
                Payment(
                    self.new_id(),
                    contract_id,
                    contract.customer_id,
                    contract.salesperson_id,
                    amount,
                    recorded_by,
                    self.clock(),
                ),
            )
            collected = so_far + amount.amount_minor
            event = events.payment_collected(payment, contract, collected)
            contracts_store.add_payment(conn, payment, event.id)
            self.emit(conn, event)
            self._move_when_paid(conn, contract, collected, recorded_by)
            self.remember(conn, idempotency_key, "RecordPayment", request, payment.payment_id)
        return PaymentResult(payment, contract, collected, event.id)

    def _move_when_paid(
        self, conn: Connection, contract: Contract, collected: int, recorded_by: str
    ) -> None:
        opp = self.opportunity(conn, contract.opportunity_id)
        if collected == contract.total.amount_minor and opp.stage == "contract_signed":
            self.move(conn, opp, "payment_collected", recorded_by, reason="paid in full")

    def get_contract(self, contract_id: str) -> ContractView:
        with self.engine.connect() as conn:
            contract = self.contract(conn, contract_id)
            return ContractView(
                contract,
                contracts_store.collected_on(conn, contract_id),
                contracts_store.amendments_of(conn, contract_id),
                contracts_store.payments_of(conn, contract_id),
            )

    @staticmethod
    def contract(conn: Connection, contract_id: str, lock: bool = False) -> Contract:
        found = contracts_store.get_contract(conn, contract_id, lock)
        if found is None:
            raise NotFound("contract", contract_id)
        return found[0]

    def _contract_result(self, conn: Connection, contract_id: str) -> ContractResult:
        found = contracts_store.get_contract(conn, contract_id)
        assert found is not None
        collected = contracts_store.collected_on(conn, contract_id)
        return ContractResult(found[0], collected, found[1])
