"""RuleCatalogService over gRPC: requests become catalogue use-case calls, results replies."""

from __future__ import annotations

from warden.compliance.rules.catalogue import RuleCatalog, RuleStatus
from warden.compliance.rules.rule_files import RuleFile
from warden.errors import InvalidArgument
from warden.platform.auth import current_identity
from warden.platform.grpc_server import require
from warden.platform.proto_convert import timestamp_out
from warden.v1 import rules_pb2, rules_pb2_grpc

SERVICE_NAME = rules_pb2.DESCRIPTOR.services_by_name["RuleCatalogService"].full_name
_MODE_NAME = {rules_pb2.RULE_MODE_ACTIVE: "active", rules_pb2.RULE_MODE_SHADOW: "shadow"}
_MODE_OUT = {"active": rules_pb2.RULE_MODE_ACTIVE, "shadow": rules_pb2.RULE_MODE_SHADOW}


def _actor() -> str:
    identity = current_identity()
    return identity.subject if identity is not None else "anonymous"


def _shadow(mode: int) -> bool:
    if mode == rules_pb2.RULE_MODE_UNSPECIFIED:
        return False
    if mode not in _MODE_NAME:
        raise InvalidArgument("mode", f"unknown mode {mode}")
    return mode == rules_pb2.RULE_MODE_SHADOW


def status_out(status: RuleStatus, counts: dict[tuple[str, int, str], int]) -> rules_pb2.RuleStatus:
    message = rules_pb2.RuleStatus(
        rule_id=status.rule_id,
        title=status.title,
        clause=status.clause,
        active_version=status.active_version or 0,
        shadow_version=status.shadow_version or 0,
        versions=list(status.versions),
        changed_by=status.changed_by,
        active_findings=counts.get((status.rule_id, status.active_version or 0, "active"), 0),
        shadow_findings=counts.get((status.rule_id, status.shadow_version or 0, "shadow"), 0),
    )
    if status.changed_at is not None:
        message.changed_at.CopyFrom(timestamp_out(status.changed_at))
    return message


class RuleCatalogServicer(rules_pb2_grpc.RuleCatalogServiceServicer):
    def __init__(self, catalog: RuleCatalog) -> None:
        self.catalog = catalog

    def PublishRules(self, request, context):  # type: ignore[no-untyped-def]
        if not request.files:
            raise InvalidArgument("files", "no rule file given")
        files = [
            RuleFile(require(f.path, f"files[{i}].path"), f.text)
            for i, f in enumerate(request.files)
        ]
        published = self.catalog.publish(files, _actor())
        return rules_pb2.PublishRulesResponse(
            added=list(published.added), unchanged=list(published.unchanged)
        )

    def ActivateRule(self, request, context):  # type: ignore[no-untyped-def]
        rule_id = require(request.rule_id, "rule_id")
        if request.version < 1:
            raise InvalidArgument("version", "must be 1 or more")
        status, generation = self.catalog.activate(
            rule_id, request.version, _actor(), _shadow(request.mode), request.reason
        )
        _, counts, _ = self.catalog.rules()
        return rules_pb2.ActivateRuleResponse(
            rule=status_out(status, counts), generation=generation
        )

    def DeactivateRule(self, request, context):  # type: ignore[no-untyped-def]
        rule_id = require(request.rule_id, "rule_id")
        status, generation = self.catalog.deactivate(
            rule_id, _actor(), _shadow(request.mode), request.reason
        )
        _, counts, _ = self.catalog.rules()
        return rules_pb2.DeactivateRuleResponse(
            rule=status_out(status, counts), generation=generation
        )

    def ListRules(self, request, context):  # type: ignore[no-untyped-def]
        statuses, counts, generation = self.catalog.rules()
        return rules_pb2.ListRulesResponse(
            rules=[status_out(s, counts) for s in statuses], generation=generation
        )

    def ListRuleChanges(self, request, context):  # type: ignore[no-untyped-def]
        if request.page_size < 0:
            raise InvalidArgument("page_size", "must not be negative")
        changes = self.catalog.changes(request.rule_id, request.page_size or 100)
        return rules_pb2.ListRuleChangesResponse(
            changes=[
                rules_pb2.RuleChange(
                    seq=c.seq,
                    rule_id=c.rule_id,
                    version=c.version or 0,
                    mode=_MODE_OUT[c.mode],
                    at=timestamp_out(c.at),
                    by=c.by,
                    reason=c.reason,
                )
                for c in changes
            ]
        )
