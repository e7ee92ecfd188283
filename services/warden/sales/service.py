"""The sales application: every use case, each in one transaction with its events in the outbox."""

from __future__ import annotations

from warden.sales.contracts_service import ContractUseCases
from warden.sales.prices_service import PriceChangeResult
from warden.sales.reports_service import ReportUseCases
from warden.sales.targets_service import TargetUseCases

__all__ = ["PriceChangeResult", "SalesApp"]


class SalesApp(ContractUseCases, TargetUseCases, ReportUseCases):
    """Prices and requests, targets, pipeline, contracts and payments, reports (see the mixins)."""
