"""Registering the desk's agents and its customers (personal data kept apart, 4.2.1)."""

from __future__ import annotations

from warden.aftersales.domain import tickets
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData
from warden.aftersales.usecases.context import Context
from warden.errors import InvalidArgument


class People:
    def __init__(self, context: Context) -> None:
        self.context = context

    def register_agent(self, agent: Agent) -> Agent:
        tickets.validate_agent(agent)
        with self.context.uow() as uow:
            uow.agents.put(agent)
            uow.commit()
        return agent

    def register_customer(self, customer: Customer, personal: PersonalData) -> Customer:
        if not personal.name.strip():
            raise InvalidArgument("personal.name", "is required")
        with self.context.uow() as uow:
            uow.customers.put(customer, personal)
            uow.commit()
        return customer
