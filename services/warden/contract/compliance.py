"""Event types the compliance service accepts on its input topics besides the services' own
(none yet); its output, `warden.compliance.penalty.decided`, is documented in docs/events.md."""

from __future__ import annotations

from warden.contract.fields import FieldKinds

EVENTS: dict[str, FieldKinds] = {}
