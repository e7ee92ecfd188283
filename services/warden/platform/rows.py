"""Rows to and from a service's plain dataclasses, declared once per class.

A `RowMap` names, for each field of a dataclass, the column(s) it is stored in: by default a
column of the field's name; `Money` in an integer minor-units column beside a currency
column; anything else through a pair of functions. Each service's `storage/rows.py` declares
its maps; its repositories only say which rows to read or write."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from warden.money import Money

T = TypeVar("T")
Row = Mapping[str, Any]


class Column:
    """How one field is stored: its values for the row, and the field read back from a row."""

    def dump(self, field: str, value: Any, values: dict[str, Any]) -> None:
        values[field] = value

    def load(self, field: str, row: Row) -> Any:
        return row[field]


SAME = Column()


@dataclass(frozen=True)
class Renamed(Column):
    column: str

    def dump(self, field: str, value: Any, values: dict[str, Any]) -> None:
        values[self.column] = value

    def load(self, field: str, row: Row) -> Any:
        return row[self.column]


@dataclass(frozen=True)
class MoneyColumn(Column):
    """Money as `minor` (integer minor units) and the row's currency column, which the first
    Money field of the class sets."""

    minor: str
    currency: str = "currency"
    optional: bool = False

    def dump(self, field: str, value: Any, values: dict[str, Any]) -> None:
        if value is None:
            values[self.minor] = None
            return
        values[self.minor] = value.amount_minor
        values.setdefault(self.currency, value.currency)

    def load(self, field: str, row: Row) -> Any:
        minor = row[self.minor]
        if minor is None and self.optional:
            return None
        return Money(minor, row[self.currency])


@dataclass(frozen=True)
class Converted(Column):
    """A field stored in `column` as `dump(value)`, read back as `load(stored, row)`."""

    column: str
    to_row: Callable[[Any], Any]
    from_row: Callable[[Any, Row], Any]

    def dump(self, field: str, value: Any, values: dict[str, Any]) -> None:
        values[self.column] = self.to_row(value)

    def load(self, field: str, row: Row) -> Any:
        return self.from_row(row[self.column], row)


class RowMap(Generic[T]):
    """The columns of the dataclass `cls`; `computed` adds columns derived from the object."""

    def __init__(
        self,
        cls: type[T],
        columns: Mapping[str, Column] | None = None,
        computed: Mapping[str, Callable[[T], Any]] | None = None,
    ) -> None:
        self.cls = cls
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        self.columns = {name: (columns or {}).get(name, SAME) for name in names}
        self.computed = dict(computed or {})

    def values(self, obj: T, **extra: Any) -> dict[str, Any]:
        """The row's values for `obj`, with `extra` columns (an event id, say)."""
        values: dict[str, Any] = {}
        for name, column in self.columns.items():
            column.dump(name, getattr(obj, name), values)
        for name, compute in self.computed.items():
            values[name] = compute(obj)
        return {**values, **extra}

    def load(self, row: Any) -> T:
        """The object of a row (a SQLAlchemy Row, or any mapping of column names)."""
        mapping = row._mapping if hasattr(row, "_mapping") else row
        return self.cls(**{name: c.load(name, mapping) for name, c in self.columns.items()})
