"""The sales service wired: its use cases on the database, and every verb the servicer and
the tests call, each named where it is implemented."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import Engine

from warden.sales.domain.prices import DEFAULT_AUTHORITY_BP
from warden.sales.storage.unit_of_work import SqlSalesUnitOfWork
from warden.sales.usecases.context import Context
from warden.sales.usecases.contracts import Contracts
from warden.sales.usecases.pipeline import Pipeline
from warden.sales.usecases.ports import SalesUnitOfWork
from warden.sales.usecases.prices import PriceChangeResult, Prices
from warden.sales.usecases.reports import Reports
from warden.sales.usecases.targets import Targets

__all__ = ["PriceChangeResult", "SalesApp"]


class SalesApp:
    """Prices and requests, targets, pipeline, contracts and payments, reports."""

    def __init__(
        self,
        engine: Engine | None,
        authority_bp: dict[str, int] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        unit_of_work: Callable[[], SalesUnitOfWork] | None = None,
    ) -> None:
        """On `engine`, or on `unit_of_work` (a fake, in the unit tests)."""
        if unit_of_work is None:
            assert engine is not None
            unit_of_work = partial(SqlSalesUnitOfWork, engine)
        self.engine = engine
        self.clock = clock
        context = Context(unit_of_work, clock, dict(authority_bp or DEFAULT_AUTHORITY_BP))
        self.prices = Prices(context)
        self.targets = Targets(context)
        self.pipeline = Pipeline(context)
        self.contracts = Contracts(context, self.pipeline)
        self.reports = Reports(context)

        self.register_salesperson = self.prices.register_salesperson
        self.set_list_price = self.prices.set_list_price
        self.get_product = self.prices.get_product
        self.price_policy = self.prices.price_policy
        self.change_price = self.prices.change_price
        self.request_price_change = self.prices.request_price_change
        self.decide_price_change = self.prices.decide_price_change

        self.set_target = self.targets.set_target
        self.set_quota = self.targets.set_quota
        self.get_target = self.targets.get_target

        self.create_opportunity = self.pipeline.create_opportunity
        self.change_stage = self.pipeline.change_stage
        self.archive_document = self.pipeline.archive_document
        self.get_opportunity = self.pipeline.get_opportunity

        self.sign_contract = self.contracts.sign_contract
        self.amend_contract = self.contracts.amend_contract
        self.record_payment = self.contracts.record_payment
        self.get_contract = self.contracts.get_contract

        self.performance_report = self.reports.performance_report
        self.publish_report = self.reports.publish_report
        self.report_sales = self.reports.report_sales
        self.record_expense = self.reports.record_expense
