from warden.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Product(_message.Message):
    __slots__ = ("product_id", "name", "list_price", "floor_price", "current_price")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LIST_PRICE_FIELD_NUMBER: _ClassVar[int]
    FLOOR_PRICE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_PRICE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    name: str
    list_price: _common_pb2.Money
    floor_price: _common_pb2.Money
    current_price: _common_pb2.Money
    def __init__(self, product_id: _Optional[str] = ..., name: _Optional[str] = ..., list_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., floor_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., current_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class Salesperson(_message.Message):
    __slots__ = ("salesperson_id", "name", "role", "team")
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    salesperson_id: str
    name: str
    role: str
    team: str
    def __init__(self, salesperson_id: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., team: _Optional[str] = ...) -> None: ...

class RegisterSalespersonRequest(_message.Message):
    __slots__ = ("salesperson",)
    SALESPERSON_FIELD_NUMBER: _ClassVar[int]
    salesperson: Salesperson
    def __init__(self, salesperson: _Optional[_Union[Salesperson, _Mapping]] = ...) -> None: ...

class RegisterSalespersonResponse(_message.Message):
    __slots__ = ("salesperson",)
    SALESPERSON_FIELD_NUMBER: _ClassVar[int]
    salesperson: Salesperson
    def __init__(self, salesperson: _Optional[_Union[Salesperson, _Mapping]] = ...) -> None: ...

class SetListPriceRequest(_message.Message):
    __slots__ = ("product_id", "name", "list_price", "floor_price", "set_by")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LIST_PRICE_FIELD_NUMBER: _ClassVar[int]
    FLOOR_PRICE_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    name: str
    list_price: _common_pb2.Money
    floor_price: _common_pb2.Money
    set_by: str
    def __init__(self, product_id: _Optional[str] = ..., name: _Optional[str] = ..., list_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., floor_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., set_by: _Optional[str] = ...) -> None: ...

class SetListPriceResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class ChangePriceRequest(_message.Message):
    __slots__ = ("product_id", "salesperson_id", "new_price", "reason", "approved_by", "idempotency_key")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_PRICE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    salesperson_id: str
    new_price: _common_pb2.Money
    reason: str
    approved_by: str
    idempotency_key: str
    def __init__(self, product_id: _Optional[str] = ..., salesperson_id: _Optional[str] = ..., new_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., approved_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ChangePriceResponse(_message.Message):
    __slots__ = ("price_change_id", "product", "event_id")
    PRICE_CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    price_change_id: str
    product: Product
    event_id: str
    def __init__(self, price_change_id: _Optional[str] = ..., product: _Optional[_Union[Product, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class GetProductRequest(_message.Message):
    __slots__ = ("product_id",)
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    def __init__(self, product_id: _Optional[str] = ...) -> None: ...

class GetProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...
