"""A month of the service desk on SQLite and PostgreSQL: lifecycle, commitments, fees, personal
data, files, archive and the quality report, with the numbers counted by hand (see month.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.integration.aftersales.conftest import of_type, outbox_events
from tests.integration.aftersales.month import Month, nov
from warden.aftersales.app import AfterSalesApp
from warden.aftersales.domain.quality import QualityFigures
from warden.contract import validate
from warden.errors import PermissionDenied
from warden.platform.cloudevents import format_time as t
from warden.platform.cloudevents import parse


def test_the_months_quality_report_matches_the_numbers_counted_by_hand(shared_month: Month) -> None:
    report = shared_month.app.quality_report("2026-11")
    assert (report.period_start, report.period_end) == (
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2026, 12, 1, tzinfo=UTC),
    )
    overall = report.overall
    # T1..T7 (T0 is October). Closed: T1..T5. Surveys 5, 3, 2, 4, 1.
    assert (overall.tickets, overall.closed, overall.surveys) == (7, 5, 5)
    assert overall.satisfaction_average == 3.0
    assert overall.satisfaction_distribution == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    # First response met: T1 (40 min), T3 (23 h), T4 (1 h); missed: T2 (6 h > 4 h), T5 (never,
    # due Nov 19), T6 (2 h > 1 h); T7 pending. Mean over the 5 answered: (40+360+1380+60+120)/5.
    assert (overall.first_response_met, overall.first_response_missed) == (3, 3)
    assert overall.mean_first_response_minutes == 392
    # Resolution met: T1, T2, T3; missed: T4 (final resolution at 79 h > 48 h), T5 (closed
    # without), T6 (past due, open). Mean over the 4 resolved: (360+1500+4320+4740)/4.
    assert (overall.resolution_met, overall.resolution_missed) == (3, 3)
    assert overall.mean_resolution_minutes == 2730
    # Judged T1..T6, within both commitments T1 and T3: 2/6 = 3333 bp.
    assert (overall.commitment_judged, overall.within_commitment) == (6, 2)
    assert overall.within_commitment_bp == 3333
    # Reopened T4 of 5 ever closed: 2000 bp.
    assert (overall.reopened, overall.ever_closed, overall.reopen_rate_bp) == (1, 5, 2000)
    assert (overall.escalations, overall.reassignments) == (1, 3)
    assert overall.closed_without_resolution == 1


def _pick(f: QualityFigures) -> tuple[object, ...]:
    return (
        f.tickets,
        f.surveys,
        f.satisfaction_average,
        f.first_response_met,
        f.first_response_missed,
        f.mean_first_response_minutes,
        f.resolution_met,
        f.resolution_missed,
        f.mean_resolution_minutes,
        f.within_commitment_bp,
        f.reopen_rate_bp,
    )


def test_the_report_per_agent_and_per_category_matches_the_hand_counts(shared_month: Month) -> None:
    report = shared_month.app.quality_report("2026-11")
    assert sorted(report.by_agent) == ["dave", "erin", "frank"]
    # dave: T1, T5. erin: T2, T3, T6 (T3 ended with erin). frank: T4, T7.
    assert _pick(report.by_agent["dave"]) == (2, 2, 3.0, 1, 1, 40, 1, 1, 360, 5000, 0)
    assert _pick(report.by_agent["erin"]) == (3, 2, 2.5, 1, 2, 620, 2, 1, 2910, 3333, 0)
    assert _pick(report.by_agent["frank"]) == (2, 1, 4.0, 1, 0, 60, 0, 1, 4740, 0, 10000)
    assert report.by_agent["erin"].reassignments == 3
    assert report.by_agent["frank"].escalations == 1
    # hardware: T1, T4, T6. software: T2, T5, T7. billing: T3.
    assert _pick(report.by_category["hardware"]) == (3, 2, 4.5, 2, 1, 73, 1, 2, 2550, 3333, 5000)
    assert _pick(report.by_category["software"]) == (3, 2, 2.0, 0, 2, 360, 1, 1, 1500, 0, 0)
    assert _pick(report.by_category["billing"]) == (1, 1, 2.0, 1, 0, 1380, 1, 0, 4320, 10000, 0)


def test_every_step_of_a_ticket_is_kept_with_who_and_when(shared_month: Month) -> None:
    view = shared_month.app.ticket_view(shared_month.tickets["T3"])
    assert [(s.kind, s.actor, s.at) for s in view.history] == [
        ("received", "dave", nov(5, 10)),
        ("assigned", "dave", nov(5, 10)),
        ("classified", "dave", nov(5, 10, 30)),
        ("assigned", "dave", nov(5, 11)),
        ("assigned", "erin", nov(5, 15)),
        ("assigned", "frank", nov(5, 18)),
        ("responded", "erin", nov(6, 9)),
        ("resolved", "erin", nov(8, 10)),
        ("closed", "erin", nov(8, 11)),
        ("survey_answered", "C3", nov(8, 12)),
    ]
    assert view.history[5].detail["reason"] == "back to erin, I am off tomorrow"
    assert view.ticket.resolution == "credit note issued"


def test_a_ticket_bounced_between_three_agents_records_each_reassignment(
    shared_month: Month,
) -> None:
    events = outbox_events(shared_month.app)
    assigned = [
        e["data"]
        for e in of_type(events, "ticket.assigned")
        if e["data"]["ticket_id"] == shared_month.tickets["T3"]
    ]
    assert [(a["from_agent"], a["to_agent"], a["reassignment_count"]) for a in assigned] == [
        (None, "dave", 0),
        ("dave", "erin", 1),
        ("erin", "frank", 2),
        ("frank", "erin", 3),
    ]
    assert assigned[2]["reason"] == "frank knows invoices"
    subjects = [
        e["subject"]
        for e in of_type(events, "ticket.assigned")
        if e["data"]["ticket_id"] == shared_month.tickets["T3"]
    ]
    assert subjects == ["dave", "dave", "erin", "frank"]


def test_an_escalation_to_rnd_is_answered_and_reported_back(shared_month: Month) -> None:
    view = shared_month.app.ticket_view(shared_month.tickets["T4"])
    (escalation,) = view.escalations
    assert (escalation.department, escalation.status) == ("rnd", "reported_back")
    assert (escalation.answered_at, escalation.reported_at) == (nov(10, 12), nov(10, 15))
    events = outbox_events(shared_month.app)
    (answered,) = of_type(events, "escalation.answered")
    assert answered["data"]["answer_summary"] == "seal batch 42 faulty"
    (reported,) = of_type(events, "escalation.reported_back")
    assert reported["data"]["answered_at"] == t(nov(10, 12))
    assert reported["time"] == t(nov(10, 15)) and reported["subject"] == "frank"


def test_closing_without_resolution_while_the_customer_waits_is_recorded(
    shared_month: Month,
) -> None:
    closed = {
        e["data"]["ticket_id"]: e["data"]
        for e in of_type(outbox_events(shared_month.app), "ticket.closed")
    }
    t5 = closed[shared_month.tickets["T5"]]
    assert (t5["has_resolution"], t5["customer_awaiting_answer"], t5["outcome"]) == (
        False,
        True,
        "unresolved",
    )
    t1 = closed[shared_month.tickets["T1"]]
    assert (t1["has_resolution"], t1["customer_awaiting_answer"]) == (True, False)
    ticket = shared_month.app.get_ticket(shared_month.tickets["T5"])
    assert (ticket.outcome, ticket.closed_without_resolution) == ("unresolved", 1)


def test_late_answers_carry_their_due_time_and_overdue_tickets_are_known(
    shared_month: Month,
) -> None:
    events = outbox_events(shared_month.app)
    responded = {
        e["data"]["ticket_id"]: e["data"]
        for e in of_type(events, "ticket.responded")
        if e["data"]["first_response"]
    }
    t2 = responded[shared_month.tickets["T2"]]
    assert (t2["late"], t2["first_response_due"]) == (True, t(nov(3, 13)))
    assert responded[shared_month.tickets["T1"]]["late"] is False
    resolved = [
        e["data"]
        for e in of_type(events, "ticket.resolved")
        if e["data"]["ticket_id"] == shared_month.tickets["T4"]
    ]
    assert [(r["late"], r["resolution_due"]) for r in resolved] == [
        (True, t(nov(11, 8))),
        (True, t(nov(11, 8))),
    ]
    assert shared_month.overdue_mid_month == [(shared_month.tickets["T6"], ["first_response"])]
    now_overdue = {t.ticket_id: missed for t, missed in shared_month.app.overdue()}
    assert now_overdue == {shared_month.tickets["T6"]: ["resolution"]}


def test_reopening_is_recorded_with_the_close_it_undoes(shared_month: Month) -> None:
    (reopened,) = of_type(outbox_events(shared_month.app), "ticket.reopened")
    assert reopened["data"]["closed_at"] == t(nov(11, 11))
    assert reopened["data"]["hours_since_close"] == 22
    assert reopened["data"]["reopened_by"] == "sue" and reopened["subject"] == "frank"
    assert shared_month.app.get_ticket(shared_month.tickets["T4"]).reopen_count == 1


def test_fees_inside_and_outside_the_schedule_are_recorded_and_flagged(shared_month: Month) -> None:
    flags = {
        name: result.fee.flags
        for name, result in shared_month.fees.items()
        if hasattr(result, "fee")
    }
    assert flags == {
        "ok": [],
        "above": ["above_schedule"],
        "unscheduled": ["not_in_schedule"],
        "warranty": ["charged_on_warranty"],
        "duplicate": ["charged_on_warranty", "duplicate"],
    }
    assert "not refused" in shared_month.fees["unscheduled"].explanation
    charged = {
        e["data"]["fee_id"]: e["data"]
        for e in of_type(outbox_events(shared_month.app), "fee.charged")
    }
    unscheduled = charged[shared_month.fees["unscheduled"].fee.fee_id]
    assert (unscheduled["in_schedule"], unscheduled["schedule_price_minor"]) == (False, None)
    assert unscheduled["warranty_covers"] is None
    duplicate = charged[shared_month.fees["duplicate"].fee.fee_id]
    assert duplicate["duplicate_of"] == shared_month.fees["warranty"].fee.fee_id
    assert (duplicate["warranty"], duplicate["warranty_covers"]) == (True, True)
    above = charged[shared_month.fees["above"].fee.fee_id]
    assert (above["amount_minor"], above["schedule_price_minor"]) == (7_500, 5_000)
    assert len(shared_month.app.list_fees(customer_id="C4")) == 2


def test_customer_data_reads_and_disclosures_are_logged_as_events(month: Month) -> None:
    month.clock.at(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    with pytest.raises(PermissionDenied, match="phone"):
        month.app.access_customer_data("bill", "read", ["C1"], ["phone"], purpose="invoice")
    log = month.app.access_log()
    assert [(a.accessor_id, a.action, a.fields, a.recipient, a.granted) for a in log] == [
        ("dave", "read", ("name", "phone"), "dave", True),
        ("sue", "disclose", ("name", "address"), "Acme Couriers", True),
        ("bill", "read", ("phone",), "bill", False),
    ]
    events = of_type(outbox_events(month.app), "customer_data.accessed")
    disclosed = events[1]["data"]
    assert disclosed == {
        **disclosed,
        "customer_id": "C4",
        "accessor_role": "supervisor",
        "action": "disclose",
        "fields": ["name", "address"],
        "recipient_kind": "external",
        "recipient": "Acme Couriers",
        "purpose": "ship the replacement seal",
        "customer_count": 1,
    }
    assert events[1]["subject"] == "sue"
    assert events[2]["data"]["granted"] is False and events[2]["data"]["accessor_role"] == "billing"
    _, data, _ = month.fees["read_by_own_agent"]
    assert data["C1"].phone == "+49 30 0001"


def test_archiving_moves_old_closed_records_and_keeps_them_readable(month: Month) -> None:
    run = month.app.archive(older_than_days=20, archived_by="sue")
    # cutoff Nov 11 09:00: closed before it are T0 (Oct 21), T1, T2, T3; T4 closed Nov 12.
    expected = {month.tickets[n] for n in ("T0", "T1", "T2", "T3")}
    assert set(run.ticket_ids) == expected
    archived = month.app.get_ticket(month.tickets["T1"])
    assert archived.archived_at == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert archived.resolution == "replaced the seal"
    file = month.app.customer_file("C1")
    assert [v.ticket.archived_at is not None for v in file.tickets] == [True, False]
    assert month.app.archive(older_than_days=20, archived_by="sue").ticket_ids == []
    (event, empty) = of_type(outbox_events(month.app), "records.archived")
    assert event["data"]["archived_count"] == 4 and event["data"]["older_than_days"] == 20
    assert empty["data"]["archived_count"] == 0
    assert month.app.quality_report("2026-11").overall.tickets == 7


def test_records_can_be_searched_by_category_product_and_outcome(shared_month: Month) -> None:
    app: AfterSalesApp = shared_month.app
    names = {v: k for k, v in shared_month.tickets.items()}
    hardware = [names[t.ticket_id] for t in app.search_records(category="hardware")]
    assert hardware == ["T0", "T1", "T4", "T6"]
    assert [names[t.ticket_id] for t in app.search_records(product_id="X200")] == ["T2", "T5"]
    assert [names[t.ticket_id] for t in app.search_records(outcome="unresolved")] == ["T5"]
    assert [names[t.ticket_id] for t in app.search_records(outcome="open")] == ["T6", "T7"]
    found = app.search_records(category="hardware", outcome="resolved")
    assert [names[t.ticket_id] for t in found] == ["T0", "T1", "T4"]


def test_a_customer_file_holds_every_problem_its_solution_feedback_and_fees(
    shared_month: Month,
) -> None:
    file = shared_month.app.customer_file("C4")
    (entry,) = file.tickets
    assert entry.ticket.resolution == "second seal fitted and tested"
    assert (entry.ticket.survey_score, entry.ticket.survey_comment) == (4, "good once R&D answered")
    assert [e.department for e in entry.escalations] == ["rnd"]
    assert [f.service_code for f in file.fees] == ["HW-REPAIR", "HW-REPAIR"]
    assert "reopened" in [s.kind for s in entry.history]


def test_every_event_meets_the_public_contract_and_carries_the_clock_time(month: Month) -> None:
    month.app.publish_quality_report("2026-11", "sue")
    events = outbox_events(month.app)
    for raw in events:
        key = raw.pop("_key")
        event = parse(__import__("json").dumps(raw).encode())
        validate(event)
        if "ticket_id" in event.data and event.type != "warden.aftersales.customer_data.accessed":
            assert key == event.data["ticket_id"], event.type
    kinds = {e["type"].removeprefix("warden.aftersales.") for e in events}
    assert kinds == {
        "ticket.received",
        "ticket.classified",
        "ticket.assigned",
        "ticket.responded",
        "customer.messaged",
        "ticket.escalated",
        "escalation.answered",
        "escalation.reported_back",
        "ticket.resolved",
        "ticket.closed",
        "ticket.reopened",
        "survey.answered",
        "fee.charged",
        "customer_data.accessed",
        "quality_report.published",
    }
    first = of_type(events, "ticket.received")[1]
    assert (first["time"], first["data"]["ticket_id"]) == (t(nov(2, 8)), month.tickets["T1"])
    (published,) = of_type(events, "quality_report.published")
    assert published["data"]["period"] == "2026-11"
