import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from warden.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
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

class GetPricePolicyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RoleAuthority(_message.Message):
    __slots__ = ("role", "authority_bp")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_BP_FIELD_NUMBER: _ClassVar[int]
    role: str
    authority_bp: int
    def __init__(self, role: _Optional[str] = ..., authority_bp: _Optional[int] = ...) -> None: ...

class GetPricePolicyResponse(_message.Message):
    __slots__ = ("roles",)
    ROLES_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedCompositeFieldContainer[RoleAuthority]
    def __init__(self, roles: _Optional[_Iterable[_Union[RoleAuthority, _Mapping]]] = ...) -> None: ...

class PriceChangeRequest(_message.Message):
    __slots__ = ("request_id", "product_id", "requested_by", "requested_price", "list_price", "discount_bp", "reason", "status", "decided_by", "decision_reason", "price_change_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_PRICE_FIELD_NUMBER: _ClassVar[int]
    LIST_PRICE_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_BP_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    PRICE_CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    product_id: str
    requested_by: str
    requested_price: _common_pb2.Money
    list_price: _common_pb2.Money
    discount_bp: int
    reason: str
    status: str
    decided_by: str
    decision_reason: str
    price_change_id: str
    def __init__(self, request_id: _Optional[str] = ..., product_id: _Optional[str] = ..., requested_by: _Optional[str] = ..., requested_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., list_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., discount_bp: _Optional[int] = ..., reason: _Optional[str] = ..., status: _Optional[str] = ..., decided_by: _Optional[str] = ..., decision_reason: _Optional[str] = ..., price_change_id: _Optional[str] = ...) -> None: ...

class RequestPriceChangeRequest(_message.Message):
    __slots__ = ("product_id", "salesperson_id", "requested_price", "reason", "idempotency_key")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_PRICE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    salesperson_id: str
    requested_price: _common_pb2.Money
    reason: str
    idempotency_key: str
    def __init__(self, product_id: _Optional[str] = ..., salesperson_id: _Optional[str] = ..., requested_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RequestPriceChangeResponse(_message.Message):
    __slots__ = ("request", "event_id")
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    request: PriceChangeRequest
    event_id: str
    def __init__(self, request: _Optional[_Union[PriceChangeRequest, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class DecidePriceChangeRequest(_message.Message):
    __slots__ = ("request_id", "approver_id", "approve", "reason", "idempotency_key")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVER_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    approver_id: str
    approve: bool
    reason: str
    idempotency_key: str
    def __init__(self, request_id: _Optional[str] = ..., approver_id: _Optional[str] = ..., approve: _Optional[bool] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class DecidePriceChangeResponse(_message.Message):
    __slots__ = ("request", "product", "event_id")
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    request: PriceChangeRequest
    product: Product
    event_id: str
    def __init__(self, request: _Optional[_Union[PriceChangeRequest, _Mapping]] = ..., product: _Optional[_Union[Product, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class Quota(_message.Message):
    __slots__ = ("salesperson_id", "amount")
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    salesperson_id: str
    amount: _common_pb2.Money
    def __init__(self, salesperson_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class Target(_message.Message):
    __slots__ = ("revision_id", "year", "team", "team_target", "quotas", "difference_minor", "difference_accepted", "set_by", "reason", "after_year_start", "set_at")
    REVISION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    TEAM_TARGET_FIELD_NUMBER: _ClassVar[int]
    QUOTAS_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCE_MINOR_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCE_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AFTER_YEAR_START_FIELD_NUMBER: _ClassVar[int]
    SET_AT_FIELD_NUMBER: _ClassVar[int]
    revision_id: str
    year: int
    team: str
    team_target: _common_pb2.Money
    quotas: _containers.RepeatedCompositeFieldContainer[Quota]
    difference_minor: int
    difference_accepted: bool
    set_by: str
    reason: str
    after_year_start: bool
    set_at: _timestamp_pb2.Timestamp
    def __init__(self, revision_id: _Optional[str] = ..., year: _Optional[int] = ..., team: _Optional[str] = ..., team_target: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., quotas: _Optional[_Iterable[_Union[Quota, _Mapping]]] = ..., difference_minor: _Optional[int] = ..., difference_accepted: _Optional[bool] = ..., set_by: _Optional[str] = ..., reason: _Optional[str] = ..., after_year_start: _Optional[bool] = ..., set_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetTargetRequest(_message.Message):
    __slots__ = ("year", "team", "team_target", "quotas", "difference_accepted", "set_by", "reason", "idempotency_key")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    TEAM_TARGET_FIELD_NUMBER: _ClassVar[int]
    QUOTAS_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCE_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    year: int
    team: str
    team_target: _common_pb2.Money
    quotas: _containers.RepeatedCompositeFieldContainer[Quota]
    difference_accepted: bool
    set_by: str
    reason: str
    idempotency_key: str
    def __init__(self, year: _Optional[int] = ..., team: _Optional[str] = ..., team_target: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., quotas: _Optional[_Iterable[_Union[Quota, _Mapping]]] = ..., difference_accepted: _Optional[bool] = ..., set_by: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class SetTargetResponse(_message.Message):
    __slots__ = ("target", "event_id")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    target: Target
    event_id: str
    def __init__(self, target: _Optional[_Union[Target, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class SetQuotaRequest(_message.Message):
    __slots__ = ("year", "team", "quota", "difference_accepted", "set_by", "reason", "idempotency_key")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    QUOTA_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCE_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    year: int
    team: str
    quota: Quota
    difference_accepted: bool
    set_by: str
    reason: str
    idempotency_key: str
    def __init__(self, year: _Optional[int] = ..., team: _Optional[str] = ..., quota: _Optional[_Union[Quota, _Mapping]] = ..., difference_accepted: _Optional[bool] = ..., set_by: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class SetQuotaResponse(_message.Message):
    __slots__ = ("target", "event_id")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    target: Target
    event_id: str
    def __init__(self, target: _Optional[_Union[Target, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class GetTargetRequest(_message.Message):
    __slots__ = ("year", "team")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    year: int
    team: str
    def __init__(self, year: _Optional[int] = ..., team: _Optional[str] = ...) -> None: ...

class GetTargetResponse(_message.Message):
    __slots__ = ("target", "revisions")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    REVISIONS_FIELD_NUMBER: _ClassVar[int]
    target: Target
    revisions: _containers.RepeatedCompositeFieldContainer[Target]
    def __init__(self, target: _Optional[_Union[Target, _Mapping]] = ..., revisions: _Optional[_Iterable[_Union[Target, _Mapping]]] = ...) -> None: ...

class Opportunity(_message.Message):
    __slots__ = ("opportunity_id", "customer_id", "salesperson_id", "title", "estimated_value", "stage", "created_at")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_VALUE_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    customer_id: str
    salesperson_id: str
    title: str
    estimated_value: _common_pb2.Money
    stage: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., salesperson_id: _Optional[str] = ..., title: _Optional[str] = ..., estimated_value: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., stage: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StageChange(_message.Message):
    __slots__ = ("change_id", "seq", "from_stage", "to_stage", "skipped", "backwards", "changed_by", "reason", "changed_at")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    BACKWARDS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    seq: int
    from_stage: str
    to_stage: str
    skipped: bool
    backwards: bool
    changed_by: str
    reason: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, change_id: _Optional[str] = ..., seq: _Optional[int] = ..., from_stage: _Optional[str] = ..., to_stage: _Optional[str] = ..., skipped: _Optional[bool] = ..., backwards: _Optional[bool] = ..., changed_by: _Optional[str] = ..., reason: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("document_id", "stage", "name", "doc_type", "sha256", "location", "archived_by", "archived_at")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_BY_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_AT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    stage: str
    name: str
    doc_type: str
    sha256: str
    location: str
    archived_by: str
    archived_at: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., stage: _Optional[str] = ..., name: _Optional[str] = ..., doc_type: _Optional[str] = ..., sha256: _Optional[str] = ..., location: _Optional[str] = ..., archived_by: _Optional[str] = ..., archived_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateOpportunityRequest(_message.Message):
    __slots__ = ("customer_id", "salesperson_id", "title", "estimated_value", "created_by", "idempotency_key")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_VALUE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    salesperson_id: str
    title: str
    estimated_value: _common_pb2.Money
    created_by: str
    idempotency_key: str
    def __init__(self, customer_id: _Optional[str] = ..., salesperson_id: _Optional[str] = ..., title: _Optional[str] = ..., estimated_value: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., created_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class CreateOpportunityResponse(_message.Message):
    __slots__ = ("opportunity", "event_id")
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity: Opportunity
    event_id: str
    def __init__(self, opportunity: _Optional[_Union[Opportunity, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class ChangeStageRequest(_message.Message):
    __slots__ = ("opportunity_id", "to_stage", "changed_by", "out_of_order", "reason", "idempotency_key")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    OUT_OF_ORDER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    to_stage: str
    changed_by: str
    out_of_order: bool
    reason: str
    idempotency_key: str
    def __init__(self, opportunity_id: _Optional[str] = ..., to_stage: _Optional[str] = ..., changed_by: _Optional[str] = ..., out_of_order: _Optional[bool] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ChangeStageResponse(_message.Message):
    __slots__ = ("opportunity", "change", "event_id")
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity: Opportunity
    change: StageChange
    event_id: str
    def __init__(self, opportunity: _Optional[_Union[Opportunity, _Mapping]] = ..., change: _Optional[_Union[StageChange, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class ArchiveDocumentRequest(_message.Message):
    __slots__ = ("opportunity_id", "stage", "name", "doc_type", "sha256", "location", "archived_by", "idempotency_key")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    stage: str
    name: str
    doc_type: str
    sha256: str
    location: str
    archived_by: str
    idempotency_key: str
    def __init__(self, opportunity_id: _Optional[str] = ..., stage: _Optional[str] = ..., name: _Optional[str] = ..., doc_type: _Optional[str] = ..., sha256: _Optional[str] = ..., location: _Optional[str] = ..., archived_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ArchiveDocumentResponse(_message.Message):
    __slots__ = ("document", "event_id")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    document: Document
    event_id: str
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class GetOpportunityRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class GetOpportunityResponse(_message.Message):
    __slots__ = ("opportunity", "history", "documents", "contract_id")
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity: Opportunity
    history: _containers.RepeatedCompositeFieldContainer[StageChange]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    contract_id: str
    def __init__(self, opportunity: _Optional[_Union[Opportunity, _Mapping]] = ..., history: _Optional[_Iterable[_Union[StageChange, _Mapping]]] = ..., documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ..., contract_id: _Optional[str] = ...) -> None: ...

class ContractLine(_message.Message):
    __slots__ = ("product_id", "quantity", "unit_price", "list_price", "price_change_request_id", "approved_price_change_id", "discount_bp")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    LIST_PRICE_FIELD_NUMBER: _ClassVar[int]
    PRICE_CHANGE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_PRICE_CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_BP_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    quantity: int
    unit_price: _common_pb2.Money
    list_price: _common_pb2.Money
    price_change_request_id: str
    approved_price_change_id: str
    discount_bp: int
    def __init__(self, product_id: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., list_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., price_change_request_id: _Optional[str] = ..., approved_price_change_id: _Optional[str] = ..., discount_bp: _Optional[int] = ...) -> None: ...

class Contract(_message.Message):
    __slots__ = ("contract_id", "opportunity_id", "customer_id", "salesperson_id", "lines", "total", "payment_terms_days", "delivery_date", "signed_at", "version", "off_list_unapproved_lines", "collected")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_TERMS_DAYS_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_DATE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    OFF_LIST_UNAPPROVED_LINES_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    opportunity_id: str
    customer_id: str
    salesperson_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ContractLine]
    total: _common_pb2.Money
    payment_terms_days: int
    delivery_date: str
    signed_at: _timestamp_pb2.Timestamp
    version: int
    off_list_unapproved_lines: int
    collected: _common_pb2.Money
    def __init__(self, contract_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., salesperson_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ContractLine, _Mapping]]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., payment_terms_days: _Optional[int] = ..., delivery_date: _Optional[str] = ..., signed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., off_list_unapproved_lines: _Optional[int] = ..., collected: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class Amendment(_message.Message):
    __slots__ = ("amendment_id", "changed_fields", "old_json", "new_json", "amended_by", "approved_by", "reason", "amended_at")
    AMENDMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    OLD_JSON_FIELD_NUMBER: _ClassVar[int]
    NEW_JSON_FIELD_NUMBER: _ClassVar[int]
    AMENDED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AMENDED_AT_FIELD_NUMBER: _ClassVar[int]
    amendment_id: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    old_json: str
    new_json: str
    amended_by: str
    approved_by: str
    reason: str
    amended_at: _timestamp_pb2.Timestamp
    def __init__(self, amendment_id: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ..., old_json: _Optional[str] = ..., new_json: _Optional[str] = ..., amended_by: _Optional[str] = ..., approved_by: _Optional[str] = ..., reason: _Optional[str] = ..., amended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("payment_id", "contract_id", "amount", "recorded_by", "collected_at")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_AT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    contract_id: str
    amount: _common_pb2.Money
    recorded_by: str
    collected_at: _timestamp_pb2.Timestamp
    def __init__(self, payment_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., recorded_by: _Optional[str] = ..., collected_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SignContractRequest(_message.Message):
    __slots__ = ("opportunity_id", "lines", "payment_terms_days", "delivery_date", "signed_by", "idempotency_key")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_TERMS_DAYS_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_DATE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ContractLine]
    payment_terms_days: int
    delivery_date: str
    signed_by: str
    idempotency_key: str
    def __init__(self, opportunity_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ContractLine, _Mapping]]] = ..., payment_terms_days: _Optional[int] = ..., delivery_date: _Optional[str] = ..., signed_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class SignContractResponse(_message.Message):
    __slots__ = ("contract", "event_id")
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    event_id: str
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class AmendContractRequest(_message.Message):
    __slots__ = ("contract_id", "lines", "payment_terms_days", "delivery_date", "amended_by", "approved_by", "reason", "idempotency_key")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_TERMS_DAYS_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_DATE_FIELD_NUMBER: _ClassVar[int]
    AMENDED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ContractLine]
    payment_terms_days: int
    delivery_date: str
    amended_by: str
    approved_by: str
    reason: str
    idempotency_key: str
    def __init__(self, contract_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ContractLine, _Mapping]]] = ..., payment_terms_days: _Optional[int] = ..., delivery_date: _Optional[str] = ..., amended_by: _Optional[str] = ..., approved_by: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class AmendContractResponse(_message.Message):
    __slots__ = ("contract", "amendment", "event_id")
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    AMENDMENT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    amendment: Amendment
    event_id: str
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ..., amendment: _Optional[_Union[Amendment, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class GetContractRequest(_message.Message):
    __slots__ = ("contract_id",)
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    def __init__(self, contract_id: _Optional[str] = ...) -> None: ...

class GetContractResponse(_message.Message):
    __slots__ = ("contract", "amendments", "payments")
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    AMENDMENTS_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    amendments: _containers.RepeatedCompositeFieldContainer[Amendment]
    payments: _containers.RepeatedCompositeFieldContainer[Payment]
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ..., amendments: _Optional[_Iterable[_Union[Amendment, _Mapping]]] = ..., payments: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ...) -> None: ...

class RecordPaymentRequest(_message.Message):
    __slots__ = ("contract_id", "amount", "recorded_by", "idempotency_key")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    amount: _common_pb2.Money
    recorded_by: str
    idempotency_key: str
    def __init__(self, contract_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., recorded_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RecordPaymentResponse(_message.Message):
    __slots__ = ("payment", "contract", "event_id")
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    contract: Contract
    event_id: str
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ..., contract: _Optional[_Union[Contract, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class ReportSalesRequest(_message.Message):
    __slots__ = ("salesperson_id", "period", "reported", "idempotency_key")
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REPORTED_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    salesperson_id: str
    period: str
    reported: _common_pb2.Money
    idempotency_key: str
    def __init__(self, salesperson_id: _Optional[str] = ..., period: _Optional[str] = ..., reported: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReportSalesResponse(_message.Message):
    __slots__ = ("report_id", "reported", "proven_signed_minor", "proven_collected_minor", "overstatement_signed_bp", "overstatement_collected_bp", "event_id")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    REPORTED_FIELD_NUMBER: _ClassVar[int]
    PROVEN_SIGNED_MINOR_FIELD_NUMBER: _ClassVar[int]
    PROVEN_COLLECTED_MINOR_FIELD_NUMBER: _ClassVar[int]
    OVERSTATEMENT_SIGNED_BP_FIELD_NUMBER: _ClassVar[int]
    OVERSTATEMENT_COLLECTED_BP_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    reported: _common_pb2.Money
    proven_signed_minor: int
    proven_collected_minor: int
    overstatement_signed_bp: int
    overstatement_collected_bp: int
    event_id: str
    def __init__(self, report_id: _Optional[str] = ..., reported: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., proven_signed_minor: _Optional[int] = ..., proven_collected_minor: _Optional[int] = ..., overstatement_signed_bp: _Optional[int] = ..., overstatement_collected_bp: _Optional[int] = ..., event_id: _Optional[str] = ...) -> None: ...

class RecordExpenseRequest(_message.Message):
    __slots__ = ("salesperson_id", "customer_id", "kind", "amount", "incurred_on", "description", "idempotency_key")
    SALESPERSON_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    INCURRED_ON_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    salesperson_id: str
    customer_id: str
    kind: str
    amount: _common_pb2.Money
    incurred_on: str
    description: str
    idempotency_key: str
    def __init__(self, salesperson_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., kind: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., incurred_on: _Optional[str] = ..., description: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RecordExpenseResponse(_message.Message):
    __slots__ = ("expense_id", "event_id")
    EXPENSE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    expense_id: str
    event_id: str
    def __init__(self, expense_id: _Optional[str] = ..., event_id: _Optional[str] = ...) -> None: ...

class StageLine(_message.Message):
    __slots__ = ("stage", "count", "value_minor")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    VALUE_MINOR_FIELD_NUMBER: _ClassVar[int]
    stage: str
    count: int
    value_minor: int
    def __init__(self, stage: _Optional[str] = ..., count: _Optional[int] = ..., value_minor: _Optional[int] = ...) -> None: ...

class StageConversion(_message.Message):
    __slots__ = ("from_stage", "to_stage", "entered", "converted", "rate_bp")
    FROM_STAGE_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_FIELD_NUMBER: _ClassVar[int]
    ENTERED_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_FIELD_NUMBER: _ClassVar[int]
    RATE_BP_FIELD_NUMBER: _ClassVar[int]
    from_stage: str
    to_stage: str
    entered: int
    converted: int
    rate_bp: int
    def __init__(self, from_stage: _Optional[str] = ..., to_stage: _Optional[str] = ..., entered: _Optional[int] = ..., converted: _Optional[int] = ..., rate_bp: _Optional[int] = ...) -> None: ...

class PerformanceLine(_message.Message):
    __slots__ = ("id", "target_minor", "signed_minor", "collected_minor", "signed_completion_bp", "collected_completion_bp")
    ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_MINOR_FIELD_NUMBER: _ClassVar[int]
    SIGNED_MINOR_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_MINOR_FIELD_NUMBER: _ClassVar[int]
    SIGNED_COMPLETION_BP_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_COMPLETION_BP_FIELD_NUMBER: _ClassVar[int]
    id: str
    target_minor: int
    signed_minor: int
    collected_minor: int
    signed_completion_bp: int
    collected_completion_bp: int
    def __init__(self, id: _Optional[str] = ..., target_minor: _Optional[int] = ..., signed_minor: _Optional[int] = ..., collected_minor: _Optional[int] = ..., signed_completion_bp: _Optional[int] = ..., collected_completion_bp: _Optional[int] = ...) -> None: ...

class PerformanceReport(_message.Message):
    __slots__ = ("scope", "scope_id", "period", "period_kind", "period_start", "period_end", "currency", "totals", "pipeline", "conversions", "members")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    CONVERSIONS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    scope: str
    scope_id: str
    period: str
    period_kind: str
    period_start: _timestamp_pb2.Timestamp
    period_end: _timestamp_pb2.Timestamp
    currency: str
    totals: PerformanceLine
    pipeline: _containers.RepeatedCompositeFieldContainer[StageLine]
    conversions: _containers.RepeatedCompositeFieldContainer[StageConversion]
    members: _containers.RepeatedCompositeFieldContainer[PerformanceLine]
    def __init__(self, scope: _Optional[str] = ..., scope_id: _Optional[str] = ..., period: _Optional[str] = ..., period_kind: _Optional[str] = ..., period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., currency: _Optional[str] = ..., totals: _Optional[_Union[PerformanceLine, _Mapping]] = ..., pipeline: _Optional[_Iterable[_Union[StageLine, _Mapping]]] = ..., conversions: _Optional[_Iterable[_Union[StageConversion, _Mapping]]] = ..., members: _Optional[_Iterable[_Union[PerformanceLine, _Mapping]]] = ...) -> None: ...

class GetPerformanceReportRequest(_message.Message):
    __slots__ = ("scope", "scope_id", "period", "currency")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    scope: str
    scope_id: str
    period: str
    currency: str
    def __init__(self, scope: _Optional[str] = ..., scope_id: _Optional[str] = ..., period: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class GetPerformanceReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: PerformanceReport
    def __init__(self, report: _Optional[_Union[PerformanceReport, _Mapping]] = ...) -> None: ...

class PublishPerformanceReportRequest(_message.Message):
    __slots__ = ("scope", "scope_id", "period", "currency", "recipients", "published_by", "idempotency_key")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    scope: str
    scope_id: str
    period: str
    currency: str
    recipients: _containers.RepeatedScalarFieldContainer[str]
    published_by: str
    idempotency_key: str
    def __init__(self, scope: _Optional[str] = ..., scope_id: _Optional[str] = ..., period: _Optional[str] = ..., currency: _Optional[str] = ..., recipients: _Optional[_Iterable[str]] = ..., published_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class PublishPerformanceReportResponse(_message.Message):
    __slots__ = ("report_id", "report", "published_at", "event_id")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    report: PerformanceReport
    published_at: _timestamp_pb2.Timestamp
    event_id: str
    def __init__(self, report_id: _Optional[str] = ..., report: _Optional[_Union[PerformanceReport, _Mapping]] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...
