"""The sales application: every use case, each in one transaction with its events in the outbox."""

from __future__ import annotations

from warden.sales.usecases.contracts import ContractUseCases
from warden.sales.usecases.prices import PriceChangeResult
from warden.sales.usecases.reports import ReportUseCases
from warden.sales.usecases.targets import TargetUseCases

__all__ = ["PriceChangeResult", "SalesApp"]


class SalesApp(ContractUseCases, TargetUseCases, ReportUseCases):
    """Prices and requests, targets, pipeline, contracts and payments, reports (see the mixins)."""
