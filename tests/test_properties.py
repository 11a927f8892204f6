"""Random sequences of events, late entries, corrections, dates and sweeps never break the invariants of the record."""
from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlmodel import select

from db.models import Case, Deadline, Event
from tests.conftest import PG_URL, THOROUGH, close_bureau, make_bureau, make_url
from tests.helpers import advance, date_for, events_of, last_event, open_test_case
from workflow.audit import verify
from workflow.cases import show_case
from workflow.config import Config
from workflow.engine import correct
from workflow.errors import ProcedureError
from workflow.machine import return_state
from workflow.procedure import DEADLINE_RULE_BY_KIND, EVENT_BY_NAME, TERMINAL_STATES
from workflow.reminders import LogChannel, sweep
from workflow.store import guard_context
from workflow.timeline import replay, timeline


class Record(RuleBasedStateMachine):
    backend = "sqlite"

    @initialize()
    def start(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.url, self.drop = make_url(self.backend, self.tmp)
        self.bureau = make_bureau(self.url)
        self.config = Config(channels=("log",), log_file=self.tmp / "log.jsonl")
        self.refs = [open_test_case(self.bureau, partner_name=f"Partner {n}") for n in range(2)]

    def teardown(self):
        if hasattr(self, "bureau"):
            close_bureau(self.bureau)
            self.drop()

    @rule(data=st.data(), which=st.integers(0, 1), extra_days=st.integers(0, 60))
    def advance_case(self, data, which, extra_days):
        ref = self.refs[which]
        on = last_event(self.bureau, ref).occurred_on + timedelta(days=extra_days)
        allowed = [e["event"] for e in show_case(self.bureau, ref, min(on, self.bureau.clock.date()))["allowed_events"]]
        forward = [e for e in allowed if EVENT_BY_NAME[e].dest not in TERMINAL_STATES]
        if not allowed:
            return
        # Mostly onwards, sometimes to an end: otherwise most runs stop at the first withdrawal.
        event = data.draw(st.sampled_from(forward if forward and data.draw(st.integers(0, 9)) else allowed))
        try:
            advance(self.bureau, ref, event, on=max(on, date_for(self.bureau, ref, event)))
        except ProcedureError:
            pass  # a refusal is an allowed outcome; the invariants must hold either way

    @rule(data=st.data(), which=st.integers(0, 1))
    def enter_late(self, data, which):
        """An event learnt late: dated between the case's first event and its latest one, among those the case as
        it stood on that day allowed (the engine checks what follows it)."""
        ref = self.refs[which]
        days = sorted({e.occurred_on for e in events_of(self.bureau, ref)})
        if len(days) < 2:
            return
        on = days[0] + timedelta(days=data.draw(st.integers(0, (days[-1] - days[0]).days - 1)))
        allowed = [e["event"] for e in show_case(self.bureau, ref, on)["allowed_events"]]
        if allowed:
            try:
                advance(self.bureau, ref, data.draw(st.sampled_from(allowed)), on=on)
            except ProcedureError:
                pass

    @rule(data=st.data(), which=st.integers(0, 1))
    def correct_one(self, data, which):
        ref = self.refs[which]
        seq = data.draw(st.integers(1, last_event(self.bureau, ref).seq))
        try:
            correct(self.bureau, ref, seq, actor="tester", note="recorded by mistake")
        except ProcedureError:
            pass

    @rule(days=st.integers(0, 900))
    def sweep_later(self, days):
        latest = max(last_event(self.bureau, ref).occurred_on for ref in self.refs) + timedelta(days=days)
        now = datetime.combine(min(latest, self.bureau.clock.date()), time(7, 30), ZoneInfo("Asia/Jakarta"))
        sweep(self.bureau, self.config, now, {"log": LogChannel(self.config.log_file)})

    @invariant()
    def state_and_deadlines_agree_with_the_timeline_replayed_from_the_start(self):
        """Every event that stands is allowed at its place, every timer still holds, and the stored state and open
        deadlines are those of the replay."""
        for ref in getattr(self, "refs", []):
            with self.bureau.db.session() as s:
                ctx = guard_context(s, self.bureau, ref, None)
            replayed = replay(ctx.history, ctx=ctx, imported=[], check_from=(False, date.min, 0))
            assert (replayed.state, replayed.withdrawn) == (ctx.state, [])
            assert sorted((d.kind, d.due) for d in replayed.deadlines if d.status == "open") == \
                sorted((d.kind, d.due) for d in ctx.open_deadlines)

    @invariant()
    def deadlines_belong_to_the_state(self):
        for ref in getattr(self, "refs", []):
            history = timeline(events_of(self.bureau, ref))
            state = history[-1].to_state
            owner = return_state(history, state) if state == "suspended" else state
            with self.bureau.db.session() as s:
                case_id = s.exec(select(Case.id).where(Case.ref == ref)).one()
                kinds = s.exec(select(Deadline.kind).where(Deadline.case_id == case_id,
                                                           Deadline.status == "open")).all()
            assert all(owner in DEADLINE_RULE_BY_KIND[kind].owners for kind in kinds), (state, kinds)

    @invariant()
    def every_timer_was_due(self):
        if not hasattr(self, "bureau"):
            return
        with self.bureau.db.session() as s:
            for event in s.exec(select(Event).where(Event.actor == "scheduler")):
                due = event.data["timer"]["due"]
                assert event.occurred_on.isoformat() >= due, (event.name, event.occurred_on, due)

    @invariant()
    def the_history_verifies(self):
        if hasattr(self, "bureau"):  # seals, the region's chain, states, deadlines: all of audit verify
            report = verify(self.bureau)
            assert (report["broken"], report["problems"]) == ([], [])


BOUNDS = settings(max_examples=60 if THOROUGH else 12, stateful_step_count=40 if THOROUGH else 30, deadline=None,
                  derandomize=not THOROUGH,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


TestRecordOnSQLite = Record.TestCase
TestRecordOnSQLite.settings = BOUNDS


class PostgresRecord(Record):
    backend = "postgresql"


TestRecordOnPostgreSQL = PostgresRecord.TestCase
TestRecordOnPostgreSQL.settings = BOUNDS
TestRecordOnPostgreSQL.pytestmark = [pytest.mark.postgres,
                                     pytest.mark.skipif(not PG_URL, reason="KERJASAMA_TEST_POSTGRES_URL is not set")]
