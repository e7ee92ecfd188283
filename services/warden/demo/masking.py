"""The demo's privacy view: one case as an officer sees it (customers' personal data masked in
the explanation and the evidence) and as an admin sees it (in clear)."""

from __future__ import annotations

import json

from warden.clients import Clients
from warden.demo.common import step
from warden.platform.auth import ADMIN, OFFICER
from warden.stack import Stack
from warden.v1 import compliance_pb2

RULE = "personal-data-disclosed-without-purpose"


def scenario(stack: Stack, admin: Clients, cases: list[compliance_pb2.Case], officer: str) -> None:
    """Show the disclosure case through an officer's token, then an admin's."""
    case_id = next(c.case_id for c in cases if c.findings[0].rule_id == RULE)
    step(f"The disclosure case as officer {officer} sees it, then as an admin")
    viewer = Clients.connect(
        stack.address("sales"),
        stack.address("aftersales"),
        stack.address("compliance"),
        token=stack.token(officer, OFFICER),
    )
    try:
        for role, clients in ((OFFICER, viewer), (ADMIN, admin)):
            shown = clients.compliance.GetCase(compliance_pb2.GetCaseRequest(case_id=case_id)).case
            print(f"  as {role}:")
            print("    " + shown.findings[0].explanation.replace("\n", "\n    "))
            data = json.loads(shown.evidence_json[0])["data"]
            for key in ("customer_id", "recipient", "customer"):
                print(f"    evidence {key}: {json.dumps(data.get(key))}")
    finally:
        viewer.close()
