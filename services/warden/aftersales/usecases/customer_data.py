"""Customer personal data (4.2.1): every read, export or disclosure is logged and emitted,
granted or refused."""

from __future__ import annotations

from collections.abc import Sequence

from warden.aftersales.domain import privacy
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.tickets import Agent, PersonalData
from warden.aftersales.usecases import events
from warden.aftersales.usecases.context import Context, require_agent, require_personal
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork
from warden.errors import InvalidArgument, PermissionDenied

UNREGISTERED = "unregistered"


def _signed_in_agent(uow: AfterSalesUnitOfWork, subject: str) -> Agent:
    """The signed-in caller as an agent; role `unregistered` when they are not one."""
    return uow.agents.get(subject) or Agent(subject, subject, UNREGISTERED, "")


class CustomerData:
    def __init__(self, context: Context) -> None:
        self.context = context

    def access_customer_data(
        self,
        accessor_id: str,
        action: str,
        customer_ids: Sequence[str],
        fields: Sequence[str],
        recipient: str = "",
        recipient_kind: str = "internal",
        purpose: str = "",
        signed_in: str | None = None,
    ) -> tuple[Access, dict[str, PersonalData], str]:
        """Read, export or disclose personal fields; every attempt is logged and emitted.

        `signed_in` is the caller's verified identity (None: `accessor_id` is trusted, as for an
        admin). A signed-in employee naming another accessor is logged as themselves, refused
        (granted false) and answered PERMISSION_DENIED on accessor_id; a refusal by the role
        table is logged the same way and answered PERMISSION_DENIED on fields."""
        if action not in privacy.ACTIONS:
            raise InvalidArgument(
                "action", f"{action!r} is not one of {', '.join(privacy.ACTIONS)}"
            )
        if recipient_kind not in ("internal", "external"):
            raise InvalidArgument("recipient_kind", "must be internal or external")
        if action != "read" and not recipient.strip():
            raise InvalidArgument("recipient", f"is required to {action}")
        chosen = privacy.requested_fields(fields)
        impostor = signed_in if signed_in not in (None, accessor_id) else None
        with self.context.uow() as uow:
            if impostor:
                accessor = _signed_in_agent(uow, impostor)
            else:
                accessor = require_agent(uow, accessor_id, "accessor_id")
            ids = list(dict.fromkeys(customer_ids)) or uow.customers.ids()
            if action != "export" and len(ids) != 1:
                raise InvalidArgument("customer_id", f"{action} names exactly one customer")
            data = {cid: require_personal(uow, cid) for cid in ids}
            if impostor:
                refusal = f"{accessor.agent_id!r} is signed in and may not act as {accessor_id!r}"
            else:
                own = all(uow.tickets.has_open(cid, accessor_id) for cid in ids)
                refusal = privacy.refusal(accessor, action, chosen, own)
            access = Access(
                self.context.new_id(),
                tuple(ids),
                accessor.agent_id,
                accessor.role,
                action,
                chosen,
                "internal" if action == "read" else recipient_kind,
                accessor.agent_id if action == "read" else recipient.strip(),
                purpose.strip(),
                self.context.clock(),
                not refusal,
                refusal,
            )
            event = events.customer_data_accessed(access)
            uow.accesses.add(access, event.id)
            uow.outbox.add(event)
            uow.commit()
        if impostor:
            raise PermissionDenied(f"accessor_id: {refusal}")
        privacy.check(access)
        return access, data, event.id

    def access_log(self, customer_id: str = "") -> list[Access]:
        with self.context.uow() as uow:
            return uow.accesses.of_customer(customer_id)
