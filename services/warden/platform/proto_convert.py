"""Conversions shared by the servicers: money and timestamps between protobuf and the domain."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from warden.errors import InvalidArgument
from warden.money import Money
from warden.v1 import common_pb2


def money_in(message: common_pb2.Money, field: str, positive: bool = True) -> Money:
    if not message.currency and not message.amount_minor:
        raise InvalidArgument(field, "is required")
    if positive:
        return Money.positive(message.amount_minor, message.currency, field)
    return Money.of(message.amount_minor, message.currency, field)


def money_out(money: Money) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=money.amount_minor, currency=money.currency)


def timestamp_out(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment.astimezone(UTC))
    return stamp


def timestamp_in(stamp: Timestamp) -> datetime:
    moment: datetime = stamp.ToDatetime(tzinfo=UTC)
    return moment
