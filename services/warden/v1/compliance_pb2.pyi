import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from warden.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CaseStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CASE_STATUS_UNSPECIFIED: _ClassVar[CaseStatus]
    CASE_STATUS_OPEN: _ClassVar[CaseStatus]
    CASE_STATUS_DECIDED: _ClassVar[CaseStatus]
    CASE_STATUS_IN_REVIEW: _ClassVar[CaseStatus]
    CASE_STATUS_APPEALED: _ClassVar[CaseStatus]

class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_UNSPECIFIED: _ClassVar[Outcome]
    OUTCOME_CONFIRMED: _ClassVar[Outcome]
    OUTCOME_DISMISSED: _ClassVar[Outcome]
    OUTCOME_AMENDED: _ClassVar[Outcome]

class SanctionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SANCTION_KIND_UNSPECIFIED: _ClassVar[SanctionKind]
    SANCTION_KIND_WARNING: _ClassVar[SanctionKind]
    SANCTION_KIND_FINE: _ClassVar[SanctionKind]
    SANCTION_KIND_SUSPENSION: _ClassVar[SanctionKind]
    SANCTION_KIND_DISMISSAL: _ClassVar[SanctionKind]

class SnoozeScope(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SNOOZE_SCOPE_UNSPECIFIED: _ClassVar[SnoozeScope]
    SNOOZE_SCOPE_EMPLOYEE: _ClassVar[SnoozeScope]
    SNOOZE_SCOPE_CUSTOMER: _ClassVar[SnoozeScope]
CASE_STATUS_UNSPECIFIED: CaseStatus
CASE_STATUS_OPEN: CaseStatus
CASE_STATUS_DECIDED: CaseStatus
CASE_STATUS_IN_REVIEW: CaseStatus
CASE_STATUS_APPEALED: CaseStatus
OUTCOME_UNSPECIFIED: Outcome
OUTCOME_CONFIRMED: Outcome
OUTCOME_DISMISSED: Outcome
OUTCOME_AMENDED: Outcome
SANCTION_KIND_UNSPECIFIED: SanctionKind
SANCTION_KIND_WARNING: SanctionKind
SANCTION_KIND_FINE: SanctionKind
SANCTION_KIND_SUSPENSION: SanctionKind
SANCTION_KIND_DISMISSAL: SanctionKind
SNOOZE_SCOPE_UNSPECIFIED: SnoozeScope
SNOOZE_SCOPE_EMPLOYEE: SnoozeScope
SNOOZE_SCOPE_CUSTOMER: SnoozeScope

class Sanction(_message.Message):
    __slots__ = ("kind", "fine", "days")
    KIND_FIELD_NUMBER: _ClassVar[int]
    FINE_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    kind: SanctionKind
    fine: _common_pb2.Money
    days: int
    def __init__(self, kind: _Optional[_Union[SanctionKind, str]] = ..., fine: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., days: _Optional[int] = ...) -> None: ...

class Finding(_message.Message):
    __slots__ = ("finding_id", "rule_id", "rule_version", "clause", "severity", "employee_id", "explanation", "event_ids", "evidence")
    FINDING_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    CLAUSE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    EVENT_IDS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    finding_id: str
    rule_id: str
    rule_version: int
    clause: str
    severity: str
    employee_id: str
    explanation: str
    event_ids: _containers.RepeatedScalarFieldContainer[str]
    evidence: _containers.RepeatedCompositeFieldContainer[EventRef]
    def __init__(self, finding_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., rule_version: _Optional[int] = ..., clause: _Optional[str] = ..., severity: _Optional[str] = ..., employee_id: _Optional[str] = ..., explanation: _Optional[str] = ..., event_ids: _Optional[_Iterable[str]] = ..., evidence: _Optional[_Iterable[_Union[EventRef, _Mapping]]] = ...) -> None: ...

class EventRef(_message.Message):
    __slots__ = ("source", "id")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    source: str
    id: str
    def __init__(self, source: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class Case(_message.Message):
    __slots__ = ("case_id", "status", "employee_id", "clause", "severity", "title", "proposed_sanction", "findings", "opened_at", "outcome", "decided_by", "decision_reason", "assignee", "raised_by", "comments", "pending", "overdue", "department", "evidence_json", "audit", "decision_id", "appeal_reason", "claimed_at", "occurred_at", "proposal_reasoning", "dismissal_review", "legal_referral", "signatures", "inbox", "due_at", "past_due", "waiting_reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    CLAUSE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_SANCTION_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    RAISED_BY_FIELD_NUMBER: _ClassVar[int]
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_JSON_FIELD_NUMBER: _ClassVar[int]
    AUDIT_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    APPEAL_REASON_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_AT_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_REASONING_FIELD_NUMBER: _ClassVar[int]
    DISMISSAL_REVIEW_FIELD_NUMBER: _ClassVar[int]
    LEGAL_REFERRAL_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    INBOX_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    PAST_DUE_FIELD_NUMBER: _ClassVar[int]
    WAITING_REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    status: CaseStatus
    employee_id: str
    clause: str
    severity: str
    title: str
    proposed_sanction: Sanction
    findings: _containers.RepeatedCompositeFieldContainer[Finding]
    opened_at: _timestamp_pb2.Timestamp
    outcome: Outcome
    decided_by: str
    decision_reason: str
    assignee: str
    raised_by: str
    comments: _containers.RepeatedCompositeFieldContainer[Comment]
    pending: PendingDecision
    overdue: bool
    department: str
    evidence_json: _containers.RepeatedScalarFieldContainer[str]
    audit: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    decision_id: str
    appeal_reason: str
    claimed_at: _timestamp_pb2.Timestamp
    occurred_at: _timestamp_pb2.Timestamp
    proposal_reasoning: str
    dismissal_review: bool
    legal_referral: bool
    signatures: _containers.RepeatedCompositeFieldContainer[DecisionSignature]
    inbox: str
    due_at: _timestamp_pb2.Timestamp
    past_due: bool
    waiting_reason: str
    def __init__(self, case_id: _Optional[str] = ..., status: _Optional[_Union[CaseStatus, str]] = ..., employee_id: _Optional[str] = ..., clause: _Optional[str] = ..., severity: _Optional[str] = ..., title: _Optional[str] = ..., proposed_sanction: _Optional[_Union[Sanction, _Mapping]] = ..., findings: _Optional[_Iterable[_Union[Finding, _Mapping]]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., decided_by: _Optional[str] = ..., decision_reason: _Optional[str] = ..., assignee: _Optional[str] = ..., raised_by: _Optional[str] = ..., comments: _Optional[_Iterable[_Union[Comment, _Mapping]]] = ..., pending: _Optional[_Union[PendingDecision, _Mapping]] = ..., overdue: _Optional[bool] = ..., department: _Optional[str] = ..., evidence_json: _Optional[_Iterable[str]] = ..., audit: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ..., decision_id: _Optional[str] = ..., appeal_reason: _Optional[str] = ..., claimed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., proposal_reasoning: _Optional[str] = ..., dismissal_review: _Optional[bool] = ..., legal_referral: _Optional[bool] = ..., signatures: _Optional[_Iterable[_Union[DecisionSignature, _Mapping]]] = ..., inbox: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., past_due: _Optional[bool] = ..., waiting_reason: _Optional[str] = ...) -> None: ...

class DecisionSignature(_message.Message):
    __slots__ = ("by", "on_behalf_of")
    BY_FIELD_NUMBER: _ClassVar[int]
    ON_BEHALF_OF_FIELD_NUMBER: _ClassVar[int]
    by: str
    on_behalf_of: str
    def __init__(self, by: _Optional[str] = ..., on_behalf_of: _Optional[str] = ...) -> None: ...

class Comment(_message.Message):
    __slots__ = ("author", "text", "at")
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    author: str
    text: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, author: _Optional[str] = ..., text: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PendingDecision(_message.Message):
    __slots__ = ("outcome", "sanction", "reason", "officer_id", "at", "on_behalf_of")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    SANCTION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OFFICER_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ON_BEHALF_OF_FIELD_NUMBER: _ClassVar[int]
    outcome: Outcome
    sanction: Sanction
    reason: str
    officer_id: str
    at: _timestamp_pb2.Timestamp
    on_behalf_of: str
    def __init__(self, outcome: _Optional[_Union[Outcome, str]] = ..., sanction: _Optional[_Union[Sanction, _Mapping]] = ..., reason: _Optional[str] = ..., officer_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., on_behalf_of: _Optional[str] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("seq", "actor", "action", "at", "details_json", "hash")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DETAILS_JSON_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    seq: int
    actor: str
    action: str
    at: _timestamp_pb2.Timestamp
    details_json: str
    hash: str
    def __init__(self, seq: _Optional[int] = ..., actor: _Optional[str] = ..., action: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., details_json: _Optional[str] = ..., hash: _Optional[str] = ...) -> None: ...

class Decision(_message.Message):
    __slots__ = ("decision_id", "case_id", "employee_id", "outcome", "sanction", "clauses", "decided_by", "decided_at", "effective_date", "reason", "replaces", "revision", "signatures")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    SANCTION_FIELD_NUMBER: _ClassVar[int]
    CLAUSES_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REPLACES_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    case_id: str
    employee_id: str
    outcome: Outcome
    sanction: Sanction
    clauses: _containers.RepeatedScalarFieldContainer[str]
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    effective_date: str
    reason: str
    replaces: str
    revision: int
    signatures: _containers.RepeatedCompositeFieldContainer[DecisionSignature]
    def __init__(self, decision_id: _Optional[str] = ..., case_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., sanction: _Optional[_Union[Sanction, _Mapping]] = ..., clauses: _Optional[_Iterable[str]] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., effective_date: _Optional[str] = ..., reason: _Optional[str] = ..., replaces: _Optional[str] = ..., revision: _Optional[int] = ..., signatures: _Optional[_Iterable[_Union[DecisionSignature, _Mapping]]] = ...) -> None: ...

class ListCasesRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token", "severity", "clause", "employee_id", "department", "min_age_hours", "assignee", "inbox", "queue_order")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    CLAUSE_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    MIN_AGE_HOURS_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    INBOX_FIELD_NUMBER: _ClassVar[int]
    QUEUE_ORDER_FIELD_NUMBER: _ClassVar[int]
    status: CaseStatus
    page_size: int
    page_token: str
    severity: str
    clause: str
    employee_id: str
    department: str
    min_age_hours: int
    assignee: str
    inbox: str
    queue_order: bool
    def __init__(self, status: _Optional[_Union[CaseStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., severity: _Optional[str] = ..., clause: _Optional[str] = ..., employee_id: _Optional[str] = ..., department: _Optional[str] = ..., min_age_hours: _Optional[int] = ..., assignee: _Optional[str] = ..., inbox: _Optional[str] = ..., queue_order: _Optional[bool] = ...) -> None: ...

class ListCasesResponse(_message.Message):
    __slots__ = ("cases", "next_page_token")
    CASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[Case]
    next_page_token: str
    def __init__(self, cases: _Optional[_Iterable[_Union[Case, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetCaseRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class GetCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class DecideCaseRequest(_message.Message):
    __slots__ = ("case_id", "officer_id", "outcome", "reason", "sanction", "on_behalf_of")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFICER_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SANCTION_FIELD_NUMBER: _ClassVar[int]
    ON_BEHALF_OF_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    officer_id: str
    outcome: Outcome
    reason: str
    sanction: Sanction
    on_behalf_of: str
    def __init__(self, case_id: _Optional[str] = ..., officer_id: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., reason: _Optional[str] = ..., sanction: _Optional[_Union[Sanction, _Mapping]] = ..., on_behalf_of: _Optional[str] = ...) -> None: ...

class DecideCaseResponse(_message.Message):
    __slots__ = ("decision", "case")
    DECISION_FIELD_NUMBER: _ClassVar[int]
    CASE_FIELD_NUMBER: _ClassVar[int]
    decision: Decision
    case: Case
    def __init__(self, decision: _Optional[_Union[Decision, _Mapping]] = ..., case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class ClaimCaseRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class ClaimCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class CommentCaseRequest(_message.Message):
    __slots__ = ("case_id", "text")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    text: str
    def __init__(self, case_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class CommentCaseResponse(_message.Message):
    __slots__ = ("comment",)
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    comment: Comment
    def __init__(self, comment: _Optional[_Union[Comment, _Mapping]] = ...) -> None: ...

class ConfirmDecisionRequest(_message.Message):
    __slots__ = ("case_id", "on_behalf_of")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ON_BEHALF_OF_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    on_behalf_of: str
    def __init__(self, case_id: _Optional[str] = ..., on_behalf_of: _Optional[str] = ...) -> None: ...

class ConfirmDecisionResponse(_message.Message):
    __slots__ = ("decision",)
    DECISION_FIELD_NUMBER: _ClassVar[int]
    decision: Decision
    def __init__(self, decision: _Optional[_Union[Decision, _Mapping]] = ...) -> None: ...

class RejectDecisionRequest(_message.Message):
    __slots__ = ("case_id", "reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    reason: str
    def __init__(self, case_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RejectDecisionResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class AppealCaseRequest(_message.Message):
    __slots__ = ("case_id", "reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    reason: str
    def __init__(self, case_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AppealCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class RaiseCaseRequest(_message.Message):
    __slots__ = ("employee_id", "clause", "severity", "title", "proposed_sanction", "description")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    CLAUSE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_SANCTION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    clause: str
    severity: str
    title: str
    proposed_sanction: Sanction
    description: str
    def __init__(self, employee_id: _Optional[str] = ..., clause: _Optional[str] = ..., severity: _Optional[str] = ..., title: _Optional[str] = ..., proposed_sanction: _Optional[_Union[Sanction, _Mapping]] = ..., description: _Optional[str] = ...) -> None: ...

class RaiseCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class GetEmployeeRecordRequest(_message.Message):
    __slots__ = ("employee_id", "since")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    since: _timestamp_pb2.Timestamp
    def __init__(self, employee_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetEmployeeRecordResponse(_message.Message):
    __slots__ = ("employee_id", "department", "decisions")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    department: str
    decisions: _containers.RepeatedCompositeFieldContainer[Decision]
    def __init__(self, employee_id: _Optional[str] = ..., department: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[Decision, _Mapping]]] = ...) -> None: ...

class SetEmployeeDepartmentRequest(_message.Message):
    __slots__ = ("employee_id", "department")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    department: str
    def __init__(self, employee_id: _Optional[str] = ..., department: _Optional[str] = ...) -> None: ...

class SetEmployeeDepartmentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListDecisionsRequest(_message.Message):
    __slots__ = ("since", "page_size")
    SINCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    since: _timestamp_pb2.Timestamp
    page_size: int
    def __init__(self, since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListDecisionsResponse(_message.Message):
    __slots__ = ("decisions",)
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    decisions: _containers.RepeatedCompositeFieldContainer[Decision]
    def __init__(self, decisions: _Optional[_Iterable[_Union[Decision, _Mapping]]] = ...) -> None: ...

class GetSigningKeyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSigningKeyResponse(_message.Message):
    __slots__ = ("algorithm", "public_key_pem", "key_id", "signature_attribute")
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_PEM_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_ATTRIBUTE_FIELD_NUMBER: _ClassVar[int]
    algorithm: str
    public_key_pem: str
    key_id: str
    signature_attribute: str
    def __init__(self, algorithm: _Optional[str] = ..., public_key_pem: _Optional[str] = ..., key_id: _Optional[str] = ..., signature_attribute: _Optional[str] = ...) -> None: ...

class ListInboxesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OfficerLoad(_message.Message):
    __slots__ = ("officer_id", "open_cases")
    OFFICER_ID_FIELD_NUMBER: _ClassVar[int]
    OPEN_CASES_FIELD_NUMBER: _ClassVar[int]
    officer_id: str
    open_cases: int
    def __init__(self, officer_id: _Optional[str] = ..., open_cases: _Optional[int] = ...) -> None: ...

class Inbox(_message.Message):
    __slots__ = ("name", "title", "sla_hours", "clauses", "departments", "officers", "officer_limit", "waiting", "in_review", "overdue")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SLA_HOURS_FIELD_NUMBER: _ClassVar[int]
    CLAUSES_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENTS_FIELD_NUMBER: _ClassVar[int]
    OFFICERS_FIELD_NUMBER: _ClassVar[int]
    OFFICER_LIMIT_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    IN_REVIEW_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    title: str
    sla_hours: float
    clauses: _containers.RepeatedScalarFieldContainer[str]
    departments: _containers.RepeatedScalarFieldContainer[str]
    officers: _containers.RepeatedCompositeFieldContainer[OfficerLoad]
    officer_limit: int
    waiting: int
    in_review: int
    overdue: int
    def __init__(self, name: _Optional[str] = ..., title: _Optional[str] = ..., sla_hours: _Optional[float] = ..., clauses: _Optional[_Iterable[str]] = ..., departments: _Optional[_Iterable[str]] = ..., officers: _Optional[_Iterable[_Union[OfficerLoad, _Mapping]]] = ..., officer_limit: _Optional[int] = ..., waiting: _Optional[int] = ..., in_review: _Optional[int] = ..., overdue: _Optional[int] = ...) -> None: ...

class ListInboxesResponse(_message.Message):
    __slots__ = ("inboxes",)
    INBOXES_FIELD_NUMBER: _ClassVar[int]
    inboxes: _containers.RepeatedCompositeFieldContainer[Inbox]
    def __init__(self, inboxes: _Optional[_Iterable[_Union[Inbox, _Mapping]]] = ...) -> None: ...

class NextCaseRequest(_message.Message):
    __slots__ = ("inbox",)
    INBOX_FIELD_NUMBER: _ClassVar[int]
    inbox: str
    def __init__(self, inbox: _Optional[str] = ...) -> None: ...

class NextCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class Snooze(_message.Message):
    __slots__ = ("snooze_id", "rule_id", "scope", "subject", "case_id", "employee_id", "reason", "snoozed_by", "starts_at", "ends_at", "lifted_at", "lifted_by", "lift_reason", "state")
    SNOOZE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SNOOZED_BY_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    LIFTED_AT_FIELD_NUMBER: _ClassVar[int]
    LIFTED_BY_FIELD_NUMBER: _ClassVar[int]
    LIFT_REASON_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    snooze_id: str
    rule_id: str
    scope: SnoozeScope
    subject: str
    case_id: str
    employee_id: str
    reason: str
    snoozed_by: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    lifted_at: _timestamp_pb2.Timestamp
    lifted_by: str
    lift_reason: str
    state: str
    def __init__(self, snooze_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., scope: _Optional[_Union[SnoozeScope, str]] = ..., subject: _Optional[str] = ..., case_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., reason: _Optional[str] = ..., snoozed_by: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lifted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lifted_by: _Optional[str] = ..., lift_reason: _Optional[str] = ..., state: _Optional[str] = ...) -> None: ...

class SnoozeRuleRequest(_message.Message):
    __slots__ = ("case_id", "rule_id", "scope", "customer_id", "days", "reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    rule_id: str
    scope: SnoozeScope
    customer_id: str
    days: int
    reason: str
    def __init__(self, case_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., scope: _Optional[_Union[SnoozeScope, str]] = ..., customer_id: _Optional[str] = ..., days: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class SnoozeRuleResponse(_message.Message):
    __slots__ = ("snooze",)
    SNOOZE_FIELD_NUMBER: _ClassVar[int]
    snooze: Snooze
    def __init__(self, snooze: _Optional[_Union[Snooze, _Mapping]] = ...) -> None: ...

class LiftSnoozeRequest(_message.Message):
    __slots__ = ("snooze_id", "reason")
    SNOOZE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    snooze_id: str
    reason: str
    def __init__(self, snooze_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class LiftSnoozeResponse(_message.Message):
    __slots__ = ("snooze",)
    SNOOZE_FIELD_NUMBER: _ClassVar[int]
    snooze: Snooze
    def __init__(self, snooze: _Optional[_Union[Snooze, _Mapping]] = ...) -> None: ...

class ListSnoozesRequest(_message.Message):
    __slots__ = ("rule_id", "subject", "active_only")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_ONLY_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    subject: str
    active_only: bool
    def __init__(self, rule_id: _Optional[str] = ..., subject: _Optional[str] = ..., active_only: _Optional[bool] = ...) -> None: ...

class ListSnoozesResponse(_message.Message):
    __slots__ = ("snoozes",)
    SNOOZES_FIELD_NUMBER: _ClassVar[int]
    snoozes: _containers.RepeatedCompositeFieldContainer[Snooze]
    def __init__(self, snoozes: _Optional[_Iterable[_Union[Snooze, _Mapping]]] = ...) -> None: ...
