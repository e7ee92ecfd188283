import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RuleMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RULE_MODE_UNSPECIFIED: _ClassVar[RuleMode]
    RULE_MODE_ACTIVE: _ClassVar[RuleMode]
    RULE_MODE_SHADOW: _ClassVar[RuleMode]
RULE_MODE_UNSPECIFIED: RuleMode
RULE_MODE_ACTIVE: RuleMode
RULE_MODE_SHADOW: RuleMode

class RuleFile(_message.Message):
    __slots__ = ("path", "text")
    PATH_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    path: str
    text: str
    def __init__(self, path: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class PublishRulesRequest(_message.Message):
    __slots__ = ("files",)
    FILES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[RuleFile]
    def __init__(self, files: _Optional[_Iterable[_Union[RuleFile, _Mapping]]] = ...) -> None: ...

class PublishRulesResponse(_message.Message):
    __slots__ = ("added", "unchanged")
    ADDED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    added: _containers.RepeatedScalarFieldContainer[str]
    unchanged: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, added: _Optional[_Iterable[str]] = ..., unchanged: _Optional[_Iterable[str]] = ...) -> None: ...

class RuleStatus(_message.Message):
    __slots__ = ("rule_id", "title", "clause", "active_version", "shadow_version", "versions", "changed_at", "changed_by", "active_findings", "shadow_findings")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CLAUSE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_VERSION_FIELD_NUMBER: _ClassVar[int]
    SHADOW_VERSION_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FINDINGS_FIELD_NUMBER: _ClassVar[int]
    SHADOW_FINDINGS_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    title: str
    clause: str
    active_version: int
    shadow_version: int
    versions: _containers.RepeatedScalarFieldContainer[int]
    changed_at: _timestamp_pb2.Timestamp
    changed_by: str
    active_findings: int
    shadow_findings: int
    def __init__(self, rule_id: _Optional[str] = ..., title: _Optional[str] = ..., clause: _Optional[str] = ..., active_version: _Optional[int] = ..., shadow_version: _Optional[int] = ..., versions: _Optional[_Iterable[int]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., changed_by: _Optional[str] = ..., active_findings: _Optional[int] = ..., shadow_findings: _Optional[int] = ...) -> None: ...

class ActivateRuleRequest(_message.Message):
    __slots__ = ("rule_id", "version", "mode", "reason")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    version: int
    mode: RuleMode
    reason: str
    def __init__(self, rule_id: _Optional[str] = ..., version: _Optional[int] = ..., mode: _Optional[_Union[RuleMode, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class ActivateRuleResponse(_message.Message):
    __slots__ = ("rule", "generation")
    RULE_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    rule: RuleStatus
    generation: int
    def __init__(self, rule: _Optional[_Union[RuleStatus, _Mapping]] = ..., generation: _Optional[int] = ...) -> None: ...

class DeactivateRuleRequest(_message.Message):
    __slots__ = ("rule_id", "mode", "reason")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    mode: RuleMode
    reason: str
    def __init__(self, rule_id: _Optional[str] = ..., mode: _Optional[_Union[RuleMode, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class DeactivateRuleResponse(_message.Message):
    __slots__ = ("rule", "generation")
    RULE_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    rule: RuleStatus
    generation: int
    def __init__(self, rule: _Optional[_Union[RuleStatus, _Mapping]] = ..., generation: _Optional[int] = ...) -> None: ...

class ListRulesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRulesResponse(_message.Message):
    __slots__ = ("rules", "generation")
    RULES_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[RuleStatus]
    generation: int
    def __init__(self, rules: _Optional[_Iterable[_Union[RuleStatus, _Mapping]]] = ..., generation: _Optional[int] = ...) -> None: ...

class ListRuleChangesRequest(_message.Message):
    __slots__ = ("rule_id", "page_size")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    page_size: int
    def __init__(self, rule_id: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class RuleChange(_message.Message):
    __slots__ = ("seq", "rule_id", "version", "mode", "at", "by", "reason")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    seq: int
    rule_id: str
    version: int
    mode: RuleMode
    at: _timestamp_pb2.Timestamp
    by: str
    reason: str
    def __init__(self, seq: _Optional[int] = ..., rule_id: _Optional[str] = ..., version: _Optional[int] = ..., mode: _Optional[_Union[RuleMode, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListRuleChangesResponse(_message.Message):
    __slots__ = ("changes",)
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[RuleChange]
    def __init__(self, changes: _Optional[_Iterable[_Union[RuleChange, _Mapping]]] = ...) -> None: ...
