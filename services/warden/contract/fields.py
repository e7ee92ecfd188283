"""Field kinds used by the contract modules."""

from __future__ import annotations

FieldKinds = dict[str, tuple[type, ...]]

INT = (int,)
TEXT = (str,)
OPTIONAL_TEXT = (str, type(None))
OPTIONAL_INT = (int, type(None))
BOOL = (bool,)
OBJECT = (dict,)
LIST = (list,)
