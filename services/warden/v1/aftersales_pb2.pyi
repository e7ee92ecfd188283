import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from warden.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Agent(_message.Message):
    __slots__ = ("agent_id", "name", "role", "team")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    name: str
    role: str
    team: str
    def __init__(self, agent_id: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., team: _Optional[str] = ...) -> None: ...

class PersonalData(_message.Message):
    __slots__ = ("name", "phone", "email", "address")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone: str
    email: str
    address: str
    def __init__(self, name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class Customer(_message.Message):
    __slots__ = ("customer_id", "segment")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    segment: str
    def __init__(self, customer_id: _Optional[str] = ..., segment: _Optional[str] = ...) -> None: ...

class Ticket(_message.Message):
    __slots__ = ("ticket_id", "customer_id", "product_id", "channel", "description", "agent_id", "status", "received_at", "category", "priority", "first_response_due", "resolution_due", "first_response_at", "resolved_at", "resolution", "closed_at", "outcome", "awaiting_answer", "reassignment_count", "reopen_count", "escalation_count", "survey_score", "survey_comment", "archived", "archived_at", "closed_without_resolution")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_DUE_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_DUE_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    AWAITING_ANSWER_FIELD_NUMBER: _ClassVar[int]
    REASSIGNMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    REOPEN_COUNT_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_COUNT_FIELD_NUMBER: _ClassVar[int]
    SURVEY_SCORE_FIELD_NUMBER: _ClassVar[int]
    SURVEY_COMMENT_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_WITHOUT_RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    customer_id: str
    product_id: str
    channel: str
    description: str
    agent_id: str
    status: str
    received_at: _timestamp_pb2.Timestamp
    category: str
    priority: str
    first_response_due: _timestamp_pb2.Timestamp
    resolution_due: _timestamp_pb2.Timestamp
    first_response_at: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    resolution: str
    closed_at: _timestamp_pb2.Timestamp
    outcome: str
    awaiting_answer: bool
    reassignment_count: int
    reopen_count: int
    escalation_count: int
    survey_score: int
    survey_comment: str
    archived: bool
    archived_at: _timestamp_pb2.Timestamp
    closed_without_resolution: int
    def __init__(self, ticket_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., product_id: _Optional[str] = ..., channel: _Optional[str] = ..., description: _Optional[str] = ..., agent_id: _Optional[str] = ..., status: _Optional[str] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., category: _Optional[str] = ..., priority: _Optional[str] = ..., first_response_due: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolution_due: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., first_response_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolution: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[str] = ..., awaiting_answer: _Optional[bool] = ..., reassignment_count: _Optional[int] = ..., reopen_count: _Optional[int] = ..., escalation_count: _Optional[int] = ..., survey_score: _Optional[int] = ..., survey_comment: _Optional[str] = ..., archived: _Optional[bool] = ..., archived_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_without_resolution: _Optional[int] = ...) -> None: ...

class TicketStep(_message.Message):
    __slots__ = ("kind", "actor", "at", "detail_json")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_JSON_FIELD_NUMBER: _ClassVar[int]
    kind: str
    actor: str
    at: _timestamp_pb2.Timestamp
    detail_json: str
    def __init__(self, kind: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., detail_json: _Optional[str] = ...) -> None: ...

class Escalation(_message.Message):
    __slots__ = ("escalation_id", "department", "question", "escalated_by", "escalated_at", "answer_summary", "answered_by", "answered_at", "reported_by", "reported_at", "status")
    ESCALATION_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_BY_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWER_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    REPORTED_BY_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    escalation_id: str
    department: str
    question: str
    escalated_by: str
    escalated_at: _timestamp_pb2.Timestamp
    answer_summary: str
    answered_by: str
    answered_at: _timestamp_pb2.Timestamp
    reported_by: str
    reported_at: _timestamp_pb2.Timestamp
    status: str
    def __init__(self, escalation_id: _Optional[str] = ..., department: _Optional[str] = ..., question: _Optional[str] = ..., escalated_by: _Optional[str] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_summary: _Optional[str] = ..., answered_by: _Optional[str] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reported_by: _Optional[str] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ...) -> None: ...

class RegisterAgentRequest(_message.Message):
    __slots__ = ("agent",)
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ...) -> None: ...

class RegisterAgentResponse(_message.Message):
    __slots__ = ("agent",)
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ...) -> None: ...

class RegisterCustomerRequest(_message.Message):
    __slots__ = ("customer", "personal")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    personal: PersonalData
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ..., personal: _Optional[_Union[PersonalData, _Mapping]] = ...) -> None: ...

class RegisterCustomerResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class OpenTicketRequest(_message.Message):
    __slots__ = ("customer_id", "product_id", "channel", "description", "agent_id", "idempotency_key", "occurred_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    product_id: str
    channel: str
    description: str
    agent_id: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., product_id: _Optional[str] = ..., channel: _Optional[str] = ..., description: _Optional[str] = ..., agent_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpenTicketResponse(_message.Message):
    __slots__ = ("ticket", "event_id")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    event_id: str
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class GetTicketRequest(_message.Message):
    __slots__ = ("ticket_id",)
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    def __init__(self, ticket_id: _Optional[str] = ...) -> None: ...

class GetTicketResponse(_message.Message):
    __slots__ = ("ticket", "history", "escalations")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    ESCALATIONS_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    history: _containers.RepeatedCompositeFieldContainer[TicketStep]
    escalations: _containers.RepeatedCompositeFieldContainer[Escalation]
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., history: _Optional[_Iterable[_Union[TicketStep, _Mapping]]] = ..., escalations: _Optional[_Iterable[_Union[Escalation, _Mapping]]] = ...) -> None: ...

class TicketStepResult(_message.Message):
    __slots__ = ("ticket", "step", "event_id")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    step: TicketStep
    event_id: str
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., step: _Optional[_Union[TicketStep, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class ClassifyTicketRequest(_message.Message):
    __slots__ = ("ticket_id", "category", "priority", "classified_by", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CLASSIFIED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    category: str
    priority: str
    classified_by: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., category: _Optional[str] = ..., priority: _Optional[str] = ..., classified_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClassifyTicketResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class AssignTicketRequest(_message.Message):
    __slots__ = ("ticket_id", "to_agent", "assigned_by", "reason", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    TO_AGENT_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    to_agent: str
    assigned_by: str
    reason: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., to_agent: _Optional[str] = ..., assigned_by: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AssignTicketResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class RespondToTicketRequest(_message.Message):
    __slots__ = ("ticket_id", "agent_id", "message", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    agent_id: str
    message: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., message: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RespondToTicketResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class RecordCustomerMessageRequest(_message.Message):
    __slots__ = ("ticket_id", "message", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    message: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., message: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordCustomerMessageResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class EscalateTicketRequest(_message.Message):
    __slots__ = ("ticket_id", "department", "question", "escalated_by", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    department: str
    question: str
    escalated_by: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., department: _Optional[str] = ..., question: _Optional[str] = ..., escalated_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EscalateTicketResponse(_message.Message):
    __slots__ = ("result", "escalation_id")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_ID_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    escalation_id: str
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ..., escalation_id: _Optional[str] = ...) -> None: ...

class AnswerEscalationRequest(_message.Message):
    __slots__ = ("escalation_id", "answer_summary", "answered_by", "idempotency_key", "occurred_at")
    ESCALATION_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    escalation_id: str
    answer_summary: str
    answered_by: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, escalation_id: _Optional[str] = ..., answer_summary: _Optional[str] = ..., answered_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AnswerEscalationResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class ReportBackEscalationRequest(_message.Message):
    __slots__ = ("escalation_id", "reported_by", "message", "idempotency_key", "occurred_at")
    ESCALATION_ID_FIELD_NUMBER: _ClassVar[int]
    REPORTED_BY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    escalation_id: str
    reported_by: str
    message: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, escalation_id: _Optional[str] = ..., reported_by: _Optional[str] = ..., message: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReportBackEscalationResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class ResolveTicketRequest(_message.Message):
    __slots__ = ("ticket_id", "agent_id", "resolution", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    agent_id: str
    resolution: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., resolution: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ResolveTicketResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class CloseTicketRequest(_message.Message):
    __slots__ = ("ticket_id", "agent_id", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    agent_id: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CloseTicketResponse(_message.Message):
    __slots__ = ("result", "note")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    note: str
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class ReopenTicketRequest(_message.Message):
    __slots__ = ("ticket_id", "reopened_by", "reason", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    REOPENED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    reopened_by: str
    reason: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., reopened_by: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReopenTicketResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class AnswerSurveyRequest(_message.Message):
    __slots__ = ("ticket_id", "score", "comment", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    score: int
    comment: str
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., score: _Optional[int] = ..., comment: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AnswerSurveyResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: TicketStepResult
    def __init__(self, result: _Optional[_Union[TicketStepResult, _Mapping]] = ...) -> None: ...

class ListOverdueTicketsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OverdueTicket(_message.Message):
    __slots__ = ("ticket", "missed")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    MISSED_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    missed: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., missed: _Optional[_Iterable[str]] = ...) -> None: ...

class ListOverdueTicketsResponse(_message.Message):
    __slots__ = ("tickets", "as_of")
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    tickets: _containers.RepeatedCompositeFieldContainer[OverdueTicket]
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, tickets: _Optional[_Iterable[_Union[OverdueTicket, _Mapping]]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetCustomerFileRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class CustomerFileEntry(_message.Message):
    __slots__ = ("ticket", "history", "escalations")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    ESCALATIONS_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    history: _containers.RepeatedCompositeFieldContainer[TicketStep]
    escalations: _containers.RepeatedCompositeFieldContainer[Escalation]
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., history: _Optional[_Iterable[_Union[TicketStep, _Mapping]]] = ..., escalations: _Optional[_Iterable[_Union[Escalation, _Mapping]]] = ...) -> None: ...

class GetCustomerFileResponse(_message.Message):
    __slots__ = ("customer", "entries", "fees")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    FEES_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    entries: _containers.RepeatedCompositeFieldContainer[CustomerFileEntry]
    fees: _containers.RepeatedCompositeFieldContainer[Fee]
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ..., entries: _Optional[_Iterable[_Union[CustomerFileEntry, _Mapping]]] = ..., fees: _Optional[_Iterable[_Union[Fee, _Mapping]]] = ...) -> None: ...

class SearchRecordsRequest(_message.Message):
    __slots__ = ("category", "product_id", "outcome", "exclude_archived")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    category: str
    product_id: str
    outcome: str
    exclude_archived: bool
    def __init__(self, category: _Optional[str] = ..., product_id: _Optional[str] = ..., outcome: _Optional[str] = ..., exclude_archived: _Optional[bool] = ...) -> None: ...

class SearchRecordsResponse(_message.Message):
    __slots__ = ("tickets",)
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    tickets: _containers.RepeatedCompositeFieldContainer[Ticket]
    def __init__(self, tickets: _Optional[_Iterable[_Union[Ticket, _Mapping]]] = ...) -> None: ...

class ArchiveRecordsRequest(_message.Message):
    __slots__ = ("older_than_days", "archived_by", "idempotency_key")
    OLDER_THAN_DAYS_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_BY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    older_than_days: int
    archived_by: str
    idempotency_key: str
    def __init__(self, older_than_days: _Optional[int] = ..., archived_by: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ArchiveRecordsResponse(_message.Message):
    __slots__ = ("run_id", "ticket_ids", "archived_count", "event_id")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    TICKET_IDS_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_COUNT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    ticket_ids: _containers.RepeatedScalarFieldContainer[str]
    archived_count: int
    event_id: str
    def __init__(self, run_id: _Optional[str] = ..., ticket_ids: _Optional[_Iterable[str]] = ..., archived_count: _Optional[int] = ..., event_id: _Optional[str] = ...) -> None: ...

class FeeScheduleEntry(_message.Message):
    __slots__ = ("service_code", "description", "price", "warranty_covers")
    SERVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    WARRANTY_COVERS_FIELD_NUMBER: _ClassVar[int]
    service_code: str
    description: str
    price: _common_pb2.Money
    warranty_covers: bool
    def __init__(self, service_code: _Optional[str] = ..., description: _Optional[str] = ..., price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., warranty_covers: _Optional[bool] = ...) -> None: ...

class SetFeeRequest(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: FeeScheduleEntry
    def __init__(self, entry: _Optional[_Union[FeeScheduleEntry, _Mapping]] = ...) -> None: ...

class SetFeeResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: FeeScheduleEntry
    def __init__(self, entry: _Optional[_Union[FeeScheduleEntry, _Mapping]] = ...) -> None: ...

class ListFeeScheduleRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFeeScheduleResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[FeeScheduleEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[FeeScheduleEntry, _Mapping]]] = ...) -> None: ...

class Fee(_message.Message):
    __slots__ = ("fee_id", "ticket_id", "customer_id", "agent_id", "service_code", "amount", "warranty", "charged_at", "in_schedule", "schedule_price", "warranty_covers", "duplicate_of", "flags")
    FEE_ID_FIELD_NUMBER: _ClassVar[int]
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    WARRANTY_FIELD_NUMBER: _ClassVar[int]
    CHARGED_AT_FIELD_NUMBER: _ClassVar[int]
    IN_SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_PRICE_FIELD_NUMBER: _ClassVar[int]
    WARRANTY_COVERS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    fee_id: str
    ticket_id: str
    customer_id: str
    agent_id: str
    service_code: str
    amount: _common_pb2.Money
    warranty: bool
    charged_at: _timestamp_pb2.Timestamp
    in_schedule: bool
    schedule_price: _common_pb2.Money
    warranty_covers: bool
    duplicate_of: str
    flags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, fee_id: _Optional[str] = ..., ticket_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., service_code: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., warranty: _Optional[bool] = ..., charged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., in_schedule: _Optional[bool] = ..., schedule_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., warranty_covers: _Optional[bool] = ..., duplicate_of: _Optional[str] = ..., flags: _Optional[_Iterable[str]] = ...) -> None: ...

class ChargeFeeRequest(_message.Message):
    __slots__ = ("ticket_id", "agent_id", "service_code", "amount", "warranty", "idempotency_key", "occurred_at")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    WARRANTY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    agent_id: str
    service_code: str
    amount: _common_pb2.Money
    warranty: bool
    idempotency_key: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, ticket_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., service_code: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., warranty: _Optional[bool] = ..., idempotency_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChargeFeeResponse(_message.Message):
    __slots__ = ("fee", "explanation", "event_id")
    FEE_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    fee: Fee
    explanation: str
    event_id: str
    def __init__(self, fee: _Optional[_Union[Fee, _Mapping]] = ..., explanation: _Optional[str] = ..., event_id: _Optional[str] = ...) -> None: ...

class ListFeesRequest(_message.Message):
    __slots__ = ("ticket_id", "customer_id")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    customer_id: str
    def __init__(self, ticket_id: _Optional[str] = ..., customer_id: _Optional[str] = ...) -> None: ...

class ListFeesResponse(_message.Message):
    __slots__ = ("fees",)
    FEES_FIELD_NUMBER: _ClassVar[int]
    fees: _containers.RepeatedCompositeFieldContainer[Fee]
    def __init__(self, fees: _Optional[_Iterable[_Union[Fee, _Mapping]]] = ...) -> None: ...

class CustomerDataRecord(_message.Message):
    __slots__ = ("customer_id", "personal")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    personal: PersonalData
    def __init__(self, customer_id: _Optional[str] = ..., personal: _Optional[_Union[PersonalData, _Mapping]] = ...) -> None: ...

class ReadCustomerDataRequest(_message.Message):
    __slots__ = ("accessor_id", "customer_id", "fields", "purpose")
    ACCESSOR_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    accessor_id: str
    customer_id: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    purpose: str
    def __init__(self, accessor_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ..., purpose: _Optional[str] = ...) -> None: ...

class ReadCustomerDataResponse(_message.Message):
    __slots__ = ("record", "access_id", "event_id")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    ACCESS_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    record: CustomerDataRecord
    access_id: str
    event_id: str
    def __init__(self, record: _Optional[_Union[CustomerDataRecord, _Mapping]] = ..., access_id: _Optional[str] = ..., event_id: _Optional[str] = ...) -> None: ...

class ExportCustomerDataRequest(_message.Message):
    __slots__ = ("accessor_id", "customer_ids", "fields", "recipient", "recipient_kind", "purpose")
    ACCESSOR_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_KIND_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    accessor_id: str
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    fields: _containers.RepeatedScalarFieldContainer[str]
    recipient: str
    recipient_kind: str
    purpose: str
    def __init__(self, accessor_id: _Optional[str] = ..., customer_ids: _Optional[_Iterable[str]] = ..., fields: _Optional[_Iterable[str]] = ..., recipient: _Optional[str] = ..., recipient_kind: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class ExportCustomerDataResponse(_message.Message):
    __slots__ = ("records", "access_id", "event_id")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    ACCESS_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[CustomerDataRecord]
    access_id: str
    event_id: str
    def __init__(self, records: _Optional[_Iterable[_Union[CustomerDataRecord, _Mapping]]] = ..., access_id: _Optional[str] = ..., event_id: _Optional[str] = ...) -> None: ...

class DiscloseCustomerDataRequest(_message.Message):
    __slots__ = ("accessor_id", "customer_id", "fields", "recipient", "recipient_kind", "purpose")
    ACCESSOR_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_KIND_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    accessor_id: str
    customer_id: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    recipient: str
    recipient_kind: str
    purpose: str
    def __init__(self, accessor_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ..., recipient: _Optional[str] = ..., recipient_kind: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class DiscloseCustomerDataResponse(_message.Message):
    __slots__ = ("record", "access_id", "event_id")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    ACCESS_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    record: CustomerDataRecord
    access_id: str
    event_id: str
    def __init__(self, record: _Optional[_Union[CustomerDataRecord, _Mapping]] = ..., access_id: _Optional[str] = ..., event_id: _Optional[str] = ...) -> None: ...

class DataAccess(_message.Message):
    __slots__ = ("access_id", "customer_ids", "accessor_id", "accessor_role", "action", "fields", "recipient_kind", "recipient", "purpose", "at", "granted", "refusal")
    ACCESS_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    ACCESSOR_ID_FIELD_NUMBER: _ClassVar[int]
    ACCESSOR_ROLE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_KIND_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_FIELD_NUMBER: _ClassVar[int]
    access_id: str
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    accessor_id: str
    accessor_role: str
    action: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    recipient_kind: str
    recipient: str
    purpose: str
    at: _timestamp_pb2.Timestamp
    granted: bool
    refusal: str
    def __init__(self, access_id: _Optional[str] = ..., customer_ids: _Optional[_Iterable[str]] = ..., accessor_id: _Optional[str] = ..., accessor_role: _Optional[str] = ..., action: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ..., recipient_kind: _Optional[str] = ..., recipient: _Optional[str] = ..., purpose: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., granted: _Optional[bool] = ..., refusal: _Optional[str] = ...) -> None: ...

class ListDataAccessesRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class ListDataAccessesResponse(_message.Message):
    __slots__ = ("accesses",)
    ACCESSES_FIELD_NUMBER: _ClassVar[int]
    accesses: _containers.RepeatedCompositeFieldContainer[DataAccess]
    def __init__(self, accesses: _Optional[_Iterable[_Union[DataAccess, _Mapping]]] = ...) -> None: ...

class GetQualityReportRequest(_message.Message):
    __slots__ = ("period", "publish", "published_by")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    period: str
    publish: bool
    published_by: str
    def __init__(self, period: _Optional[str] = ..., publish: _Optional[bool] = ..., published_by: _Optional[str] = ...) -> None: ...

class SatisfactionCount(_message.Message):
    __slots__ = ("score", "count")
    SCORE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    score: int
    count: int
    def __init__(self, score: _Optional[int] = ..., count: _Optional[int] = ...) -> None: ...

class QualityFigures(_message.Message):
    __slots__ = ("group", "tickets", "closed", "surveys", "satisfaction_average", "has_satisfaction", "satisfaction_distribution", "first_response_met", "first_response_missed", "mean_first_response_minutes", "resolution_met", "resolution_missed", "mean_resolution_minutes", "commitment_judged", "within_commitment", "within_commitment_bp", "reopened", "ever_closed", "reopen_rate_bp", "escalations", "reassignments", "closed_without_resolution")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    SURVEYS_FIELD_NUMBER: _ClassVar[int]
    SATISFACTION_AVERAGE_FIELD_NUMBER: _ClassVar[int]
    HAS_SATISFACTION_FIELD_NUMBER: _ClassVar[int]
    SATISFACTION_DISTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_MET_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_MISSED_FIELD_NUMBER: _ClassVar[int]
    MEAN_FIRST_RESPONSE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_MET_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_MISSED_FIELD_NUMBER: _ClassVar[int]
    MEAN_RESOLUTION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_JUDGED_FIELD_NUMBER: _ClassVar[int]
    WITHIN_COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    WITHIN_COMMITMENT_BP_FIELD_NUMBER: _ClassVar[int]
    REOPENED_FIELD_NUMBER: _ClassVar[int]
    EVER_CLOSED_FIELD_NUMBER: _ClassVar[int]
    REOPEN_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    ESCALATIONS_FIELD_NUMBER: _ClassVar[int]
    REASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    CLOSED_WITHOUT_RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    group: str
    tickets: int
    closed: int
    surveys: int
    satisfaction_average: float
    has_satisfaction: bool
    satisfaction_distribution: _containers.RepeatedCompositeFieldContainer[SatisfactionCount]
    first_response_met: int
    first_response_missed: int
    mean_first_response_minutes: int
    resolution_met: int
    resolution_missed: int
    mean_resolution_minutes: int
    commitment_judged: int
    within_commitment: int
    within_commitment_bp: int
    reopened: int
    ever_closed: int
    reopen_rate_bp: int
    escalations: int
    reassignments: int
    closed_without_resolution: int
    def __init__(self, group: _Optional[str] = ..., tickets: _Optional[int] = ..., closed: _Optional[int] = ..., surveys: _Optional[int] = ..., satisfaction_average: _Optional[float] = ..., has_satisfaction: _Optional[bool] = ..., satisfaction_distribution: _Optional[_Iterable[_Union[SatisfactionCount, _Mapping]]] = ..., first_response_met: _Optional[int] = ..., first_response_missed: _Optional[int] = ..., mean_first_response_minutes: _Optional[int] = ..., resolution_met: _Optional[int] = ..., resolution_missed: _Optional[int] = ..., mean_resolution_minutes: _Optional[int] = ..., commitment_judged: _Optional[int] = ..., within_commitment: _Optional[int] = ..., within_commitment_bp: _Optional[int] = ..., reopened: _Optional[int] = ..., ever_closed: _Optional[int] = ..., reopen_rate_bp: _Optional[int] = ..., escalations: _Optional[int] = ..., reassignments: _Optional[int] = ..., closed_without_resolution: _Optional[int] = ...) -> None: ...

class GetQualityReportResponse(_message.Message):
    __slots__ = ("period", "period_start", "period_end", "computed_at", "overall", "by_agent", "by_category", "report_id", "event_id")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERALL_FIELD_NUMBER: _ClassVar[int]
    BY_AGENT_FIELD_NUMBER: _ClassVar[int]
    BY_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    period: str
    period_start: _timestamp_pb2.Timestamp
    period_end: _timestamp_pb2.Timestamp
    computed_at: _timestamp_pb2.Timestamp
    overall: QualityFigures
    by_agent: _containers.RepeatedCompositeFieldContainer[QualityFigures]
    by_category: _containers.RepeatedCompositeFieldContainer[QualityFigures]
    report_id: str
    event_id: str
    def __init__(self, period: _Optional[str] = ..., period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overall: _Optional[_Union[QualityFigures, _Mapping]] = ..., by_agent: _Optional[_Iterable[_Union[QualityFigures, _Mapping]]] = ..., by_category: _Optional[_Iterable[_Union[QualityFigures, _Mapping]]] = ..., report_id: _Optional[str] = ..., event_id: _Optional[str] = ...) -> None: ...
